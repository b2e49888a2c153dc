"""Eligibility rules other than resources, table-driven on plain data."""

from __future__ import annotations

import pytest

from matching.options import MatchingOptions
from matching.rules import LIBELLES, RULES, evaluate
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
    personne,
)


def result(d: dict, lgt, code: str, **options):
    r = evaluate(d, lgt, REFERENTIEL, MatchingOptions(on=ON, **options)).resultat(code)
    assert r is not None, f"rule {code} not evaluated"
    return r


def test_every_rule_has_a_french_label() -> None:
    assert set(RULES) == set(LIBELLES)
    assert list(RULES) == [
        "etat",
        "localisation",
        "typologie",
        "type_bien",
        "rdc",
        "ascenseur",
        "adaptation",
        "ressources",
        "contingent",
        "occupation",
        "loyer",
        "taux_effort",
    ]


@pytest.mark.parametrize(
    ("etat", "ok"), [("active", True), ("brouillon", False), ("satisfaite", False), ("radiee", False)]
)
def test_etat(etat: str, ok: bool) -> None:
    assert result(demande(etat=etat), logement(), "etat").ok is ok


@pytest.mark.parametrize(
    ("typologie", "ok"),
    [("chambre", False), ("T1", False), ("T2", True), ("T3", True), ("T4", False), ("T6", False)],
)
def test_typologie_window(typologie: str, ok: bool) -> None:
    d = demande(souhaits={"typologies": ["T2", "T3"]})
    assert result(d, logement(typologie=typologie), "typologie").ok is ok


@pytest.mark.parametrize(
    ("souhait", "bien", "ok"),
    [
        ("appartement", "appartement", True),
        ("appartement", "maison", False),
        ("maison", "maison", True),
        ("maison", "appartement", False),
        ("indifferent", "maison", True),
        ("indifferent", "appartement", True),
        # A logement recherché of category "indifférent" constrains nobody.
        ("maison", "indifferent", True),
        ("appartement", "indifferent", True),
        ("indifferent", "indifferent", True),
    ],
)
def test_type_bien(souhait: str, bien: str, ok: bool) -> None:
    assert result(demande(souhaits={"type_bien": souhait}), logement(type_bien=bien), "type_bien").ok is ok


# etage, ascenseur, rdc_accepte, sans_ascenseur_accepte -> rdc ok, ascenseur ok
ACCESSIBILITE = [
    (0, False, True, True, True, True),
    (0, False, True, False, True, True),
    (0, False, False, True, False, True),
    (0, False, False, False, False, True),
    (0, True, True, True, True, True),
    (0, True, True, False, True, True),
    (0, True, False, True, False, True),
    (0, True, False, False, False, True),
    (3, False, True, True, True, True),
    (3, False, True, False, True, False),
    (3, False, False, True, True, True),
    (3, False, False, False, True, False),
    (3, True, True, True, True, True),
    (3, True, True, False, True, True),
    (3, True, False, True, True, True),
    (3, True, False, False, True, True),
]


@pytest.mark.parametrize(("etage", "ascenseur", "rdc_accepte", "sans_ascenseur", "rdc_ok", "asc_ok"), ACCESSIBILITE)
def test_accessibility_matrix(
    etage: int, ascenseur: bool, rdc_accepte: bool, sans_ascenseur: bool, rdc_ok: bool, asc_ok: bool
) -> None:
    d = demande(souhaits={"rdc_accepte": rdc_accepte, "sans_ascenseur_accepte": sans_ascenseur})
    lgt = logement(etage=etage, ascenseur=ascenseur)
    assert result(d, lgt, "rdc").ok is rdc_ok
    assert result(d, lgt, "ascenseur").ok is asc_ok


def test_accessibility_defaults_accept_ground_floor_and_no_lift() -> None:
    d = demande()
    del d["souhaits"]["rdc_accepte"], d["souhaits"]["sans_ascenseur_accepte"]
    assert result(d, logement(etage=0), "rdc").ok is True
    assert result(d, logement(etage=4, ascenseur=False), "ascenseur").ok is True


@pytest.mark.parametrize(
    ("besoin", "adapte", "ok"),
    [(False, False, True), (False, True, True), (True, False, False), (True, True, True)],
)
def test_adaptation(besoin: bool, adapte: bool, ok: bool) -> None:
    d = demande(besoin_logement_adapte=besoin, personnes_handicapees=1 if besoin else 0)
    assert result(d, logement(adapte_handicap=adapte), "adaptation").ok is ok


LOCALISATION = [
    # (case, souhaits, logement commune, ok)
    ("wished commune", {"communes": [BLAGNAC]}, BLAGNAC, True),
    ("second wished commune", {"communes": [TOULOUSE, BLAGNAC]}, BLAGNAC, True),
    ("other commune, same EPCI, no widening", {"communes": [TOULOUSE]}, BLAGNAC, False),
    (
        "widening to the EPCI of the first commune",
        {"communes": [TOULOUSE], "elargissement": True},
        BLAGNAC,
        True,
    ),
    (
        "widening only from the first commune",
        {"communes": [CASTANET, TOULOUSE], "elargissement": True},
        BLAGNAC,
        False,
    ),
    ("widening does not leave the EPCI", {"communes": [TOULOUSE], "elargissement": True}, CASTANET, False),
    ("EPCI sector", {"communes": [], "secteurs": [TOULOUSE_METROPOLE]}, BLAGNAC, True),
    ("other EPCI sector", {"communes": [], "secteurs": [SICOVAL]}, BLAGNAC, False),
    ("département sector", {"communes": [], "secteurs": ["31"]}, MURET, True),
    ("other département sector", {"communes": [], "secteurs": ["32"]}, MURET, False),
    ("commune without known EPCI, wished", {"communes": ["31999"]}, "31999", True),
    (
        "commune without known EPCI, widening from it",
        {"communes": ["31998"], "elargissement": True},
        "31999",
        False,
    ),
]


@pytest.mark.parametrize(("cas", "souhaits", "commune", "ok"), LOCALISATION, ids=[c[0] for c in LOCALISATION])
def test_localisation(cas: str, souhaits: dict, commune: str, ok: bool) -> None:
    assert result(demande(souhaits=souhaits), logement(commune=commune), "localisation").ok is ok


CONTINGENTS = [
    # (contingent, demande fields, ok)
    ("action_logement", {"salarie_secteur_prive": True}, True),
    ("action_logement", {"salarie_secteur_prive": False}, False),
    ("prefecture", {"dalo": True}, True),
    ("prefecture", {"priorites": ["violences"]}, True),
    ("prefecture", {}, False),
    ("prefecture", {"agent_etat": True, "salarie_secteur_prive": True}, False),
    ("prefecture_agents_etat", {"agent_etat": True}, True),
    ("prefecture_agents_etat", {"dalo": True}, False),
    ("collectivite", {}, True),
    ("bailleur", {}, True),
]


@pytest.mark.parametrize(("contingent", "champs", "ok"), CONTINGENTS)
def test_contingent(contingent: str, champs: dict, ok: bool) -> None:
    assert result(demande(**champs), logement(contingent=contingent), "contingent").ok is ok


OCCUPATION = [
    # (case, demande fields, typologie, surface, ok)
    ("T3 for one person: sous-occupation (3 rooms > 1 + 1)", {}, "T3", 60, False),
    ("T2 for one person", {}, "T2", 40, True),
    ("T3 for two persons", {"personnes_a_charge": 1}, "T3", 60, True),
    ("T3 for one person + 1 visiting child", {"enfants_droit_visite": 1}, "T3", 60, True),
    ("T3 for one person + 1 expected birth", {"naissances_attendues": 1}, "T3", 60, True),
    ("T4 for two persons: sous-occupation", {"personnes_a_charge": 1}, "T4", 80, False),
    ("chambre 9 m² for one", {}, "chambre", 9, True),
    ("T1 8.5 m² for one: sur-occupation", {}, "T1", 8.5, False),
    ("T1 16 m² for two", {"personnes_a_charge": 1}, "T1", 16, True),
    ("T1 15 m² for two: sur-occupation", {"personnes_a_charge": 1}, "T1", 15, False),
    ("T2 25 m² for three (16 + 9)", {"personnes_a_charge": 2}, "T2", 25, True),
    ("T2 24 m² for three: sur-occupation", {"personnes_a_charge": 2}, "T2", 24, False),
    ("T6 70 m² for eight", {"personnes_a_charge": 7}, "T6", 70, True),
    ("T6 69 m² for eight: sur-occupation", {"personnes_a_charge": 7}, "T6", 69, False),
    ("T6 70 m² for ten: norm capped at 70", {"personnes_a_charge": 9}, "T6", 70, True),
    ("visiting children count for surface", {"enfants_droit_visite": 2}, "T2", 24, False),
]


@pytest.mark.parametrize(("cas", "champs", "typologie", "surface", "ok"), OCCUPATION, ids=[c[0] for c in OCCUPATION])
def test_occupation(cas: str, champs: dict, typologie: str, surface: float, ok: bool) -> None:
    lgt = logement(typologie=typologie, surface=surface)
    assert result(demande(**champs), lgt, "occupation").ok is ok


def test_occupation_explanations_name_the_problem() -> None:
    assert "Sous-occupation" in result(demande(), logement(typologie="T4", surface=80), "occupation").explication
    sur = result(demande(personnes_a_charge=1), logement(typologie="T1", surface=15), "occupation")
    assert sur.explication.startswith("Sur-occupation : 15 m² pour 2 occupant(s) (minimum 16 m²)")


@pytest.mark.parametrize(("loyer_max", "ok"), [(None, True), (450, True), (451, True), (449, False)])
def test_loyer(loyer_max: int | None, ok: bool) -> None:
    d = demande(souhaits={"loyer_max": loyer_max})
    assert result(d, logement(loyer=400, charges=50), "loyer").ok is ok


@pytest.mark.parametrize(
    ("ressources", "taux_max", "ok"),
    [
        (1500, 0.30, True),  # 450 / 1500 = 30 %: boundary included
        (1499, 0.30, False),
        (1286, 0.35, True),  # 450 / 1286 = 34.99 %
        (1285, 0.35, False),
        (0, 0.35, False),
    ],
)
def test_taux_effort(ressources: int, taux_max: float, ok: bool) -> None:
    d = demande(ressources_mensuelles=ressources)
    assert result(d, logement(loyer=400, charges=50), "taux_effort", taux_effort_max=taux_max).ok is ok


def test_taux_effort_zero_resources_has_clear_reason() -> None:
    r = result(demande(ressources_mensuelles=0), logement(), "taux_effort", taux_effort_max=0.33)
    assert "Ressources mensuelles nulles" in r.explication


def test_taux_effort_only_when_requested() -> None:
    eligibility = evaluate(demande(ressources_mensuelles=0), logement(), REFERENTIEL, MatchingOptions(on=ON))
    assert eligibility.resultat("taux_effort") is None
    assert eligibility.eligible


def test_evaluate_keeps_every_failure_with_explanations() -> None:
    d = demande(
        etat="radiee",
        souhaits={"communes": [CASTANET], "typologies": ["T4"]},
        revenu_fiscal_reference=99_999,
    )
    eligibility = evaluate(d, logement(), REFERENTIEL, MatchingOptions(on=ON))
    assert not eligibility.eligible
    assert [r.code for r in eligibility.exclusions] == ["etat", "localisation", "typologie", "ressources"]
    assert all(r.explication for r in eligibility.resultats)


def test_evaluate_accepts_a_logement_dict_with_iso_dates() -> None:
    lgt = {
        "commune": TOULOUSE,
        "typologie": "T2",
        "type_bien": "appartement",
        "surface": 45,
        "etage": 1,
        "ascenseur": True,
        "adapte_handicap": False,
        "parking": False,
        "financement": "PLAI",
        "loyer": 350,
        "charges": 40,
        "contingent": "prefecture",
        "date_disponibilite": "2026-04-01",
        "qpv": True,
    }
    d = demande(
        priorites=["sans_logement"],
        revenu_fiscal_reference=12_000,
        co_demandeurs=[personne(1982, "conjoint")],
    )
    assert evaluate(d, lgt, REFERENTIEL, MatchingOptions(on=ON)).eligible
