"""The vacant logement as matching sees it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from matching.dates import to_date

# Type of a logement recherché (described in a search, never stored) whose category is left open: the `type_bien`
# rule does not constrain the demandes (those wishing appartement, maison or indifférent are all kept).
TYPE_BIEN_INDIFFERENT = "indifferent"


@dataclass(frozen=True)
class Logement:
    commune: str
    typologie: str
    type_bien: str
    surface: float
    etage: int
    financement: str
    loyer: float
    charges: float
    contingent: str
    date_disponibilite: date
    ascenseur: bool = False
    adapte_handicap: bool = False
    parking: bool = False
    qpv: bool = False

    @property
    def cout_mensuel(self) -> float:
        """Rent plus charges, € per month."""
        return self.loyer + self.charges

    @property
    def type_bien_impose(self) -> bool:
        """False for a logement recherché of category "indifférent": no constraint on the type of dwelling."""
        return self.type_bien != TYPE_BIEN_INDIFFERENT

    @property
    def annee_bareme(self) -> int:
        """Year of the ceilings in force: the year the logement becomes available."""
        return self.date_disponibilite.year


def as_logement(value: Logement | Mapping[str, Any]) -> Logement:
    """Accept a Logement or a plain dict (extra keys ignored, dates as ISO strings accepted)."""
    if isinstance(value, Logement):
        return value
    known = {f.name for f in fields(Logement)}
    data = {k: v for k, v in value.items() if k in known}
    data["date_disponibilite"] = to_date(data.get("date_disponibilite"))
    data["etage"] = int(data.get("etage") or 0)
    return Logement(**data)
