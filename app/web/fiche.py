"""Derived values shown on the fiche demande, computed by the rules of `matching/` (never re-implemented here)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.referentiel.service import referentiel
from matching import cotation, plafonds
from matching.ranking import groupe_priorite, libelle_groupe

FINANCEMENTS = ("PLAI", "PLUS", "PLS")


@dataclass(frozen=True)
class Marge:
    financement: str
    plafond: int | None
    marge: int | None  # ceiling − RFR (negative: above the ceiling)
    note: str | None = None


def marges(representation: dict[str, Any], on: date) -> list[Marge]:
    rfr = representation.get("revenu_fiscal_reference")
    annee = on.year
    communes = (representation.get("souhaits") or {}).get("communes") or []
    out = []
    for financement in FINANCEMENTS:
        try:
            montant = plafonds.plafond(
                financement,
                int(representation["categorie_menage"]),
                int(representation.get("personnes_supplementaires") or 0),
                annee,
                communes[0] if communes else None,
            )
        except (plafonds.PlafondInconnu, ValueError, KeyError) as exc:
            out.append(Marge(financement, None, None, str(exc)))
            continue
        out.append(Marge(financement, montant, None if rfr is None else montant - int(rfr)))
    return out


def points(representation: dict[str, Any], on: date) -> tuple[str, int, list[tuple[str, str, int]]]:
    """Score under the grid of the first wished commune's EPCI (or the default grid)."""
    communes = (representation.get("souhaits") or {}).get("communes") or []
    epci = referentiel().epci_par_commune.get(communes[0]) if communes else None
    cle, grid = cotation.grille_pour_epci(epci)
    total, detail = cotation.points(representation, grid, on)
    return cle, total, detail


def groupe(representation: dict[str, Any]) -> str:
    return libelle_groupe(groupe_priorite(representation))
