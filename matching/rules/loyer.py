"""Rules on cost: `loyer` (rent + charges within the wished maximum) and `taux_effort` (when requested)."""

from __future__ import annotations

from fractions import Fraction

from matching.demande import Demande, entier, souhaits
from matching.format import euros, pourcent
from matching.logement import Logement
from matching.rules.base import Contexte, RuleResult


def exact(value: float) -> Fraction:
    """Exact decimal value (0.3 is 3/10, not its binary approximation), so boundaries stay inclusive."""
    return Fraction(str(value))


def regle_loyer(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    maximum = souhaits(demande).loyer_max
    cout = logement.cout_mensuel
    if maximum is None:
        return RuleResult("loyer", True, f"Pas de loyer maximum indiqué (loyer + charges {euros(cout)})")
    if exact(cout) <= exact(maximum):
        return RuleResult("loyer", True, f"Loyer + charges {euros(cout)} ≤ maximum souhaité {euros(maximum)}")
    return RuleResult("loyer", False, f"Loyer + charges {euros(cout)} > maximum souhaité {euros(maximum)}")


def ressources_minimales(cout: float, taux_max: float) -> Fraction:
    """Monthly resources needed so that cout / ressources <= taux_max."""
    return exact(cout) / exact(taux_max)


def regle_taux_effort(demande: Demande, logement: Logement, contexte: Contexte) -> RuleResult:
    """(loyer + charges) / ressources_mensuelles <= taux_effort_max.

    The official formula subtracts housing benefits, which the demande contract does not hold.
    """
    taux_max = contexte.options.taux_effort_max
    cout = logement.cout_mensuel
    ressources = entier(demande, "ressources_mensuelles")
    if taux_max is None:
        return RuleResult("taux_effort", True, "Taux d'effort non contrôlé")
    if ressources <= 0:
        return RuleResult(
            "taux_effort",
            False,
            f"Ressources mensuelles nulles : taux d'effort non calculable (maximum {pourcent(taux_max)})",
        )
    taux = exact(cout) / ressources
    texte = f"Taux d'effort {pourcent(float(taux))} ({euros(cout)} / {euros(ressources)}, hors aides au logement)"
    if taux <= exact(taux_max):
        return RuleResult("taux_effort", True, f"{texte} ≤ maximum {pourcent(taux_max)}")
    return RuleResult("taux_effort", False, f"{texte} > maximum {pourcent(taux_max)}")
