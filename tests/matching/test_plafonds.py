"""Resource ceilings (domain.md §4 table) and the `ressources` rule at the euro boundary."""

from __future__ import annotations

from datetime import date

import pytest

from matching.options import MatchingOptions
from matching.plafonds import PlafondInconnu, plafond, resoudre_plafond
from matching.rules import evaluate
from tests.matching.donnees import CASTANET, ON, REFERENTIEL, TOULOUSE, demande, logement, personne

PLUS_2026 = {1: 23_403, 2: 31_254, 3: 37_584, 4: 45_374, 5: 53_376, 6: 60_156}
PLUS_2026_SUPPLEMENT = 6_710
PLAI_2026 = {1: 12_870, 2: 18_752, 3: 22_551, 4: 25_092, 5: 29_358, 6: 33_086}
PLAI_2026_SUPPLEMENT = 3_688
PLUS_2025 = {1: 23_201, 2: 30_984, 3: 37_259, 4: 44_982, 5: 52_915, 6: 59_636}
PLUS_2024 = {1: 22_642, 2: 30_238, 3: 36_362, 4: 43_899, 5: 51_641, 6: 58_200}
PLAI_2024 = {1: 12_452, 2: 18_143, 3: 21_818, 4: 24_276, 5: 28_404, 6: 32_010}
PLAI_2025 = {1: 12_759, 2: 18_591, 3: 22_356, 4: 24_875, 5: 29_105, 6: 32_800}
PLS_2026 = {1: 30_424, 2: 40_630, 3: 48_859, 4: 58_986, 5: 69_389, 6: 78_203}

TABLES = [
    ("PLUS", 2024, PLUS_2024, 6_492),
    ("PLUS", 2025, PLUS_2025, 6_652),
    ("PLUS", 2026, PLUS_2026, PLUS_2026_SUPPLEMENT),
    ("PLAI", 2024, PLAI_2024, 3_569),
    ("PLAI", 2025, PLAI_2025, 3_657),
    ("PLAI", 2026, PLAI_2026, PLAI_2026_SUPPLEMENT),
    ("PLS", 2026, PLS_2026, 8_723),
]


@pytest.mark.parametrize(
    ("financement", "annee", "categorie", "attendu"),
    [(f, a, c, v) for f, a, table, _ in TABLES for c, v in table.items()],
)
def test_table(financement: str, annee: int, categorie: int, attendu: int) -> None:
    assert plafond(financement, categorie, 0, annee) == attendu


@pytest.mark.parametrize(("financement", "annee", "table", "supplement"), TABLES)
def test_extra_persons(financement: str, annee: int, table: dict, supplement: int) -> None:
    assert plafond(financement, 6, 1, annee) == table[6] + supplement
    assert plafond(financement, 6, 3, annee) == table[6] + 3 * supplement


@pytest.mark.parametrize("categorie", range(1, 7))
def test_pla_is_plus(categorie: int) -> None:
    assert plafond("PLA", categorie, 0, 2026) == PLUS_2026[categorie]
    assert plafond("PLA", categorie, 0, 2025) == PLUS_2025[categorie]


def test_year_fallback_uses_latest_known_year_and_says_so() -> None:
    p = resoudre_plafond("PLUS", 1, 0, 2028)
    assert (p.montant, p.annee_appliquee, p.annee_demandee) == (PLUS_2026[1], 2026, 2028)
    assert "barème 2028 non connu, barème 2026 appliqué" in p.libelle()


def test_year_before_any_table_is_unknown() -> None:
    with pytest.raises(PlafondInconnu):
        plafond("PLUS", 1, 0, 2023)
    with pytest.raises(PlafondInconnu):
        plafond("PLS", 1, 0, 2025)  # only PLS 2026 is given


@pytest.mark.parametrize(
    ("commune", "categorie", "supplementaires", "attendu"),
    [
        (TOULOUSE, 1, 0, 43_475),  # zone A
        (TOULOUSE, 2, 0, 64_976),
        ("31069", 1, 0, 43_475),  # Blagnac, zone A
        ("31149", 2, 0, 64_976),  # Colomiers
        ("31561", 1, 0, 43_475),  # L'Union
        ("31254", 1, 0, 43_475),  # Labège
        (CASTANET, 1, 0, 35_435),  # default B1
        (CASTANET, 2, 0, 47_321),
    ],
)
def test_pli_by_zone(commune: str, categorie: int, supplementaires: int, attendu: int) -> None:
    assert plafond("PLI", categorie, supplementaires, 2025, commune) == attendu
    assert plafond("PLI", categorie, supplementaires, 2026, commune) == attendu  # 2025 values still apply


@pytest.mark.parametrize("categorie", [3, 4, 5, 6])
def test_pli_unknown_categories_are_reported_not_invented(categorie: int) -> None:
    with pytest.raises(PlafondInconnu, match="non connu"):
        plafond("PLI", categorie, 0, 2025, TOULOUSE)


def _menage_de_categorie(categorie: int, supplementaires: int = 0) -> dict:
    """Households of domain §4: 1 = one person, 2 = couple (not jeune), n = couple + (n - 2) dependants."""
    if categorie == 1:
        return {}
    return {
        "demandeur": personne(1975),
        "co_demandeurs": [personne(1976, "conjoint")],
        "personnes_a_charge": categorie - 2 + supplementaires,
    }


BOUNDARY = [(fin, c, table[c]) for fin, table in (("PLUS", PLUS_2026), ("PLAI", PLAI_2026)) for c in range(1, 7)] + [
    ("PLUS", 7, PLUS_2026[6] + PLUS_2026_SUPPLEMENT),
    ("PLAI", 7, PLAI_2026[6] + PLAI_2026_SUPPLEMENT),
    ("PLUS", 8, PLUS_2026[6] + 2 * PLUS_2026_SUPPLEMENT),
    ("PLAI", 8, PLAI_2026[6] + 2 * PLAI_2026_SUPPLEMENT),
]


@pytest.mark.parametrize(("financement", "personnes", "ceiling"), BOUNDARY)
@pytest.mark.parametrize(("ecart", "ok"), [(0, True), (1, False), (-1, True)])
def test_ressources_boundary_is_inclusive(financement: str, personnes: int, ceiling: int, ecart: int, ok: bool) -> None:
    categorie, supplementaires = min(personnes, 6), max(personnes - 6, 0)
    d = demande(revenu_fiscal_reference=ceiling + ecart, **_menage_de_categorie(categorie, supplementaires))
    lgt = logement(financement=financement, date_disponibilite=date(2026, 6, 1))
    result = evaluate(d, lgt, REFERENTIEL, MatchingOptions(on=ON)).resultat("ressources")
    assert result is not None and result.ok is ok


def test_ressources_explanation_with_figures() -> None:
    d = demande(revenu_fiscal_reference=21_300, personnes_a_charge=1)  # one person + 1 dependant = cat 3
    lgt = logement(financement="PLAI", date_disponibilite=date(2026, 2, 1))
    result = evaluate(d, lgt, REFERENTIEL, MatchingOptions(on=ON)).resultat("ressources")
    assert result is not None
    assert result.explication == "Revenu fiscal 21 300 € ≤ plafond PLAI 2026 catégorie 3 : 22 551 € (marge 1 251 €)"


def test_ressources_uses_year_of_availability() -> None:
    d = demande(revenu_fiscal_reference=PLUS_2025[1] + 1)
    in_2025 = logement(date_disponibilite=date(2025, 12, 31))
    in_2026 = logement(date_disponibilite=date(2026, 1, 1))
    opts = MatchingOptions(on=ON)
    assert evaluate(d, in_2025, REFERENTIEL, opts).resultat("ressources").ok is False
    assert evaluate(d, in_2026, REFERENTIEL, opts).resultat("ressources").ok is True


def test_ressources_year_fallback_is_explained() -> None:
    lgt = logement(date_disponibilite=date(2027, 3, 1))
    result = evaluate(demande(), lgt, REFERENTIEL, MatchingOptions(on=ON)).resultat("ressources")
    assert result.ok is True
    assert "barème 2027 non connu, barème 2026 appliqué" in result.explication


def test_ressources_unknown_pli_category_is_to_verify() -> None:
    d = demande(**_menage_de_categorie(3))
    lgt = logement(financement="PLI", date_disponibilite=date(2025, 6, 1))
    eligibility = evaluate(d, lgt, REFERENTIEL, MatchingOptions(on=ON))
    result = eligibility.resultat("ressources")
    assert result.ok is None and "à vérifier" in result.explication
    assert not eligibility.eligible and [r.code for r in eligibility.a_verifier] == ["ressources"]
