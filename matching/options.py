"""Options of one matching run (what the agent asked for), shared by `rules.evaluate` and `search`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Strategie = Literal["priorite_anciennete", "cotation"]


@dataclass(frozen=True)
class MatchingOptions:
    """`on`: reference date for ages and seniority. `taux_effort_max`: ratio (0.33), None = rule off."""

    on: date = field(default_factory=date.today)
    taux_effort_max: float | None = None
    strategie: Strategie = "priorite_anciennete"
    size: int = 20
    # Households beyond 6 persons: the search enumerates ceilings up to this many extra persons;
    # larger households are kept as candidates and checked by `rules.evaluate`.
    personnes_supplementaires_max: int = 12
