"""`GET /api/v1/demandes`: search served from Elasticsearch."""

from __future__ import annotations

from datetime import date

import pytest
from elasticsearch.helpers import bulk as es_bulk

from app.referentiel.service import referentiel
from indexing import consumer, lifecycle
from indexing.documents import build_document
from tests.indexing import helpers
from tests.matching.donnees import BLAGNAC, CASTANET, SICOVAL, TOULOUSE, TOULOUSE_METROPOLE

pytestmark = pytest.mark.services


@pytest.fixture
def demandes(clean, es, monkeypatch):
    monkeypatch.setitem(clean.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)
    helpers.new_demande(
        "031-2024-00001",
        nom="Lefèvre",
        prenom="Hélène",
        date_depot=date(2024, 1, 1),
        souhaits={"communes": [TOULOUSE], "typologies": ["T2"]},
        priorites=["handicap"],
    )
    helpers.new_demande(
        "031-2024-00002",
        nom="Martin",
        prenom="Paul",
        date_depot=date(2024, 2, 1),
        souhaits={"communes": [BLAGNAC], "typologies": ["T3", "T4"]},
        co_demandeurs=[{"nom": "Ngô", "prenom": "Anh", "date_naissance": "1985-03-03", "lien": "conjoint"}],
    )
    helpers.new_demande(
        "031-2023-00003",
        nom="Martinez",
        prenom="Inès",
        date_depot=date(2023, 5, 1),
        souhaits={"communes": [CASTANET], "typologies": ["T2"]},
        collecteur="AL-OCCITANIE",
    )
    helpers.new_demande(
        "031-2024-00004",
        nom="Dubois",
        prenom="Zoé",
        etat="radiee",
        organisme="BAILLEUR-31",
        souhaits={"communes": [TOULOUSE], "typologies": ["T1"]},
    )
    helpers.new_demande("031-2024-00005", nom="Secret", prenom="Brouillon", etat="brouillon", organisme="GUICHET-31")
    from app.extensions import db

    db.session.commit()
    consumer.drain()
    es.indices.refresh(index=lifecycle.current_spec().alias)
    return clean


def _search(api, role: str = "gestionnaire", **params):
    response = api(role).get("/api/v1/demandes", query_string=params)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _numeros(body) -> list[str]:
    return [r["numero_unique"] for r in body["resultats"]]


def test_name_insensitive_to_case_and_accents(demandes, api) -> None:
    assert _numeros(_search(api, q="LEFEVRE")) == ["031-2024-00001"]
    assert _numeros(_search(api, q="hélène lefèvre")) == ["031-2024-00001"]
    assert _numeros(_search(api, q="ngo")) == ["031-2024-00002"]  # a co-demandeur


def test_one_typo_and_prefix_typing(demandes, api) -> None:
    assert "031-2024-00001" in _numeros(_search(api, q="lefevra"))
    assert set(_numeros(_search(api, q="mart"))) == {"031-2024-00002", "031-2023-00003"}
    assert _numeros(_search(api, q="martinez"))[0] == "031-2023-00003"


def test_filters_and_numero_prefix(demandes, api) -> None:
    assert _numeros(_search(api, numero="031-2023")) == ["031-2023-00003"]
    assert _numeros(_search(api, etat="radiee")) == ["031-2024-00004"]
    assert _numeros(_search(api, commune=BLAGNAC)) == ["031-2024-00002"]
    assert _numeros(_search(api, secteur=SICOVAL)) == ["031-2023-00003"]
    assert set(_numeros(_search(api, secteur=TOULOUSE_METROPOLE, etat="active"))) == {
        "031-2024-00001", "031-2024-00002"}  # fmt: skip
    assert _numeros(_search(api, typologie="T4")) == ["031-2024-00002"]
    assert _numeros(_search(api, priorite="handicap")) == ["031-2024-00001"]
    assert _numeros(_search(api, collecteur="AL-OCCITANIE")) == ["031-2023-00003"]
    assert _numeros(_search(api, organisme="BAILLEUR-31")) == ["031-2024-00004"]


def test_summaries_facets_and_sort(demandes, api) -> None:
    body = _search(api)
    assert body["total"] == 4  # the brouillon is not visible to another organisation
    # Oldest filing first (seniority), then numero.
    assert _numeros(body) == ["031-2023-00003", "031-2024-00001", "031-2024-00004", "031-2024-00002"]
    first = body["resultats"][1]
    assert first["noms"] == ["Lefèvre"] and first["commune"] == TOULOUSE and first["typologies"] == ["T2"]
    assert first["date_depot"] == "2024-01-01" and first["nb_personnes"] == 1 and first["etat"] == "active"
    facettes = body["facettes"]
    assert facettes["etat"] == {"active": 3, "radiee": 1}
    assert facettes["typologie"] == {"T2": 2, "T1": 1, "T3": 1, "T4": 1}
    assert facettes["priorite"] == {"handicap": 1}
    assert facettes["secteur"] == {TOULOUSE_METROPOLE: 3, SICOVAL: 1}
    assert facettes["composition"] == {"1": 3, "2": 1}
    assert body["suivant"] is None


def test_brouillon_visible_to_its_organisation_only(demandes, api) -> None:
    assert "031-2024-00005" not in _numeros(_search(api, "gestionnaire"))
    assert "031-2024-00005" in _numeros(_search(api, "guichet"))


def test_bad_parameters_are_422_naming_the_parameter(demandes, api) -> None:
    for params, champ in [
        ({"limit": 0}, "limit"),
        ({"etat": "perdue"}, "etat"),
        ({"inconnu": "x"}, "inconnu"),
        ({"typologie": "T9"}, "typologie"),
        ({"suivant": "pas-un-curseur"}, "suivant"),
    ]:
        response = api("gestionnaire").get("/api/v1/demandes", query_string=params)
        assert response.status_code == 422, (params, response.get_json())
        assert champ in str(response.get_json()), response.get_json()


def test_deep_paging_beyond_ten_thousand(clean, es, api) -> None:
    """10 050 prebuilt documents, paged 200 at a time with `suivant`: every one exactly once, in order."""
    alias = lifecycle.current_spec().alias
    base = helpers.payload("Profond", "Page")
    ref = referentiel()

    def actions():
        for i in range(10_050):
            source = {
                **base,
                "numero_unique": f"031-X-{i:06d}",
                "etat": "active",
                "revision": 1,
                "organisme_enregistreur": "ATLAS",
                "date_depot": date(2020 + i % 5, 1 + i % 12, 1),
            }
            yield {
                "_index": alias,
                "_id": source["numero_unique"],
                "_source": build_document(source, ref, date(2026, 1, 1)),
            }

    es_bulk(es, actions(), chunk_size=2000, refresh="wait_for")
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"limit": 200}
        if cursor:
            params["suivant"] = cursor
        body = _search(api, **params)
        assert body["total"] == 10_050
        seen += _numeros(body)
        pages += 1
        cursor = body["suivant"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 10_050
    assert pages == 51


def test_percent_is_a_wildcard_anywhere_in_the_name(demandes, api) -> None:
    assert set(_numeros(_search(api, q="MART%N%"))) == {"031-2024-00002", "031-2023-00003"}
    assert _numeros(_search(api, q="%tin")) == ["031-2024-00002"]  # ends with "tin": Martin, not Martinez
    assert _numeros(_search(api, q="l%v%e")) == ["031-2024-00001"]  # Lefèvre typed without accent
    assert set(_numeros(_search(api, q="mart%"))) == {"031-2024-00002", "031-2023-00003"}  # trailing: starts with


def test_a_pattern_of_only_percent_is_422_naming_q(demandes, api) -> None:
    response = api("gestionnaire").get("/api/v1/demandes", query_string={"q": "%%"})
    assert response.status_code == 422
    [erreur] = response.get_json()["erreurs"]
    assert erreur["champ"] == "q" and "Saisissez au moins une lettre" in erreur["message"]


def test_sort_parameter_orders_every_page(demandes, api) -> None:
    # Filing dates: 00003 2023-05-01, 00001 2024-01-01, 00004 2024-01-15, 00002 2024-02-01.
    first = _search(api, tri="-date_depot", limit=2)
    assert first["tri"] == "-date_depot" and _numeros(first) == ["031-2024-00002", "031-2024-00004"]
    second = _search(api, tri="-date_depot", limit=2, suivant=first["suivant"])
    assert _numeros(second) == ["031-2024-00001", "031-2023-00003"]
    # A cursor is only valid for the sort it was made with.
    other = api("gestionnaire").get("/api/v1/demandes", query_string={"limit": 2, "suivant": first["suivant"]})
    assert other.status_code == 422 and [e["champ"] for e in other.get_json()["erreurs"]] == ["suivant"]
    unknown = api("gestionnaire").get("/api/v1/demandes", query_string={"tri": "age"})
    assert unknown.status_code == 422 and [e["champ"] for e in unknown.get_json()["erreurs"]] == ["tri"]
