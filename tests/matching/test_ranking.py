"""Ranking strategy priorite_anciennete and the cotation grids (domain.md §5)."""

from __future__ import annotations

from datetime import date

import pytest

from matching.cotation import GRILLE_PAR_DEFAUT, cle_cotation, grille, grille_pour_epci, points
from matching.ranking import anciennete_mois, classer, groupe_priorite, libelle_groupe
from tests.matching.donnees import demande, logement


@pytest.mark.parametrize(
    ("champs", "groupe"),
    [
        ({"dalo": True}, 0),
        ({"dalo": True, "priorites": ["violences"]}, 0),
        ({"priorites": ["violences"]}, 1),
        ({"priorites": ["handicap", "sans_logement"]}, 1),
        ({}, 2),
    ],
)
def test_groupe_priorite(champs: dict, groupe: int) -> None:
    assert groupe_priorite(demande(**champs)) == groupe


def test_group_labels_are_french() -> None:
    assert libelle_groupe(0) == "Ménage reconnu prioritaire DALO"
    assert "L441-1" in libelle_groupe(1)


@pytest.mark.parametrize(
    ("depot", "on", "mois"),
    [
        (date(2024, 1, 15), date(2024, 1, 15), 0),
        (date(2024, 1, 15), date(2024, 2, 14), 0),
        (date(2024, 1, 15), date(2024, 2, 15), 1),
        (date(2023, 1, 31), date(2023, 2, 28), 1),
        (date(2024, 1, 15), date(2027, 1, 15), 36),
        (date(2024, 1, 15), date(2027, 2, 15), 37),
        ("2024-01-15", date(2025, 1, 14), 11),
        (date(2026, 1, 1), date(2025, 1, 1), 0),
    ],
)
def test_anciennete_mois(depot, on: date, mois: int) -> None:
    assert anciennete_mois(depot, on) == mois


def _d(numero: str, depot: date, **champs) -> dict:
    return demande(numero_unique=numero, date_depot=depot, **champs)


CANDIDATS = [
    _d("A-old-ordinary", date(2019, 1, 1)),
    _d("B-dalo-recent", date(2025, 6, 1), dalo=True),
    _d("C-priority", date(2023, 1, 1), priorites=["violences"]),
    _d("D-dalo-old", date(2022, 1, 1), dalo=True),
    _d("E-adapted-need-ordinary", date(2024, 1, 1), besoin_logement_adapte=True, personnes_handicapees=1),
    _d("F-same-day-b", date(2023, 1, 1), priorites=["mal_loge"]),
    _d("F-same-day-a", date(2023, 1, 1), priorites=["mal_loge"]),
]


def test_order_on_an_ordinary_logement() -> None:
    ordre = [d["numero_unique"] for d in classer(CANDIDATS, logement(adapte_handicap=False))]
    assert ordre == [
        "D-dalo-old",
        "B-dalo-recent",
        "C-priority",
        "F-same-day-a",
        "F-same-day-b",
        "A-old-ordinary",
        "E-adapted-need-ordinary",
    ]


def test_order_on_an_adapted_logement_puts_adaptation_needs_first() -> None:
    ordre = [d["numero_unique"] for d in classer(CANDIDATS, logement(adapte_handicap=True))]
    assert ordre[0] == "E-adapted-need-ordinary"
    assert ordre[1:] == [
        "D-dalo-old",
        "B-dalo-recent",
        "C-priority",
        "F-same-day-a",
        "F-same-day-b",
        "A-old-ordinary",
    ]


ON = date(2027, 3, 1)
TOULOUSE_METROPOLE = "243100518"

COTATION_TM = [
    # (case, date_depot, fields, total); Toulouse Métropole grid:
    # +1 per month, +20 beyond 36 months, +50 DALO, +40 priority public
    ("10 months", date(2026, 5, 1), {}, 10),
    ("36 months: no long-delay bonus yet", date(2024, 3, 1), {}, 36),
    ("37 months: +20", date(2024, 2, 1), {}, 37 + 20),
    ("DALO", date(2026, 5, 1), {"dalo": True}, 10 + 50),
    ("priority public", date(2026, 5, 1), {"priorites": ["sans_logement"]}, 10 + 40),
    ("DALO and priority public", date(2026, 5, 1), {"dalo": True, "priorites": ["violences"]}, 10 + 50 + 40),
    ("filed today", ON, {}, 0),
]


@pytest.mark.parametrize(("cas", "depot", "champs", "total"), COTATION_TM, ids=[c[0] for c in COTATION_TM])
def test_cotation_toulouse_metropole(cas: str, depot: date, champs: dict, total: int) -> None:
    score, detail = points(_d("X", depot, **champs), grille(TOULOUSE_METROPOLE), ON)
    assert score == total
    assert sum(p for _, _, p in detail) == total


def test_cotation_detail_lines() -> None:
    _, detail = points(_d("X", date(2024, 2, 1), dalo=True), grille(TOULOUSE_METROPOLE), ON)
    assert [(code, pts) for code, _, pts in detail] == [
        ("anciennete", 37),
        ("delai_anormal", 20),
        ("dalo", 50),
    ]
    assert all(libelle for _, libelle, _ in detail)


def test_default_grid_has_no_long_delay_bonus() -> None:
    assert points(_d("X", date(2024, 2, 1)), grille(GRILLE_PAR_DEFAUT), ON)[0] == 37


@pytest.mark.parametrize(
    ("epci", "attendu"),
    [(TOULOUSE_METROPOLE, TOULOUSE_METROPOLE), ("243100633", GRILLE_PAR_DEFAUT), (None, GRILLE_PAR_DEFAUT)],
)
def test_grid_per_epci(epci: str | None, attendu: str) -> None:
    assert grille_pour_epci(epci)[0] == attendu


def test_cotation_order_group_then_score_then_seniority() -> None:
    grid = grille(TOULOUSE_METROPOLE)
    candidats = [
        _d("old-ordinary", date(2020, 1, 1)),
        _d("recent-dalo", date(2026, 12, 1), dalo=True),
        _d("older-priority", date(2024, 1, 1), priorites=["violences"]),
        _d("newer-priority", date(2026, 1, 1), priorites=["violences"]),
    ]
    ordre = sorted(candidats, key=lambda d: cle_cotation(d, False, points(d, grid, ON)[0]))
    assert [d["numero_unique"] for d in ordre] == [
        "recent-dalo",
        "older-priority",
        "newer-priority",
        "old-ordinary",
    ]
