"""Which events count for which indicator: the one place to adjust when the workflow names its events.

Lifecycle events (app/demandes/service.py): creation, enregistrement, modification, renouvellement, radiation
(details.motif), reactivation. CAL workflow events (app/cal/service.py): cal_inscription, cal_decision
(details.decision), proposition, reponse_proposition (details.reponse), bail_signe (with the date of entry).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.cal.service import DECISIONS, DECISIONS_POSITIVES

# Event types of the CAL workflow.
DECISION = "cal_decision"
PROPOSITION = "proposition"
REPONSE = "reponse_proposition"
ENTREE = "bail_signe"
ETAPES_CAL: tuple[str, ...] = (DECISION, PROPOSITION, REPONSE, ENTREE)

# Mixité (domain §7): share of the yearly attributions outside QPV that go to first-quartile applicants, in %.
OBJECTIF_PREMIER_QUARTILE = 25

DECISIONS_ACCORD: tuple[str, ...] = tuple(d for d in DECISIONS if d in DECISIONS_POSITIVES)
DECISIONS_REFUS: tuple[str, ...] = (*(d for d in DECISIONS if d not in DECISIONS_POSITIVES), "sans_suite")
REPONSES_ACCEPTEES: tuple[str, ...] = ("acceptee",)  # refusee and sans_reponse (no answer = refusal) are refusals
MOTIFS_ANNULATION: tuple[str, ...] = ("renonciation", "irrecevabilite", "injoignable", "fusion")


def _in(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


@dataclass(frozen=True)
class Flux:
    code: str
    libelle: str
    predicat: str  # SQL on the event `e`
    distinct_demandes: bool = False  # count demandes (not events)


FLUX: tuple[Flux, ...] = (
    Flux("modifiees", "Demandes modifiées", "e.type = 'modification'", distinct_demandes=True),
    Flux(
        "refus_demandeurs",
        "Refus des demandeurs",
        f"e.type = '{REPONSE}' AND NOT coalesce(e.details->>'reponse', '') IN {_in(REPONSES_ACCEPTEES)}",
    ),
    Flux("entrees", "Dates d'entrée dans les lieux saisies", f"e.type = '{ENTREE}'"),
    Flux(
        "accords_commission",
        "Accords de la commission",
        f"e.type = '{DECISION}' AND e.details->>'decision' IN {_in(DECISIONS_ACCORD)}",
    ),
    Flux(
        "propositions_acceptees",
        "Propositions acceptées",
        f"e.type = '{REPONSE}' AND e.details->>'reponse' IN {_in(REPONSES_ACCEPTEES)}",
    ),
    Flux("annulees", "Demandes annulées", f"e.type = 'radiation' AND e.details->>'motif' IN {_in(MOTIFS_ANNULATION)}"),
    Flux(
        "non_renouvelees",
        "Demandes non renouvelées",
        "e.type = 'radiation' AND e.details->>'motif' = 'non_renouvellement'",
    ),
    Flux("renouvelees", "Demandes renouvelées", "e.type = 'renouvellement'"),
    Flux(
        "refus_commission",
        "Refus de la commission ou sans suite",
        f"e.type = '{DECISION}' AND e.details->>'decision' IN {_in(DECISIONS_REFUS)}",
    ),
    Flux("propositions", "Propositions effectuées", f"e.type = '{PROPOSITION}'"),
)


@dataclass(frozen=True)
class Stock:
    code: str
    libelle: str
    predicat: str  # SQL on the demande `b` (with `actif`, `satisfait`) and its last CAL step `x` at the date


_ACTIVE = "b.actif"
STOCKS: tuple[Stock, ...] = (
    Stock("actives", "Demandes actives", _ACTIVE),
    Stock("satisfaites", "Demandes satisfaites", "b.satisfait"),
    Stock(
        "validees",
        "Demandes validées (accord CAL)",
        f"{_ACTIVE} AND x.type = '{DECISION}' AND x.details->>'decision' IN {_in(DECISIONS_ACCORD)}",
    ),
    Stock(
        "attribuees_en_instance",
        "Attribuées en instance (accord demandeur)",
        f"{_ACTIVE} AND x.type = '{REPONSE}' AND x.details->>'reponse' IN {_in(REPONSES_ACCEPTEES)}",
    ),
    Stock("propositions_en_cours", "Propositions en cours", f"{_ACTIVE} AND x.type = '{PROPOSITION}'"),
)

# Breakdowns (SQL on the demande `d`); erased demandes (no personal data left) fall in "non renseigné(e)".
_PERSONNES = (
    "1 + CASE WHEN jsonb_typeof(d.donnees->'co_demandeurs') = 'array' "
    "THEN jsonb_array_length(d.donnees->'co_demandeurs') ELSE 0 END "
    "+ CASE WHEN jsonb_typeof(d.donnees->'personnes_a_charge') = 'number' "
    "THEN (d.donnees->>'personnes_a_charge')::int ELSE 0 END"
)
DIMENSIONS: dict[str, tuple[str, str]] = {
    "typologie": ("Typologie demandée", "coalesce(d.donnees #>> '{souhaits,typologies,0}', 'non renseignée')"),
    "taille": (
        "Taille du ménage",
        f"CASE WHEN d.donnees ? 'demandeur' THEN "
        f"CASE WHEN ({_PERSONNES}) >= 6 THEN '6 personnes et plus' "
        f"ELSE ({_PERSONNES})::text || ' pers.' END ELSE 'non renseignée' END",
    ),
    "priorite": (
        "Groupe de priorité",
        "CASE WHEN (d.donnees->>'dalo')::boolean IS TRUE THEN 'DALO' "
        "WHEN jsonb_typeof(d.donnees->'priorites') = 'array' "
        "AND jsonb_array_length(d.donnees->'priorites') > 0 "
        "THEN 'Public prioritaire (L441-1)' ELSE 'Sans priorité' END",
    ),
}
