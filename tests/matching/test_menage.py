"""Household categories of domain.md §4 (expected values from the domain table, not from the code)."""

from __future__ import annotations

import pytest

from matching.menage import categorie_menage, jeune_menage, nb_personnes, nb_personnes_occupation
from tests.matching.donnees import ON, demande, personne

CATEGORIES = [
    # (case, demande fields, expected category, expected extra persons)
    ("one person", {}, 1, 0),
    (
        "jeune ménage 25 + 28",
        {"co_demandeurs": [personne(2000, "conjoint")], "demandeur": personne(1997)},
        3,
        0,
    ),
    (
        "jeune ménage pacs, sum exactly 55",
        {"co_demandeurs": [personne(1998, "pacs")], "demandeur": personne(1998)},
        3,
        0,
    ),  # 27 + 27 = 54
    (
        "couple sum 55 (27 + 28) still jeune",
        {"co_demandeurs": [personne(1998, "concubin")], "demandeur": personne(1997)},
        3,
        0,
    ),
    (
        "couple sum 56 (28 + 28) not jeune",
        {"co_demandeurs": [personne(1997, "conjoint")], "demandeur": personne(1997)},
        2,
        0,
    ),
    ("couple 30 + 30", {"co_demandeurs": [personne(1995, "conjoint")], "demandeur": personne(1995)}, 2, 0),
    (
        "two young siblings are not a couple",
        {"co_demandeurs": [personne(2005, "fratrie")], "demandeur": personne(2004)},
        2,
        0,
    ),
    (
        "young couple with a dependant: three persons",
        {"co_demandeurs": [personne(2000, "conjoint")], "demandeur": personne(2000), "personnes_a_charge": 1},
        3,
        0,
    ),
    ("one person + 1 dependant", {"personnes_a_charge": 1}, 3, 0),
    ("one person + 2 dependants", {"personnes_a_charge": 2}, 4, 0),
    ("one person + 3 dependants", {"personnes_a_charge": 3}, 5, 0),
    ("one person + 4 dependants", {"personnes_a_charge": 4}, 6, 0),
    ("single disabled person", {"personnes_handicapees": 1}, 2, 0),
    (
        "two persons of whom one disabled",
        {"co_demandeurs": [personne(1970, "conjoint")], "personnes_handicapees": 1},
        3,
        0,
    ),
    (
        "three persons including one disabled",
        {"co_demandeurs": [personne(1970, "conjoint")], "personnes_a_charge": 1, "personnes_handicapees": 1},
        4,
        0,
    ),
    (
        "four persons including one disabled",
        {"co_demandeurs": [personne(1970, "conjoint")], "personnes_a_charge": 2, "personnes_handicapees": 1},
        5,
        0,
    ),
    (
        "five persons including one disabled",
        {"co_demandeurs": [personne(1970, "conjoint")], "personnes_a_charge": 3, "personnes_handicapees": 1},
        6,
        0,
    ),
    ("three persons", {"co_demandeurs": [personne(1970, "conjoint")], "personnes_a_charge": 1}, 3, 0),
    ("four persons", {"co_demandeurs": [personne(1970, "conjoint")], "personnes_a_charge": 2}, 4, 0),
    ("five persons", {"co_demandeurs": [personne(1970, "conjoint")], "personnes_a_charge": 3}, 5, 0),
    ("six persons", {"co_demandeurs": [personne(1970, "conjoint")], "personnes_a_charge": 4}, 6, 0),
    (
        "seven persons: category 6 + 1",
        {"co_demandeurs": [personne(1970, "conjoint")], "personnes_a_charge": 5},
        6,
        1,
    ),
    (
        "eight persons: category 6 + 2",
        {"co_demandeurs": [personne(1970, "conjoint")], "personnes_a_charge": 6},
        6,
        2,
    ),
    ("visiting-rights children do not count", {"enfants_droit_visite": 2}, 1, 0),
    ("expected births do not count for ceilings", {"naissances_attendues": 1}, 1, 0),
    (
        "adult co-demandeur (ascendant) counts as a person",
        {"co_demandeurs": [personne(1950, "ascendant")]},
        2,
        0,
    ),
]


@pytest.mark.parametrize(("cas", "champs", "categorie", "supplementaires"), CATEGORIES, ids=[c[0] for c in CATEGORIES])
def test_categorie_menage(cas: str, champs: dict, categorie: int, supplementaires: int) -> None:
    result = categorie_menage(demande(**champs), on=ON)
    assert (result.categorie, result.personnes_supplementaires) == (categorie, supplementaires)


@pytest.mark.parametrize(
    ("champs", "attendu"),
    [
        ({"co_demandeurs": [personne(2000, "conjoint")], "demandeur": personne(1997)}, True),
        ({"co_demandeurs": [personne(1995, "conjoint")], "demandeur": personne(1995)}, False),
        (
            {
                "co_demandeurs": [personne(2000, "conjoint")],
                "demandeur": personne(2000),
                "personnes_a_charge": 1,
            },
            False,
        ),
        (
            {
                "co_demandeurs": [{"nom": "X", "prenom": "Y", "date_naissance": None, "lien": "conjoint"}],
                "demandeur": personne(2000),
            },
            False,
        ),
        ({}, False),
    ],
)
def test_jeune_menage(champs: dict, attendu: bool) -> None:
    assert jeune_menage(demande(**champs), on=ON) is attendu


def test_jeune_menage_depends_on_reference_date() -> None:
    # 27 + 28 = 55 on 1 Jan 2026; both birthdays (1 June) pass before 1 July 2026 -> 57.
    d = demande(co_demandeurs=[personne(1998, "conjoint")], demandeur=personne(1997))
    from datetime import date

    assert jeune_menage(d, on=date(2026, 1, 1)) is True
    assert jeune_menage(d, on=date(2026, 7, 1)) is False


def test_iso_string_birth_dates_accepted() -> None:
    d = demande(
        demandeur={"nom": "A", "prenom": "B", "date_naissance": "2000-06-01"},
        co_demandeurs=[{"nom": "C", "prenom": "D", "date_naissance": "1997-06-01", "lien": "conjoint"}],
    )
    assert categorie_menage(d, on=ON).categorie == 3


@pytest.mark.parametrize(
    ("champs", "plafonds", "occupation"),
    [
        ({}, 1, 1),
        ({"personnes_a_charge": 2}, 3, 3),
        ({"enfants_droit_visite": 2}, 1, 3),
        ({"naissances_attendues": 1}, 1, 2),
        (
            {
                "co_demandeurs": [personne(1970, "conjoint")],
                "personnes_a_charge": 1,
                "enfants_droit_visite": 1,
                "naissances_attendues": 1,
            },
            3,
            5,
        ),
    ],
)
def test_person_counts(champs: dict, plafonds: int, occupation: int) -> None:
    d = demande(**champs)
    assert nb_personnes(d) == plafonds
    assert nb_personnes_occupation(d) == occupation
