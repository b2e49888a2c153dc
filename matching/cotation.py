"""Cotation (scoring) grids, one per EPCI, read from `matching/data/cotation.json`.

A grid is a list of criteria; each criterion has a `type` understood here:
* `par_mois_anciennete`: `points` per full month since date_depot;
* `anciennete_superieure`: `points` once seniority is strictly beyond `mois` months;
* `dalo`: `points` for a DALO household;
* `public_prioritaire`: `points` for a household with at least one priority public (PDALHPD).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from matching.config import load
from matching.dates import to_date
from matching.demande import Demande
from matching.ranking import anciennete_mois, groupe_priorite

GRILLE_PAR_DEFAUT = "default"

Grille = Mapping[str, Any]
Ligne = tuple[str, str, int]


def grilles() -> dict[str, Grille]:
    """All grids by id ("default" or an EPCI SIREN)."""
    return load("cotation")["grilles"]


def grille(identifiant: str) -> Grille:
    return grilles()[identifiant]


def grille_pour_epci(epci: str | None) -> tuple[str, Grille]:
    """The grid of an EPCI, or the default grid when the EPCI has none."""
    toutes = grilles()
    cle = epci if epci in toutes else GRILLE_PAR_DEFAUT
    return cle, toutes[cle]


def _par_mois(critere: Mapping[str, Any], demande: Demande, on: date) -> int:
    return int(critere["points"]) * anciennete_mois(demande["date_depot"], on)


def _anciennete_superieure(critere: Mapping[str, Any], demande: Demande, on: date) -> int:
    return int(critere["points"]) if anciennete_mois(demande["date_depot"], on) > int(critere["mois"]) else 0


def _dalo(critere: Mapping[str, Any], demande: Demande, on: date) -> int:
    return int(critere["points"]) if demande.get("dalo") else 0


def _public_prioritaire(critere: Mapping[str, Any], demande: Demande, on: date) -> int:
    return int(critere["points"]) if demande.get("priorites") else 0


# What each criterion type means, for the administration screen (the `mois` parameter: anciennete_superieure only).
TYPES_CRITERES: dict[str, str] = {
    "par_mois_anciennete": "Points par mois d'ancienneté",
    "anciennete_superieure": "Points une fois dépassée une ancienneté (en mois)",
    "dalo": "Points pour un ménage reconnu prioritaire DALO",
    "public_prioritaire": "Points pour un public prioritaire (PDALHPD)",
}
TYPES_AVEC_MOIS = frozenset({"anciennete_superieure"})

CALCULS: dict[str, Callable[[Mapping[str, Any], Demande, date], int]] = {
    "par_mois_anciennete": _par_mois,
    "anciennete_superieure": _anciennete_superieure,
    "dalo": _dalo,
    "public_prioritaire": _public_prioritaire,
}


def points(demande: Demande, grid: Grille, on: date) -> tuple[int, list[Ligne]]:
    """Total and detail [(critère, libellé, points)] of the criteria that give points (zero lines omitted)."""
    detail: list[Ligne] = []
    for critere in grid["criteres"]:
        calcul = CALCULS.get(critere["type"])
        if calcul is None:
            raise ValueError(f"type de critère de cotation inconnu : {critere['type']}")
        valeur = calcul(critere, demande, on)
        if valeur:
            detail.append((critere["code"], critere["libelle"], valeur))
    return sum(v for _, _, v in detail), detail


def points_par_grille(demande: Demande, on: date) -> dict[str, int]:
    """Score of the demande under every configured grid (indexed so that the search can sort on it)."""
    return {cle: points(demande, g, on)[0] for cle, g in grilles().items()}


def cle_cotation(demande: Demande, adaptation_prioritaire: bool, total: int) -> tuple[Any, ...]:
    """Sort key (ascending) of the cotation strategy, per domain §5: adaptation need on an adapted logement,
    priority group, score (highest first), seniority (oldest first), numero_unique."""
    return (
        0 if adaptation_prioritaire else 1,
        groupe_priorite(demande),
        -total,
        to_date(demande["date_depot"]),
        str(demande["numero_unique"]),
    )
