"""Territorial referential needed by the location rule: commune (INSEE) -> EPCI (SIREN) and département."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


class Referentiel(Protocol):
    def epci_of(self, commune: str) -> str | None:
        """SIREN of the EPCI the commune belongs to (None if unknown or none)."""
        ...

    def departement_of(self, commune: str) -> str:
        """Département code of the commune ("31", "2A", "974")."""
        ...


def departement_from_insee(commune: str) -> str:
    """Département from an INSEE commune code: 3 digits overseas (97x, 98x), else the first two characters."""
    if commune.startswith(("97", "98")):
        return commune[:3]
    return commune[:2]


@dataclass(frozen=True)
class DictReferentiel:
    """Dict-backed referential (tests, or loaded from @etalab/decoupage-administratif by the app)."""

    epci_par_commune: Mapping[str, str] = field(default_factory=dict)
    departement_par_commune: Mapping[str, str] = field(default_factory=dict)

    def epci_of(self, commune: str) -> str | None:
        return self.epci_par_commune.get(commune)

    def departement_of(self, commune: str) -> str:
        return self.departement_par_commune.get(commune) or departement_from_insee(commune)
