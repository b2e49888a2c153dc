"""Eligibility rules, one function per rule, run in a fixed order by `evaluate`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matching.demande import Demande
from matching.logement import Logement, as_logement
from matching.options import MatchingOptions
from matching.referentiel import Referentiel
from matching.rules.base import LIBELLES, Contexte, Eligibility, Rule, RuleResult
from matching.rules.caracteristiques import (
    regle_adaptation,
    regle_ascenseur,
    regle_rdc,
    regle_type_bien,
    regle_typologie,
)
from matching.rules.contingent import regle_contingent
from matching.rules.etat import regle_etat
from matching.rules.localisation import regle_localisation
from matching.rules.loyer import regle_loyer, regle_taux_effort
from matching.rules.occupation import regle_occupation
from matching.rules.ressources import regle_ressources

RULES: dict[str, Rule] = {
    "etat": regle_etat,
    "localisation": regle_localisation,
    "typologie": regle_typologie,
    "type_bien": regle_type_bien,
    "rdc": regle_rdc,
    "ascenseur": regle_ascenseur,
    "adaptation": regle_adaptation,
    "ressources": regle_ressources,
    "contingent": regle_contingent,
    "occupation": regle_occupation,
    "loyer": regle_loyer,
    "taux_effort": regle_taux_effort,
}

__all__ = ["LIBELLES", "RULES", "Contexte", "Eligibility", "RuleResult", "codes_actifs", "evaluate"]


def codes_actifs(options: MatchingOptions) -> list[str]:
    """Rule codes applied under `options` (taux_effort only when a maximum is requested)."""
    return [code for code in RULES if code != "taux_effort" or options.taux_effort_max is not None]


def evaluate(
    demande: Demande,
    logement: Logement | Mapping[str, Any],
    referentiel: Referentiel,
    options: MatchingOptions | None = None,
) -> Eligibility:
    """Run every applicable rule and keep all results (not only the first failure), in rule order."""
    opts = options or MatchingOptions()
    lgt = as_logement(logement)
    contexte = Contexte(referentiel=referentiel, options=opts)
    return Eligibility(tuple(RULES[code](demande, lgt, contexte) for code in codes_actifs(opts)))
