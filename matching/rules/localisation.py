"""Rule `localisation`: the logement is in a wished commune, EPCI or département, or nearby when accepted.

Accepted when the commune is in souhaits.communes, or its EPCI or département is in souhaits.secteurs, or
(elargissement) it lies in the EPCI of the first wished commune.
"""

from __future__ import annotations

from matching.demande import Demande, souhaits
from matching.logement import Logement
from matching.referentiel import Referentiel
from matching.rules.base import Contexte, RuleResult


def epci_premier_choix(demande: Demande, referentiel: Referentiel) -> str | None:
    communes = souhaits(demande).communes
    return referentiel.epci_of(communes[0]) if communes else None


def regle_localisation(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    s = souhaits(demande)
    ref = contexte.referentiel
    commune = logement.commune
    epci = ref.epci_of(commune)
    departement = ref.departement_of(commune)
    if commune in s.communes:
        rang = s.communes.index(commune) + 1
        return RuleResult("localisation", True, f"Commune {commune} souhaitée (choix n° {rang})")
    if epci is not None and epci in s.secteurs_epci:
        return RuleResult("localisation", True, f"Commune {commune} dans l'EPCI souhaité {epci}")
    if departement in s.secteurs_departements:
        return RuleResult("localisation", True, f"Commune {commune} dans le département souhaité {departement}")
    if s.elargissement and epci is not None and epci == epci_premier_choix(demande, ref):
        return RuleResult(
            "localisation",
            True,
            f"Commune {commune} dans l'EPCI {epci} de la première commune souhaitée (élargissement accepté)",
        )
    return RuleResult("localisation", False, f"Commune {commune} hors des communes et secteurs souhaités")
