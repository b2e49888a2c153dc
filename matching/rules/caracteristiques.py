"""Rules on what the logement is: `typologie`, `type_bien`, `rdc`, `ascenseur`, `adaptation`."""

from __future__ import annotations

from matching.demande import Demande, souhaits
from matching.logement import Logement
from matching.rules.base import Contexte, RuleResult


def regle_typologie(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    voulues = souhaits(demande).typologies
    if logement.typologie in voulues:
        return RuleResult("typologie", True, f"Typologie {logement.typologie} souhaitée")
    liste = ", ".join(voulues) or "aucune"
    return RuleResult("typologie", False, f"Typologie {logement.typologie} non souhaitée (souhaits : {liste})")


def regle_type_bien(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    voulu = souhaits(demande).type_bien
    if not logement.type_bien_impose:
        return RuleResult("type_bien", True, f"Type de bien indifférent pour ce logement (souhait : {voulu})")
    if voulu in ("indifferent", logement.type_bien):
        return RuleResult("type_bien", True, f"Type de bien {logement.type_bien} accepté (souhait : {voulu})")
    return RuleResult("type_bien", False, f"Type de bien {logement.type_bien} non souhaité (souhait : {voulu})")


def regle_rdc(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    if logement.etage != 0:
        return RuleResult("rdc", True, f"Logement en étage ({logement.etage})")
    if souhaits(demande).rdc_accepte:
        return RuleResult("rdc", True, "Rez-de-chaussée accepté")
    return RuleResult("rdc", False, "Logement en rez-de-chaussée, non accepté par le demandeur")


def regle_ascenseur(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    if logement.etage == 0 or logement.ascenseur:
        return RuleResult("ascenseur", True, "Pas d'étage sans ascenseur")
    if souhaits(demande).sans_ascenseur_accepte:
        return RuleResult("ascenseur", True, f"Étage {logement.etage} sans ascenseur accepté")
    return RuleResult(
        "ascenseur",
        False,
        f"Logement au {logement.etage}e étage sans ascenseur, non accepté par le demandeur",
    )


def regle_adaptation(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    if not demande.get("besoin_logement_adapte"):
        return RuleResult("adaptation", True, "Pas de besoin de logement adapté")
    if logement.adapte_handicap:
        return RuleResult("adaptation", True, "Logement adapté au handicap, conforme au besoin")
    return RuleResult("adaptation", False, "Besoin d'un logement adapté : ce logement ne l'est pas")
