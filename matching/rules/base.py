"""Result types shared by the eligibility rules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from matching.demande import Demande
from matching.logement import Logement
from matching.options import MatchingOptions
from matching.referentiel import Referentiel

LIBELLES: dict[str, str] = {
    "etat": "État de la demande",
    "localisation": "Localisation souhaitée",
    "typologie": "Typologie souhaitée",
    "type_bien": "Type de bien souhaité",
    "rdc": "Rez-de-chaussée",
    "ascenseur": "Ascenseur",
    "adaptation": "Logement adapté au handicap",
    "ressources": "Plafond de ressources",
    "contingent": "Contingent réservataire",
    "occupation": "Occupation du logement",
    "loyer": "Loyer maximum souhaité",
    "taux_effort": "Taux d'effort",
}


@dataclass(frozen=True)
class Contexte:
    referentiel: Referentiel
    options: MatchingOptions = field(default_factory=MatchingOptions)


@dataclass(frozen=True)
class RuleResult:
    """Outcome of one rule. `ok` is None when the rule cannot decide (e.g. unknown ceiling): to verify."""

    code: str
    ok: bool | None
    explication: str

    @property
    def libelle(self) -> str:
        return LIBELLES[self.code]


Rule = Callable[[Demande, Logement, Contexte], RuleResult]


@dataclass(frozen=True)
class Eligibility:
    resultats: tuple[RuleResult, ...]

    @property
    def eligible(self) -> bool:
        """No rule failed and none is undecided."""
        return all(r.ok is True for r in self.resultats)

    @property
    def exclusions(self) -> list[RuleResult]:
        return [r for r in self.resultats if r.ok is False]

    @property
    def a_verifier(self) -> list[RuleResult]:
        return [r for r in self.resultats if r.ok is None]

    def resultat(self, code: str) -> RuleResult | None:
        return next((r for r in self.resultats if r.code == code), None)
