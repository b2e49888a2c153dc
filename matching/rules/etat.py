"""Rule `etat`: only active demandes are candidates."""

from __future__ import annotations

from matching.demande import Demande
from matching.logement import Logement
from matching.rules.base import Contexte, RuleResult

ETAT_CANDIDAT = "active"


def regle_etat(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    etat = demande.get("etat")
    if etat == ETAT_CANDIDAT:
        return RuleResult("etat", True, "Demande active")
    return RuleResult("etat", False, f"Demande non active (état : {etat or 'inconnu'})")
