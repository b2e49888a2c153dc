"""Ranking strategy "priorite_anciennete": adaptation need (adapted logement), priority group, seniority.

Order: for an adapted logement, households needing adaptation first; then DALO; then any priority public
(CCH L441-1); then the others; inside a group the oldest date_depot first; numero_unique breaks ties.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from matching.dates import months_between, to_date
from matching.demande import Demande
from matching.logement import Logement

GROUPE_DALO = 0
GROUPE_PRIORITAIRE = 1
GROUPE_AUTRE = 2

GROUPES_PRIORITE: dict[int, str] = {
    GROUPE_DALO: "Ménage reconnu prioritaire DALO",
    GROUPE_PRIORITAIRE: "Public prioritaire (article L441-1 du CCH)",
    GROUPE_AUTRE: "Autres demandeurs",
}


def groupe_priorite(demande: Demande) -> int:
    """0 DALO, 1 at least one priority public, 2 others."""
    if demande.get("dalo"):
        return GROUPE_DALO
    if demande.get("priorites"):
        return GROUPE_PRIORITAIRE
    return GROUPE_AUTRE


def libelle_groupe(groupe: int) -> str:
    return GROUPES_PRIORITE[groupe]


def anciennete_mois(date_depot: date | str, on: date) -> int:
    """Full months since the initial filing (renewals never reset it)."""
    return months_between(date_depot, on)


def adaptation_prioritaire(demande: Demande, logement: Logement) -> bool:
    """On an adapted logement, households that need adaptation come first."""
    return bool(logement.adapte_handicap and demande.get("besoin_logement_adapte"))


def cle_priorite_anciennete(demande: Demande, logement: Logement) -> tuple[Any, ...]:
    """Sort key (ascending) of the priorite_anciennete strategy."""
    return (
        0 if adaptation_prioritaire(demande, logement) else 1,
        groupe_priorite(demande),
        to_date(demande["date_depot"]),
        str(demande["numero_unique"]),
    )


def classer(demandes: Iterable[Demande], logement: Logement) -> list[Demande]:
    """The demandes in priorite_anciennete order."""
    return sorted(demandes, key=lambda d: cle_priorite_anciennete(d, logement))
