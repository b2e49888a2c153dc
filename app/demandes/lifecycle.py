"""Lifecycle of a demande (domain.md §2): states, transitions and their durations, in one place.

Durations are configuration: validity comes from `matching/data/parametres.json` (`validite_mois`, used by
`matching.validite`), the two delays of the non-renouvellement rule from the Flask config
(`DEMANDES_DELAI_RADIATION_MOIS`, `DEMANDES_FENETRE_REACTIVATION_MOIS`) with the SNE defaults below.

* A demande is valid until its anniversary: filing (or last renewal) + 12 months = `date_fin_validite`.
* Not renewed, it is radiated (motif non_renouvellement) on anniversary + 1 month.
* Radiated for non_renouvellement, it can be reactivated, seniority kept, until anniversary + 6 months included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

from app.demandes.errors import TransitionImpossible
from matching.dates import add_months
from matching.validite import date_fin_validite as _fin_validite

BROUILLON, ACTIVE, SATISFAITE, RADIEE = "brouillon", "active", "satisfaite", "radiee"
MOTIFS_RADIATION: tuple[str, ...] = (
    "non_renouvellement",
    "attribution",
    "renonciation",
    "irrecevabilite",
    "injoignable",
    "fusion",
)
NON_RENOUVELLEMENT = "non_renouvellement"
FUSEAU = ZoneInfo("Europe/Paris")

_LIBELLES_ETAT = {
    BROUILLON: "au brouillon",
    ACTIVE: "active",
    SATISFAITE: "satisfaite (attribution)",
    RADIEE: "radiée",
}


@dataclass(frozen=True)
class Durees:
    delai_radiation_mois: int = 1
    fenetre_reactivation_mois: int = 6


def durees() -> Durees:
    if not has_app_context():
        return Durees()
    config = current_app.config
    return Durees(
        delai_radiation_mois=int(config.get("DEMANDES_DELAI_RADIATION_MOIS", 1)),
        fenetre_reactivation_mois=int(config.get("DEMANDES_FENETRE_REACTIVATION_MOIS", 6)),
    )


def aujourdhui() -> date:
    """Today in Europe/Paris (dates of the domain are French civil dates)."""
    return datetime.now(FUSEAU).date()


def fin_validite(date_depot: date, date_renouvellement: date | None) -> date:
    found = _fin_validite({"date_depot": date_depot, "date_renouvellement": date_renouvellement})
    assert found is not None
    return found


def date_radiation_non_renouvellement(fin: date) -> date:
    """The day a demande not renewed is radiated: anniversary + 1 month."""
    return add_months(fin, durees().delai_radiation_mois)


def limite_reactivation(fin: date) -> date:
    """Last day a demande radiated for non_renouvellement can be reactivated with its seniority."""
    return add_months(fin, durees().fenetre_reactivation_mois)


def _etat(etat: str) -> str:
    return _LIBELLES_ETAT.get(etat, etat)


def verifier_modification(etat: str) -> None:
    if etat not in (BROUILLON, ACTIVE):
        raise TransitionImpossible(f"La demande est {_etat(etat)} : elle ne peut plus être modifiée")


def verifier_enregistrement(etat: str) -> None:
    if etat != BROUILLON:
        raise TransitionImpossible(f"La demande est {_etat(etat)} : seul un brouillon peut être enregistré")


def verifier_renouvellement(etat: str, date_renouvellement: date, derniere: date) -> None:
    if etat == BROUILLON:
        raise TransitionImpossible("La demande est au brouillon : enregistrez-la avant de la renouveler")
    if etat == RADIEE:
        raise TransitionImpossible("La demande est radiée : elle ne peut être que réactivée (non-renouvellement)")
    if etat != ACTIVE:
        raise TransitionImpossible(f"La demande est {_etat(etat)} : elle ne peut pas être renouvelée")
    if date_renouvellement < derniere:
        raise TransitionImpossible(
            f"Date de renouvellement antérieure au dépôt ou au dernier renouvellement ({derniere.isoformat()})"
        )


def verifier_radiation(etat: str, date_radiation: date, date_depot: date) -> None:
    if etat == BROUILLON:
        raise TransitionImpossible("La demande est au brouillon : elle n'est pas enregistrée, donc pas radiable")
    if etat != ACTIVE:
        raise TransitionImpossible(f"La demande est déjà {_etat(etat)}")
    if date_radiation < date_depot:
        raise TransitionImpossible("Date de radiation antérieure à la date de dépôt")


def etat_apres_radiation(motif: str) -> str:
    """Radiation for attribution makes the demande satisfaite (lease signed); any other motif: radiee."""
    return SATISFAITE if motif == "attribution" else RADIEE


def verifier_reactivation(demande: Any, on: date) -> None:
    """Only a demande radiated for non_renouvellement, up to anniversary + 6 months."""
    if demande.etat != RADIEE:
        raise TransitionImpossible(f"La demande est {_etat(demande.etat)} : seule une demande radiée se réactive")
    if demande.motif_radiation != NON_RENOUVELLEMENT:
        raise TransitionImpossible(
            f"La demande a été radiée pour le motif « {demande.motif_radiation} » : seule une radiation pour "
            "non-renouvellement peut être annulée par une réactivation"
        )
    fin = demande.date_fin_validite or fin_validite(demande.date_depot, demande.date_renouvellement)
    limite = limite_reactivation(fin)
    if on > limite:
        raise TransitionImpossible(
            f"Délai de réactivation dépassé : possible jusqu'au {limite.isoformat()} "
            f"(échéance {fin.isoformat()} + {durees().fenetre_reactivation_mois} mois) ; "
            "une nouvelle demande est nécessaire"
        )
