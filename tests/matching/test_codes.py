"""Versioned code lists (domain.md §5 priority publics, Cerfa motifs)."""

from __future__ import annotations

from matching.codes import MOTIFS, PRIORITES, TYPOLOGIES, motifs_inconnus, priorites_inconnues

DOMAIN_PRIORITES = {
    "handicap",
    "sortie_act",
    "mal_loge",
    "heberge_structure",
    "reprise_activite",
    "habitat_indigne",
    "violences",
    "prostitution_traite",
    "suroccupation_enfant",
    "sans_logement",
    "menace_expulsion",
    "victime_viol",
    "sortie_ase",
}


def test_priorites_are_exactly_the_domain_list() -> None:
    assert set(PRIORITES) == DOMAIN_PRIORITES
    assert PRIORITES.version
    assert all(PRIORITES.libelle(code) for code in PRIORITES)


def test_motifs_cover_the_usual_cerfa_reasons() -> None:
    attendus = {
        "sans_logement",
        "logement_insalubre",
        "logement_trop_petit",
        "logement_trop_cher",
        "divorce_separation",
        "violences",
        "handicap",
        "rapprochement_travail",
        "rapprochement_famille",
        "mutation_professionnelle",
        "raisons_sante",
        "demolition",
        "vente_logement",
        "procedure_expulsion",
        "heberge",
        "autre",
    }
    assert attendus <= set(MOTIFS)
    assert MOTIFS.version


def test_unknown_codes_are_reported_once_in_order() -> None:
    assert priorites_inconnues(["violences", "zzz", "dalo", "zzz"]) == ["zzz", "dalo"]
    assert motifs_inconnus(["autre"]) == []


def test_typologies() -> None:
    assert TYPOLOGIES == ("chambre", "T1", "T2", "T3", "T4", "T5", "T6")
