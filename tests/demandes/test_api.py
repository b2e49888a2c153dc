"""Create, read, modify (If-Match), brouillon, row-level rule, history, concurrency."""

from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.outbox import OutboxEntry
from tests.conftest import TEST_PASSWORD, ApiClient, ensure_user
from tests.demandes.helpers import add_months, champs, counts, payload


def _create(guichet, **overrides):
    response = guichet.post("/api/v1/demandes", json=payload(**overrides))
    assert response.status_code == 201, response.get_json()
    return response


def test_create_returns_the_stored_demande(app, guichet):
    depot = date.today() - timedelta(days=100)
    response = _create(guichet, date_depot=depot.isoformat())
    body = response.get_json()
    numero = body["numero_unique"]
    assert numero.startswith(f"031{date.today().year}") and len(numero) == 14
    assert response.headers["Location"].endswith(f"/api/v1/demandes/{numero}")
    assert response.headers["ETag"] == '"1"'
    assert body["etat"] == "active"
    assert body["revision"] == 1
    assert body["complete"] is True
    # couple + one dependant: three persons, category 3 (domain.md §4); 100 days = 3 full months.
    assert body["nb_personnes"] == 3
    assert body["categorie_menage"] == 3
    assert body["anciennete_mois"] == 3
    assert body["date_fin_validite"] == add_months(depot, 12).isoformat()
    assert body["souhaits"]["rdc_accepte"] is True  # default of the contract
    assert body["motif_radiation"] is None and body["date_radiation"] is None
    assert body["cree_le"] and body["modifie_le"]
    assert guichet.get(f"/api/v1/demandes/{numero}").get_json() == body
    with app.app_context():
        entries = db.session.scalars(select(OutboxEntry)).all()
        assert [(e.kind, e.entity_id, e.revision) for e in entries] == [("demande", numero, 1)]


def test_given_numero_is_kept_and_unique(app, guichet):
    response = _create(guichet, numero_unique="031-IMPORT-42")
    assert response.get_json()["numero_unique"] == "031-IMPORT-42"
    again = guichet.post("/api/v1/demandes", json=payload(numero_unique="031-IMPORT-42"))
    assert again.status_code == 409
    assert again.get_json()["code"] == "numero_existant"
    assert counts(app)[0] == 1


def test_get_sends_etag(guichet):
    numero = _create(guichet).get_json()["numero_unique"]
    response = guichet.get(f"/api/v1/demandes/{numero}")
    assert response.status_code == 200
    assert response.headers["ETag"] == '"1"'


def test_patch_requires_if_match(app, guichet):
    numero = _create(guichet).get_json()["numero_unique"]
    response = guichet.patch(f"/api/v1/demandes/{numero}", json={"personnes_a_charge": 2})
    assert response.status_code == 428
    assert response.get_json()["code"] == "precondition_requise"
    response = guichet.patch(f"/api/v1/demandes/{numero}", json={"personnes_a_charge": 2}, headers={"If-Match": '"7"'})
    assert response.status_code == 412
    assert response.get_json()["code"] == "revision_perimee"
    assert guichet.get(f"/api/v1/demandes/{numero}").get_json()["revision"] == 1


def test_patch_merges_revalidates_and_records_changed_fields(app, guichet):
    numero = _create(guichet, dalo=False).get_json()["numero_unique"]
    response = guichet.patch(
        f"/api/v1/demandes/{numero}",
        json={"demandeur": {"nom": "Nouveau-Nom"}, "souhaits": {"communes": ["31113"]}, "dalo": None},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert response.headers["ETag"] == '"2"'
    assert body["revision"] == 2
    assert body["demandeur"]["nom"] == "Nouveau-Nom"
    assert body["demandeur"]["prenom"]  # merged, not replaced
    assert body["souhaits"]["communes"] == ["31113"]
    assert body["souhaits"]["typologies"] == ["T2", "T3"]
    assert "dalo" not in body  # null removes a member (RFC 7396)

    events = guichet.get(f"/api/v1/demandes/{numero}/historique").get_json()["evenements"]
    assert [e["type"] for e in events] == ["creation", "modification"]
    modification = events[1]
    assert modification["revision"] == 2
    assert modification["auteur"] == "test-guichet"
    assert modification["organisation"] == "GUICHET-31"
    assert modification["survenu_le"]
    assert set(modification["champs"]) == {"demandeur.nom", "souhaits.communes", "dalo"}
    with app.app_context():
        revisions = db.session.scalars(select(OutboxEntry.revision).order_by(OutboxEntry.id)).all()
        assert revisions == [1, 2]


def test_patch_without_change_keeps_the_revision(guichet):
    numero = _create(guichet, personnes_a_charge=1).get_json()["numero_unique"]
    response = guichet.patch(f"/api/v1/demandes/{numero}", json={"personnes_a_charge": 1}, headers={"If-Match": "1"})
    assert response.status_code == 200
    assert response.get_json()["revision"] == 1


def test_invalid_patch_changes_nothing(app, guichet):
    numero = _create(guichet).get_json()["numero_unique"]
    before = counts(app)
    response = guichet.patch(
        f"/api/v1/demandes/{numero}",
        json={"souhaits": {"communes": ["99999"]}, "date_depot": "2020-01-01", "etat": "radiee"},
        headers={"If-Match": '"1"'},
    )
    assert response.status_code == 422
    erreurs = champs(response)
    assert set(erreurs) == {"souhaits.communes.0", "date_depot", "etat"}
    assert counts(app) == before
    assert guichet.get(f"/api/v1/demandes/{numero}").get_json()["revision"] == 1


def test_concurrent_patches_with_the_same_revision_exactly_one_wins(app, api_tokens):
    token, login, organisation = api_tokens["guichet"]
    setup = ApiClient(app.test_client(), token, login, organisation)
    numero = _create(setup).get_json()["numero_unique"]
    barrier = threading.Barrier(8)
    statuses: list[int] = []

    def writer(i: int) -> None:
        client = ApiClient(app.test_client(), token, login, organisation)
        barrier.wait()
        response = client.patch(
            f"/api/v1/demandes/{numero}", json={"ressources_mensuelles": 1000 + i}, headers={"If-Match": '"1"'}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] + [412] * 7
    body = setup.get(f"/api/v1/demandes/{numero}").get_json()
    assert body["revision"] == 2
    events = setup.get(f"/api/v1/demandes/{numero}/historique").get_json()["evenements"]
    assert [e["type"] for e in events] == ["creation", "modification"]


@pytest.fixture
def autre_guichet(app):
    with app.app_context():
        ensure_user("test-guichet-autre", "guichet", ("GUICHET-AUTRE", "Autre guichet", "guichet", []))
    app.extensions["redis"].delete("fp:connexion:compte:test-guichet-autre")
    client = app.test_client()
    response = client.post("/api/v1/auth/token", json={"login": "test-guichet-autre", "mot_de_passe": TEST_PASSWORD})
    assert response.status_code == 201
    return ApiClient(app.test_client(), response.get_json()["jeton"], "test-guichet-autre", "GUICHET-AUTRE")


def test_only_the_registering_organisation_writes(app, guichet, autre_guichet):
    numero = _create(guichet).get_json()["numero_unique"]
    assert autre_guichet.get(f"/api/v1/demandes/{numero}").status_code == 200
    response = autre_guichet.patch(f"/api/v1/demandes/{numero}", json={"dalo": True}, headers={"If-Match": '"1"'})
    assert response.status_code == 403
    assert response.get_json()["code"] == "interdit"
    response = autre_guichet.post(f"/api/v1/demandes/{numero}/radiation", json={"motif": "renonciation"})
    assert response.status_code == 403
    response = autre_guichet.post("/api/v1/demandes", json=payload())  # organisme GUICHET-31, not theirs
    assert response.status_code == 403
    assert counts(app)[0] == 1


def test_brouillon_visible_only_to_its_organisation_then_registered(guichet, autre_guichet):
    response = _create(guichet, brouillon=True)
    body = response.get_json()
    numero = body["numero_unique"]
    assert body["etat"] == "brouillon"
    assert "brouillon" not in body
    assert autre_guichet.get(f"/api/v1/demandes/{numero}").status_code == 404
    response = guichet.post(f"/api/v1/demandes/{numero}/renouvellement", json={})
    assert response.status_code == 409
    response = guichet.post(f"/api/v1/demandes/{numero}/enregistrement", json={})
    assert response.status_code == 200
    assert response.get_json()["etat"] == "active"
    assert response.get_json()["revision"] == 2
    assert autre_guichet.get(f"/api/v1/demandes/{numero}").status_code == 200
    again = guichet.post(f"/api/v1/demandes/{numero}/enregistrement")
    assert again.status_code == 409
    assert again.get_json()["code"] == "transition_impossible"
    assert "brouillon" in again.get_json()["message"]


def test_read_only_role_cannot_write(api):
    response = api("observatoire").post("/api/v1/demandes", json=payload())
    assert response.status_code == 403


def test_openapi_documents_the_endpoints(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in (
        "/api/v1/demandes",
        "/api/v1/demandes/{numero_unique}",
        "/api/v1/demandes/{numero_unique}/radiation",
        "/api/v1/demandes/{numero_unique}/historique",
        "/api/v1/imports",
        "/api/v1/imports/{import_id}",
    ):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/v1/demandes"]
    demande = spec["components"]["schemas"]["Demande"]["properties"]
    assert demande["etat"]["readOnly"] is True
    assert "souhaits" in demande
