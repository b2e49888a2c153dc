"""Shared plain-data builders for the matching tests (imported as `tests.matching.donnees`):
a demande, a logement, a small referential, and a tiny evaluator of the query DSL subset that
`matching.search` emits (to check its semantics)."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from matching.logement import Logement
from matching.referentiel import DictReferentiel

ON = date(2026, 1, 1)

TOULOUSE, BLAGNAC, COLOMIERS = "31555", "31069", "31149"
CASTANET, LABEGE = "31113", "31254"
MURET = "31395"
AUCH = "32013"
TOULOUSE_METROPOLE, SICOVAL, MURETAIN = "243100518", "243100633", "200068641"

REFERENTIEL = DictReferentiel(
    epci_par_commune={
        TOULOUSE: TOULOUSE_METROPOLE,
        BLAGNAC: TOULOUSE_METROPOLE,
        COLOMIERS: TOULOUSE_METROPOLE,
        CASTANET: SICOVAL,
        LABEGE: SICOVAL,
        MURET: MURETAIN,
    }
)

BASE_DEMANDE: dict[str, Any] = {
    "numero_unique": "031-2024-00001",
    "date_depot": date(2024, 1, 15),
    "date_renouvellement": None,
    "organisme_enregistreur": "ATLAS",
    "demandeur": {"nom": "Martin", "prenom": "Léa", "date_naissance": date(1980, 5, 1)},
    "co_demandeurs": [],
    "situation_familiale": "celibataire",
    "personnes_a_charge": 0,
    "enfants_droit_visite": 0,
    "naissances_attendues": 0,
    "personnes_handicapees": 0,
    "besoin_logement_adapte": False,
    "revenu_fiscal_reference": 15000,
    "annee_revenu": 2024,
    "ressources_mensuelles": 1500,
    "salarie_secteur_prive": False,
    "agent_etat": False,
    "logement_actuel": "locataire_prive",
    "motifs": ["logement_trop_cher"],
    "priorites": [],
    "dalo": False,
    "date_decision_dalo": None,
    "souhaits": {
        "communes": [TOULOUSE],
        "secteurs": [],
        "elargissement": False,
        "typologies": ["T1", "T2"],
        "type_bien": "indifferent",
        "rdc_accepte": True,
        "sans_ascenseur_accepte": True,
        "parking": False,
        "loyer_max": None,
    },
    "collecteur": None,
    "fsl": None,
    "caution": None,
    "etat": "active",
    "revision": 1,
}

BASE_LOGEMENT: dict[str, Any] = {
    "commune": TOULOUSE,
    "qpv": False,
    "typologie": "T2",
    "type_bien": "appartement",
    "surface": 45,
    "etage": 2,
    "ascenseur": True,
    "adapte_handicap": False,
    "parking": False,
    "financement": "PLUS",
    "loyer": 400,
    "charges": 50,
    "contingent": "bailleur",
    "date_disponibilite": date(2026, 3, 1),
}


def demande(souhaits: Mapping[str, Any] | None = None, **champs: Any) -> dict[str, Any]:
    """BASE_DEMANDE with top-level fields replaced and `souhaits` merged key by key."""
    result = copy.deepcopy(BASE_DEMANDE)
    result.update(champs)
    result["souhaits"].update(souhaits or {})
    return result


def logement(**champs: Any) -> Logement:
    return Logement(**{**BASE_LOGEMENT, **champs})


def personne(annee: int, lien: str | None = None, nom: str = "Dupont", prenom: str = "Sam") -> dict[str, Any]:
    p: dict[str, Any] = {"nom": nom, "prenom": prenom, "date_naissance": date(annee, 6, 1)}
    if lien:
        p["lien"] = lien
    return p


# --- minimal query DSL evaluator (term, terms, range, exists, bool) --------------------------------


def _values(doc: Mapping[str, Any], field: str) -> list[Any]:
    value: Any = doc
    for part in field.split("."):
        if not isinstance(value, Mapping):
            return []
        value = value.get(part)
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _range_ok(value: Any, bounds: Mapping[str, Any]) -> bool:
    checks: dict[str, Callable[[Any, Any], bool]] = {
        "gte": lambda v, b: v >= b,
        "gt": lambda v, b: v > b,
        "lte": lambda v, b: v <= b,
        "lt": lambda v, b: v < b,
    }
    return all(checks[op](value, b) for op, b in bounds.items() if op in checks)


def matches(query: Mapping[str, Any], doc: Mapping[str, Any]) -> bool:
    ((kind, body),) = query.items()
    if kind == "match_all":
        return True
    if kind == "term":
        ((field, value),) = body.items()
        value = value["value"] if isinstance(value, Mapping) else value
        return value in _values(doc, field)
    if kind == "terms":
        ((field, values),) = body.items()
        return any(v in values for v in _values(doc, field))
    if kind == "range":
        ((field, bounds),) = body.items()
        return any(_range_ok(v, bounds) for v in _values(doc, field))
    if kind == "exists":
        return bool(_values(doc, body["field"]))
    if kind == "bool":
        ok = all(matches(q, doc) for q in body.get("filter", []) + body.get("must", []))
        ok = ok and not any(matches(q, doc) for q in body.get("must_not", []))
        should = body.get("should", [])
        if should:
            needed = body.get("minimum_should_match", 1)
            ok = ok and sum(matches(q, doc) for q in should) >= needed
        return ok
    raise NotImplementedError(kind)
