"""Rule `contingent`: who may be proposed on the réservataire's contingent of the logement."""

from __future__ import annotations

from matching.demande import Demande
from matching.logement import Logement
from matching.ranking import GROUPE_AUTRE, groupe_priorite
from matching.rules.base import Contexte, RuleResult

LIBELLES_CONTINGENTS: dict[str, str] = {
    "prefecture": "contingent préfectoral (DALO et publics prioritaires)",
    "prefecture_agents_etat": "contingent préfectoral des agents de l'État",
    "action_logement": "contingent Action Logement (salariés du secteur privé)",
    "collectivite": "contingent d'une collectivité",
    "bailleur": "contingent propre du bailleur",
}


def regle_contingent(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    contingent = logement.contingent
    libelle = LIBELLES_CONTINGENTS.get(contingent)
    if libelle is None:
        return RuleResult("contingent", None, f"Contingent {contingent} inconnu, à vérifier")
    if contingent == "action_logement":
        ok = bool(demande.get("salarie_secteur_prive"))
        pourquoi = "salarié du secteur privé" if ok else "aucun salarié du secteur privé"
    elif contingent == "prefecture":
        ok = groupe_priorite(demande) != GROUPE_AUTRE
        pourquoi = "ménage DALO ou public prioritaire" if ok else "ni DALO ni public prioritaire"
    elif contingent == "prefecture_agents_etat":
        ok = bool(demande.get("agent_etat"))
        pourquoi = "agent de l'État" if ok else "aucun agent de l'État"
    else:
        ok, pourquoi = True, "ouvert à tous les demandeurs"
    return RuleResult("contingent", ok, f"Logement du {libelle} : {pourquoi}")
