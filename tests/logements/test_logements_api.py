"""`/api/v1/logements`: creation, validation naming fields, ETag/If-Match, row-level rule, list filters."""

from __future__ import annotations

import pytest

from tests.rapprochement.fixtures import LOGEMENT, creer_logement

URL = "/api/v1/logements"


def test_creation_returns_201_with_id_etat_vacant_and_etag(monde, api):
    response = api("agent_bailleur").post(URL, json=LOGEMENT)
    assert response.status_code == 201
    body = response.get_json()
    assert isinstance(body["id"], int) and body["etat"] == "vacant"
    assert body["bailleur"] == "BAILLEUR-31"  # the agent's organisation by default
    assert response.headers["ETag"] == '"1"'
    lu = api("gestionnaire").get(f"{URL}/{body['id']}")
    assert lu.status_code == 200 and lu.get_json()["reference"] == "LGT-001"


def test_pla_is_accepted_as_the_older_name_of_plus(monde, api):
    body = creer_logement(api, financement="PLA")
    assert body["financement"] == "PLUS"


@pytest.mark.parametrize(
    ("champ", "valeur"),
    [
        ("commune", "99999"),  # well-formed INSEE code, not in the referential
        ("commune", "Toulouse"),
        ("typologie", "T7"),
        ("type_bien", "studio"),
        ("financement", "PLAX"),
        ("contingent", "mairie"),
        ("surface", -3),
        ("etage", "deux"),
        ("date_disponibilite", "01/03/2026"),
        ("ascenseur", "peut-être"),
    ],
)
def test_invalid_field_gives_422_naming_it(monde, api, champ, valeur):
    response = api("agent_bailleur").post(URL, json={**LOGEMENT, champ: valeur})
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "validation"
    assert [e["champ"] for e in body["erreurs"]] == [champ]


def test_missing_fields_and_unknown_fields_are_all_named(monde, api):
    data = {k: v for k, v in LOGEMENT.items() if k not in ("typologie", "loyer")}
    response = api("agent_bailleur").post(URL, json={**data, "piscine": True})
    assert response.status_code == 422
    assert {e["champ"] for e in response.get_json()["erreurs"]} == {"typologie", "loyer", "piscine"}


def test_reference_is_unique_per_bailleur(monde, api):
    creer_logement(api)
    response = api("agent_bailleur").post(URL, json=LOGEMENT)
    assert response.status_code == 409
    assert response.get_json()["erreurs"][0]["champ"] == "reference"


def test_a_bailleur_cannot_create_for_another_bailleur(monde, api):
    response = api("agent_bailleur").post(URL, json={**LOGEMENT, "bailleur": "AUTRE-BAILLEUR"})
    assert response.status_code == 403


def test_patch_needs_if_match_and_refuses_a_stale_etag(monde, api):
    lgt = creer_logement(api)
    agent = api("agent_bailleur")
    url = f"{URL}/{lgt['id']}"
    assert agent.patch(url, json={"loyer": 420}).status_code == 428
    assert agent.patch(url, json={"loyer": 420}, headers={"If-Match": '"7"'}).status_code == 412
    ok = agent.patch(url, json={"loyer": 420}, headers={"If-Match": '"1"'})
    assert ok.status_code == 200 and ok.get_json()["loyer"] == 420 and ok.headers["ETag"] == '"2"'
    # the ETag read before the change is now stale
    assert agent.patch(url, json={"loyer": 430}, headers={"If-Match": '"1"'}).status_code == 412


def test_patch_validates_fields(monde, api):
    lgt = creer_logement(api)
    response = api("agent_bailleur").patch(
        f"{URL}/{lgt['id']}", json={"typologie": "T9", "etat": "attribue"}, headers={"If-Match": '"1"'}
    )
    assert response.status_code == 422
    assert {e["champ"] for e in response.get_json()["erreurs"]} == {"typologie", "etat"}


def test_unknown_logement_is_404(monde, api):
    response = api("gestionnaire").get(f"{URL}/999999")
    assert response.status_code == 404 and response.get_json()["code"] == "introuvable"


def test_list_filters(monde, api):
    creer_logement(api, reference="A", commune="31555", typologie="T2")
    creer_logement(api, reference="B", commune="31069", typologie="T3")
    creer_logement(api, reference="C", commune="31069", typologie="T2", date_disponibilite="2026-01-15")
    lecteur = api("gestionnaire")
    body = lecteur.get(f"{URL}?commune=31069").get_json()
    assert body["total"] == 2
    assert [lg["reference"] for lg in body["logements"]] == ["C", "B"]  # oldest availability first
    assert lecteur.get(f"{URL}?typologie=T2&commune=31069").get_json()["total"] == 1
    assert lecteur.get(f"{URL}?typologie=T2,T3").get_json()["total"] == 3
    assert lecteur.get(f"{URL}?etat=attribue").get_json()["total"] == 0
    assert lecteur.get(f"{URL}?typologie=T9").status_code == 422


def test_length_errors_are_in_french(monde, api):
    response = api("agent_bailleur").post(URL, json={**LOGEMENT, "programme": "x" * 201})
    assert response.status_code == 422
    assert response.get_json()["erreurs"] == [{"champ": "programme", "message": "Longueur maximale : 200"}]
