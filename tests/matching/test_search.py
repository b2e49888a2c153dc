"""Semantics of the Elasticsearch bodies built by matching.search (evaluated on documents in Python)."""

from __future__ import annotations

import json
import random
from datetime import date

import pytest

from indexing.documents import build_document
from matching.options import MatchingOptions
from matching.rules import evaluate
from matching.search import (
    candidate_query,
    name_query,
    rule_clauses,
)
from tests.matching.donnees import (
    BLAGNAC,
    CASTANET,
    MURET,
    ON,
    REFERENTIEL,
    SICOVAL,
    TOULOUSE,
    TOULOUSE_METROPOLE,
    demande,
    logement,
    matches,
    personne,
)

OPTS = MatchingOptions(on=ON)


def codes(lgt, **options) -> set[str]:
    return set(rule_clauses(lgt, REFERENTIEL, MatchingOptions(on=ON, **options)))


ALWAYS = {"etat", "localisation", "typologie", "type_bien", "ressources", "occupation", "loyer"}


@pytest.mark.parametrize(
    ("champs", "options", "attendus"),
    [
        ({"etage": 2, "ascenseur": True}, {}, ALWAYS | {"adaptation"}),
        ({"etage": 0}, {}, ALWAYS | {"adaptation", "rdc"}),
        ({"etage": 3, "ascenseur": False}, {}, ALWAYS | {"adaptation", "ascenseur"}),
        ({"adapte_handicap": True}, {}, ALWAYS),
        ({"contingent": "prefecture"}, {}, ALWAYS | {"adaptation", "contingent"}),
        ({"contingent": "action_logement"}, {}, ALWAYS | {"adaptation", "contingent"}),
        ({"contingent": "collectivite"}, {}, ALWAYS | {"adaptation"}),
        ({"type_bien": "indifferent"}, {}, (ALWAYS - {"type_bien"}) | {"adaptation"}),  # logement recherché
        ({}, {"taux_effort_max": 0.33}, ALWAYS | {"adaptation", "taux_effort"}),
        (
            {"financement": "PLS", "date_disponibilite": date(2025, 6, 1)},
            {},
            (ALWAYS - {"ressources"}) | {"adaptation"},
        ),
    ],
)
def test_clause_presence(champs: dict, options: dict, attendus: set[str]) -> None:
    assert codes(logement(**champs), **options) == attendus


def doc(**champs) -> dict:
    souhaits = champs.pop("souhaits", None)
    return build_document(demande(souhaits=souhaits, **champs), REFERENTIEL, ON)


def passes(code: str, lgt, d: dict, **options) -> bool:
    return matches(rule_clauses(lgt, REFERENTIEL, MatchingOptions(on=ON, **options))[code], d)


@pytest.mark.parametrize(
    ("souhaits", "commune", "ok"),
    [
        ({"communes": [BLAGNAC]}, BLAGNAC, True),
        ({"communes": [TOULOUSE]}, BLAGNAC, False),
        ({"communes": [TOULOUSE], "elargissement": True}, BLAGNAC, True),
        ({"communes": [CASTANET, TOULOUSE], "elargissement": True}, BLAGNAC, False),
        ({"communes": [], "secteurs": [TOULOUSE_METROPOLE]}, BLAGNAC, True),
        ({"communes": [], "secteurs": [SICOVAL]}, BLAGNAC, False),
        ({"communes": [], "secteurs": ["31"]}, MURET, True),
        ({"communes": [], "secteurs": ["32"]}, MURET, False),
    ],
)
def test_localisation_clause(souhaits: dict, commune: str, ok: bool) -> None:
    assert passes("localisation", logement(commune=commune), doc(souhaits=souhaits)) is ok


@pytest.mark.parametrize(
    ("financement", "champs", "rfr", "ok"),
    [
        ("PLAI", {"personnes_a_charge": 1}, 22_551, True),  # cat 3 PLAI 2026
        ("PLAI", {"personnes_a_charge": 1}, 22_552, False),
        ("PLUS", {}, 23_403, True),  # cat 1 PLUS 2026
        ("PLUS", {}, 23_404, False),
        (
            "PLUS",
            {"co_demandeurs": [personne(1970, "conjoint")], "personnes_a_charge": 5},
            60_156 + 6_710,
            True,
        ),
        (
            "PLUS",
            {"co_demandeurs": [personne(1970, "conjoint")], "personnes_a_charge": 5},
            60_156 + 6_711,
            False,
        ),
        ("PLA", {"personnes_handicapees": 1}, 31_254, True),  # single disabled = cat 2
        ("PLA", {"personnes_handicapees": 1}, 31_255, False),
        ("PLI", {}, 43_475, True),  # zone A, one person
        ("PLI", {}, 43_476, False),
        ("PLI", {"personnes_a_charge": 1}, 999_999, True),  # unknown PLI category 3: kept, to verify
    ],
)
def test_ressources_clause(financement: str, champs: dict, rfr: int, ok: bool) -> None:
    lgt = logement(financement=financement, date_disponibilite=date(2026, 5, 1))
    assert passes("ressources", lgt, doc(revenu_fiscal_reference=rfr, **champs)) is ok


def test_ressources_clause_keeps_very_large_households_for_evaluate() -> None:
    huge = doc(co_demandeurs=[personne(1970, "conjoint")], personnes_a_charge=40, revenu_fiscal_reference=10**7)
    assert passes("ressources", logement(), huge)


@pytest.mark.parametrize(
    ("contingent", "champs", "ok"),
    [
        ("action_logement", {"salarie_secteur_prive": True}, True),
        ("action_logement", {}, False),
        ("prefecture", {"dalo": True}, True),
        ("prefecture", {"priorites": ["violences"]}, True),
        ("prefecture", {}, False),
        ("prefecture_agents_etat", {"agent_etat": True}, True),
        ("prefecture_agents_etat", {}, False),
    ],
)
def test_contingent_clause(contingent: str, champs: dict, ok: bool) -> None:
    assert passes("contingent", logement(contingent=contingent), doc(**champs)) is ok


@pytest.mark.parametrize(
    ("typologie", "surface", "champs", "ok"),
    [
        ("T3", 60, {}, False),
        ("T3", 60, {"enfants_droit_visite": 1}, True),
        ("T1", 15, {"personnes_a_charge": 1}, False),
        ("T1", 16, {"personnes_a_charge": 1}, True),
        ("T1", 8, {}, False),
        ("T6", 70, {"personnes_a_charge": 9}, True),
    ],
)
def test_occupation_clause(typologie: str, surface: float, champs: dict, ok: bool) -> None:
    assert passes("occupation", logement(typologie=typologie, surface=surface), doc(**champs)) is ok


@pytest.mark.parametrize(("loyer_max", "ok"), [(None, True), (450, True), (449, False)])
def test_loyer_clause(loyer_max: int | None, ok: bool) -> None:
    assert passes("loyer", logement(loyer=400, charges=50), doc(souhaits={"loyer_max": loyer_max})) is ok


@pytest.mark.parametrize(("ressources", "ok"), [(1500, True), (1499, False), (0, False)])
def test_taux_effort_clause(ressources: int, ok: bool) -> None:
    lgt = logement(loyer=400, charges=50)
    assert passes("taux_effort", lgt, doc(ressources_mensuelles=ressources), taux_effort_max=0.30) is ok


def test_accessibility_and_adaptation_clauses() -> None:
    refuse_rdc = doc(souhaits={"rdc_accepte": False})
    refuse_stairs = doc(souhaits={"sans_ascenseur_accepte": False})
    needs = doc(besoin_logement_adapte=True, personnes_handicapees=1)
    assert not passes("rdc", logement(etage=0), refuse_rdc)
    assert passes("rdc", logement(etage=0), refuse_stairs)
    assert not passes("ascenseur", logement(etage=3, ascenseur=False), refuse_stairs)
    assert not passes("adaptation", logement(adapte_handicap=False), needs)


def test_sort_per_strategy() -> None:
    plain = candidate_query(logement(), REFERENTIEL, OPTS)["sort"]
    assert [next(iter(k)) for k in plain] == ["groupe_priorite", "date_depot", "numero_unique"]
    adapted = candidate_query(logement(adapte_handicap=True), REFERENTIEL, OPTS)["sort"]
    assert adapted[0] == {"besoin_logement_adapte": {"order": "desc"}}
    cot = candidate_query(logement(commune=BLAGNAC), REFERENTIEL, MatchingOptions(on=ON, strategie="cotation"))
    keys = [next(iter(k)) for k in cot["sort"]]
    assert keys == ["groupe_priorite", f"points_cotation.{TOULOUSE_METROPOLE}", "date_depot", "numero_unique"]
    assert cot["sort"][1][f"points_cotation.{TOULOUSE_METROPOLE}"]["order"] == "desc"
    sicoval = candidate_query(logement(commune=CASTANET), REFERENTIEL, MatchingOptions(on=ON, strategie="cotation"))
    assert "points_cotation.default" in [next(iter(k)) for k in sicoval["sort"]]


def test_bodies_are_json_serialisable() -> None:
    lgt = logement()
    json.dumps(candidate_query(lgt, REFERENTIEL, MatchingOptions(on=ON, taux_effort_max=0.3)))


def test_name_query_folds_the_input() -> None:
    query = name_query("  Aubigné-Núñez ")
    assert {"term": {"noms_plies": {"value": "aubigne nunez", "boost": 4}}} in query["bool"]["should"]
    fuzzy = [q for q in query["bool"]["should"] if "match" in q and "fuzziness" in q["match"]["noms_texte"]]
    assert fuzzy and fuzzy[0]["match"]["noms_texte"]["fuzziness"] == 1
    assert any("match_bool_prefix" in q for q in query["bool"]["should"])


# --- the query and the Python rules agree ---------------------------------------------------------------


def _random_demande(rng: random.Random, i: int) -> dict:
    communes = [TOULOUSE, BLAGNAC, CASTANET, MURET]
    co = [personne(rng.randint(1960, 2004), rng.choice(["conjoint", "fratrie"]))] if rng.random() < 0.5 else []
    return demande(
        numero_unique=f"N{i:04d}",
        etat=rng.choice(["active"] * 5 + ["radiee"]),
        demandeur=personne(rng.randint(1960, 2004)),
        co_demandeurs=co,
        personnes_a_charge=rng.choice([0, 0, 1, 2, 3, 5]),
        enfants_droit_visite=rng.choice([0, 0, 1]),
        personnes_handicapees=rng.choice([0, 0, 0, 1]),
        besoin_logement_adapte=rng.random() < 0.15,
        revenu_fiscal_reference=rng.randint(5_000, 70_000),
        ressources_mensuelles=rng.choice([0, 900, 1500, 2500]),
        salarie_secteur_prive=rng.random() < 0.5,
        agent_etat=rng.random() < 0.2,
        dalo=rng.random() < 0.1,
        priorites=rng.choice([[], [], ["violences"]]),
        souhaits={
            "communes": rng.sample(communes, rng.randint(0, 2)),
            "secteurs": rng.choice([[], [], [TOULOUSE_METROPOLE], ["31"]]),
            "elargissement": rng.random() < 0.5,
            "typologies": rng.sample(["T1", "T2", "T3", "T4", "T5"], rng.randint(1, 3)),
            "type_bien": rng.choice(["appartement", "maison", "indifferent"]),
            "rdc_accepte": rng.random() < 0.8,
            "sans_ascenseur_accepte": rng.random() < 0.7,
            "loyer_max": rng.choice([None, 400, 600, 900]),
        },
    )


def _random_logement(rng: random.Random):
    typologie = rng.choice(["T1", "T2", "T3", "T4", "T5"])
    return logement(
        commune=rng.choice([TOULOUSE, BLAGNAC, CASTANET, MURET]),
        typologie=typologie,
        type_bien=rng.choice(["appartement", "maison", "indifferent"]),  # indifferent: a logement recherché
        surface=rng.choice([14, 20, 30, 45, 60, 75, 90]),
        etage=rng.choice([0, 1, 4]),
        ascenseur=rng.random() < 0.5,
        adapte_handicap=rng.random() < 0.3,
        financement=rng.choice(["PLAI", "PLUS", "PLA", "PLS"]),
        loyer=rng.choice([300, 450.5, 600]),
        charges=rng.choice([30, 60]),
        contingent=rng.choice(["prefecture", "prefecture_agents_etat", "action_logement", "collectivite", "bailleur"]),
        date_disponibilite=date(2026, rng.randint(1, 12), 1),
    )


def test_query_agrees_with_evaluate() -> None:
    rng = random.Random(31)
    demandes = [_random_demande(rng, i) for i in range(250)]
    documents = [build_document(d, REFERENTIEL, ON) for d in demandes]
    compared = matched = 0
    for _ in range(40):
        lgt = _random_logement(rng)
        options = MatchingOptions(on=ON, taux_effort_max=rng.choice([None, 0.33]))
        query = candidate_query(lgt, REFERENTIEL, options)["query"]
        for d, document in zip(demandes, documents, strict=True):
            eligibility = evaluate(d, lgt, REFERENTIEL, options)
            if eligibility.a_verifier:
                continue
            compared += 1
            matched += eligibility.eligible
            assert matches(query, document) is eligibility.eligible, (d["numero_unique"], lgt, eligibility)
    assert compared > 5000 and matched > 0
