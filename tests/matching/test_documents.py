"""Demande -> Elasticsearch document, and the document/mapping agreement."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from indexing.documents import build_document
from tests.matching.donnees import (
    BLAGNAC,
    CASTANET,
    ON,
    REFERENTIEL,
    SICOVAL,
    TOULOUSE,
    TOULOUSE_METROPOLE,
    demande,
    personne,
)

MAPPING = json.loads((Path(__file__).parents[2] / "mappings" / "demandes-v2.json").read_text(encoding="utf-8"))


def _exemple() -> dict:
    return demande(
        numero_unique="031-2023-0042",
        date_depot=date(2023, 3, 10),
        date_renouvellement=date(2025, 3, 1),
        demandeur={"nom": "D'Aubigné-Ñúñez", "prenom": "Élodie", "date_naissance": date(1999, 2, 1)},
        co_demandeurs=[
            {"nom": "Lefèvre", "prenom": "Noël", "date_naissance": "1998-07-14", "lien": "pacs"},
        ],
        situation_familiale="pacse",
        enfants_droit_visite=1,
        dalo=True,
        priorites=["violences"],
        fsl={"du": date(2025, 1, 1), "au": "2025-12-31"},
        souhaits={
            "communes": [TOULOUSE, CASTANET],
            "secteurs": [TOULOUSE_METROPOLE, "31"],
            "elargissement": True,
            "typologies": ["T2", "T3"],
            "loyer_max": 700,
        },
        revision=7,
    )


def test_identity_fields_raw_and_folded() -> None:
    doc = build_document(_exemple(), REFERENTIEL, ON)
    assert doc["demandeur_nom"] == "D'Aubigné-Ñúñez"
    assert doc["noms"] == ["D'Aubigné-Ñúñez", "Lefèvre"]
    assert doc["noms_plies"] == ["d aubigne nunez", "lefevre"]
    assert doc["prenoms_plies"] == ["elodie", "noel"]
    assert doc["noms_texte"] == "d aubigne nunez lefevre elodie noel"
    assert doc["dates_naissance"] == ["1999-02-01", "1998-07-14"]
    assert doc["co_demandeurs"] == [
        {"nom": "Lefèvre", "prenom": "Noël", "date_naissance": "1998-07-14", "lien": "pacs"}
    ]


def test_household_and_priority_fields() -> None:
    doc = build_document(_exemple(), REFERENTIEL, ON)
    # 26 + 27 = 53 on 1 Jan 2026: jeune ménage, category 3; the visiting child counts for occupation only.
    assert (doc["nb_personnes"], doc["nb_personnes_occupation"]) == (2, 3)
    assert (doc["categorie_menage"], doc["personnes_supplementaires"], doc["jeune_menage"]) == (3, 0, True)
    assert (doc["dalo"], doc["groupe_priorite"]) == (True, 0)
    assert (doc["fsl_du"], doc["fsl_au"]) == ("2025-01-01", "2025-12-31")


def test_dates_seniority_and_validity() -> None:
    doc = build_document(_exemple(), REFERENTIEL, ON)
    assert doc["date_depot"] == "2023-03-10"
    assert doc["date_fin_validite"] == "2026-03-01"  # 12 months after the last renewal
    assert doc["anciennete_mois"] == 33  # 10 Mar 2023 -> 1 Jan 2026; renewal does not reset it
    assert doc["calcule_le"] == "2026-01-01"
    no_renewal = build_document(demande(date_depot=date(2025, 2, 28)), REFERENTIEL, ON)
    assert no_renewal["date_fin_validite"] == "2026-02-28"


def test_wishes_are_expanded() -> None:
    doc = build_document(_exemple(), REFERENTIEL, ON)
    assert doc["souhait_communes"] == [TOULOUSE, CASTANET]
    assert doc["souhait_commune_premier_choix"] == TOULOUSE
    assert doc["souhait_epci_des_communes"] == [TOULOUSE_METROPOLE, SICOVAL]
    assert doc["souhait_departements_des_communes"] == ["31"]
    assert doc["souhait_secteurs_epci"] == [TOULOUSE_METROPOLE]
    assert doc["souhait_secteurs_departements"] == ["31"]
    assert (doc["elargissement"], doc["epci_premier_choix"]) == (True, TOULOUSE_METROPOLE)
    assert (doc["rdc_accepte"], doc["sans_ascenseur_accepte"], doc["loyer_max"]) == (True, True, 700)


def test_cotation_points_per_grid() -> None:
    doc = build_document(_exemple(), REFERENTIEL, ON)
    # 33 months, DALO (+50), priority public (+40); no +20 (not beyond 36 months)
    assert doc["points_cotation"] == {"default": 33 + 50 + 40, "243100518": 33 + 50 + 40}


def test_document_fields_match_the_mapping_exactly() -> None:
    doc = build_document(_exemple(), REFERENTIEL, ON)
    properties = MAPPING["mappings"]["properties"]
    assert set(doc) == set(properties)
    assert set(doc["co_demandeurs"][0]) == set(properties["co_demandeurs"]["properties"])
    assert set(doc["points_cotation"]) <= set(properties["points_cotation"]["properties"])


def test_mapping_uses_only_core_analysis() -> None:
    settings = MAPPING["settings"]
    assert (settings["number_of_shards"], settings["number_of_replicas"], settings["refresh_interval"]) == (
        1,
        0,
        "1s",
    )
    assert MAPPING["mappings"]["dynamic"] == "strict"
    for analyzer in settings["analysis"]["analyzer"].values():
        assert analyzer["type"] in {"standard", "simple", "whitespace", "keyword", "stop"}
    for field in MAPPING["mappings"]["properties"].values():
        assert field.get("normalizer", "lowercase") == "lowercase"
        assert field.get("analyzer", "noms") in settings["analysis"]["analyzer"]


def test_minimal_demande_builds() -> None:
    d = demande(co_demandeurs=[personne(1970, "conjoint")], souhaits={"communes": [BLAGNAC]})
    d.pop("fsl")
    doc = build_document(d, REFERENTIEL, ON)
    assert doc["fsl_du"] is None and doc["souhait_commune_premier_choix"] == BLAGNAC
