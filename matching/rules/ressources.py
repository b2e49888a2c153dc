"""Rule `ressources`: revenu fiscal de référence <= ceiling of the logement's financing,
boundary included.
"""

from __future__ import annotations

from matching.demande import Demande, entier
from matching.format import euros
from matching.logement import Logement
from matching.menage import categorie_menage
from matching.plafonds import PlafondInconnu, resoudre_plafond
from matching.rules.base import Contexte, RuleResult


def regle_ressources(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    cat = categorie_menage(demande, contexte.options.on)
    rfr = entier(demande, "revenu_fiscal_reference")
    try:
        p = resoudre_plafond(
            logement.financement,
            cat.categorie,
            cat.personnes_supplementaires,
            logement.annee_bareme,
            logement.commune,
        )
    except PlafondInconnu as inconnu:
        return RuleResult("ressources", None, f"Revenu fiscal {euros(rfr)} : {inconnu}, à vérifier")
    ecart = p.montant - rfr
    revenu = f"Revenu fiscal {euros(rfr)}"
    if ecart >= 0:
        return RuleResult("ressources", True, f"{revenu} ≤ {p.libelle()} (marge {euros(ecart)})")
    return RuleResult("ressources", False, f"{revenu} > {p.libelle()} (dépassement {euros(-ecart)})")
