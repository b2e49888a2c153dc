"""Rule `occupation`: neither sous-occupation (rooms > occupants + 1) nor sur-occupation (surface norm)."""

from __future__ import annotations

from matching.demande import Demande
from matching.format import nombre
from matching.logement import Logement
from matching.menage import nb_personnes_occupation
from matching.occupation import pieces_principales, sous_occupation, sur_occupation, surface_minimale
from matching.rules.base import Contexte, RuleResult


def regle_occupation(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    occupants = nb_personnes_occupation(demande)
    pieces = pieces_principales(logement.typologie)
    minimum = surface_minimale(occupants)
    if sous_occupation(pieces, occupants):
        return RuleResult(
            "occupation",
            False,
            f"Sous-occupation : {pieces} pièces principales pour {occupants} occupant(s) (au plus {occupants + 1})",
        )
    if sur_occupation(logement.surface, occupants):
        return RuleResult(
            "occupation",
            False,
            f"Sur-occupation : {nombre(logement.surface)} m² pour {occupants} occupant(s) "
            f"(minimum {nombre(minimum)} m²)",
        )
    return RuleResult(
        "occupation",
        True,
        f"{occupants} occupant(s) pour un {logement.typologie} de {nombre(logement.surface)} m² "
        f"(minimum {nombre(minimum)} m²)",
    )
