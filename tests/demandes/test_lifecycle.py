"""Lifecycle rules of domain.md §2: renewal, radiation, reactivation window, nightly non-renewal radiation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.demandes import service
from app.demandes.errors import TransitionImpossible
from tests.demandes.helpers import add_months, payload
from tests.factories import DemandeFactory

TODAY = date.today()


def _create(guichet, **overrides) -> dict:
    response = guichet.post("/api/v1/demandes", json=payload(**overrides))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_renouvellement_restarts_validity_and_keeps_seniority(guichet):
    depot = TODAY - timedelta(days=340)
    d = _create(guichet, date_depot=depot.isoformat())
    response = guichet.post(f"/api/v1/demandes/{d['numero_unique']}/renouvellement", json={"commentaire": "courrier"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["date_renouvellement"] == TODAY.isoformat()
    assert body["date_fin_validite"] == add_months(TODAY, 12).isoformat()
    assert body["date_depot"] == depot.isoformat()
    assert body["numero_unique"] == d["numero_unique"]
    assert body["anciennete_mois"] == d["anciennete_mois"]
    assert body["revision"] == 2
    events = guichet.get(f"/api/v1/demandes/{d['numero_unique']}/historique").get_json()["evenements"]
    assert events[-1]["type"] == "renouvellement"
    assert events[-1]["commentaire"] == "courrier"
    assert events[-1]["revision"] == 2


def test_stale_if_match_on_a_lifecycle_step_is_412(guichet):
    d = _create(guichet)
    response = guichet.post(f"/api/v1/demandes/{d['numero_unique']}/renouvellement", headers={"If-Match": '"5"'})
    assert response.status_code == 412


@pytest.mark.parametrize(
    ("motif", "etat"),
    [
        ("attribution", "satisfaite"),
        ("renonciation", "radiee"),
        ("irrecevabilite", "radiee"),
        ("injoignable", "radiee"),
        ("fusion", "radiee"),
        ("non_renouvellement", "radiee"),
    ],
)
def test_radiation(guichet, motif, etat):
    d = _create(guichet)
    response = guichet.post(
        f"/api/v1/demandes/{d['numero_unique']}/radiation",
        json={"motif": motif, "date": TODAY.isoformat(), "commentaire": "dossier clos"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["etat"] == etat
    assert body["motif_radiation"] == motif
    assert body["date_radiation"] == TODAY.isoformat()
    assert body["revision"] == 2
    event = guichet.get(f"/api/v1/demandes/{d['numero_unique']}/historique").get_json()["evenements"][-1]
    assert event["type"] == "radiation"
    assert event["details"]["motif"] == motif


def test_radiation_errors(guichet):
    d = _create(guichet)
    url = f"/api/v1/demandes/{d['numero_unique']}"
    response = guichet.post(f"{url}/radiation", json={"motif": "lassitude"})
    assert response.status_code == 422
    assert response.get_json()["erreurs"][0]["champ"] == "motif"
    response = guichet.post(
        f"{url}/radiation", json={"motif": "renonciation", "date": (TODAY + timedelta(days=3)).isoformat()}
    )
    assert response.status_code == 422
    assert response.get_json()["erreurs"][0]["champ"] == "date"
    assert guichet.post(f"{url}/radiation", json={"motif": "renonciation"}).status_code == 200
    for step, body in (("radiation", {"motif": "attribution"}), ("renouvellement", {})):
        response = guichet.post(f"{url}/{step}", json=body)
        assert response.status_code == 409
        assert response.get_json()["code"] == "transition_impossible"
        assert "radiée" in response.get_json()["message"]
    response = guichet.patch(url, json={"dalo": True}, headers={"If-Match": '"2"'})
    assert response.status_code == 409


def test_reactivation_only_after_non_renouvellement(guichet):
    d = _create(guichet)
    url = f"/api/v1/demandes/{d['numero_unique']}"
    response = guichet.post(f"{url}/reactivation", json={})
    assert response.status_code == 409  # active
    guichet.post(f"{url}/radiation", json={"motif": "renonciation"})
    response = guichet.post(f"{url}/reactivation", json={})
    assert response.status_code == 409
    assert "non-renouvellement" in response.get_json()["message"]


def test_nightly_radiation_at_anniversary_plus_one_month(app_ctx):
    depot = TODAY - timedelta(days=200)
    anniversaire = add_months(depot, 12)
    echeance = add_months(anniversaire, 1)
    demande = DemandeFactory(payload=payload(date_depot=depot.isoformat()))
    numero = demande.numero_unique

    assert service.radier_non_renouvelees(on=echeance - timedelta(days=1)) == 0
    assert service.get(numero).etat == "active"
    assert service.radier_non_renouvelees(on=echeance) == 1
    radiee = service.get(numero)
    assert radiee.etat == "radiee"
    assert radiee.motif_radiation == "non_renouvellement"
    assert radiee.date_radiation == echeance
    assert radiee.revision == 2
    event = service.historique(numero)[-1]
    assert (event["type"], event["auteur"], event["revision"]) == ("radiation", "systeme", 2)
    assert service.radier_non_renouvelees(on=echeance + timedelta(days=30)) == 0  # idempotent


def test_nightly_radiation_counts_from_the_last_renewal(app_ctx):
    depot = TODAY - timedelta(days=600)
    renouvellement = TODAY - timedelta(days=100)
    demande = DemandeFactory(
        payload=payload(date_depot=depot.isoformat(), date_renouvellement=renouvellement.isoformat())
    )
    assert service.radier_non_renouvelees(on=TODAY) == 0
    echeance = add_months(add_months(renouvellement, 12), 1)
    assert service.radier_non_renouvelees(on=echeance) == 1
    assert service.get(demande.numero_unique).etat == "radiee"


def test_nightly_radiation_cli(app):
    with app.app_context():
        DemandeFactory(payload=payload(date_depot=(TODAY - timedelta(days=420)).isoformat()))
        DemandeFactory(payload=payload(date_depot=(TODAY - timedelta(days=30)).isoformat()))
    result = app.test_cli_runner().invoke(args=["demandes", "radier-non-renouvelees"])
    assert result.exit_code == 0, result.output
    assert "1 demande(s) radiée(s)" in result.output


def test_reactivation_window_is_anniversary_plus_six_months(app_ctx):
    depot = TODAY - timedelta(days=500)
    anniversaire = add_months(depot, 12)
    limite = add_months(anniversaire, 6)
    a = DemandeFactory(payload=payload(date_depot=depot.isoformat()))
    b = DemandeFactory(payload=payload(date_depot=depot.isoformat()))
    assert service.radier_non_renouvelees(on=TODAY) == 2

    with pytest.raises(TransitionImpossible) as refused:
        service.reactiver(b.numero_unique, le=limite + timedelta(days=1))
    assert "Délai de réactivation dépassé" in refused.value.message
    assert service.get(b.numero_unique).etat == "radiee"

    reactivee = service.reactiver(a.numero_unique, le=limite)
    assert reactivee.etat == "active"
    assert reactivee.motif_radiation is None and reactivee.date_radiation is None
    assert reactivee.date_depot == depot  # seniority kept
    assert reactivee.date_fin_validite == add_months(limite, 12)
    assert reactivee.revision == 3
    assert [e["type"] for e in service.historique(a.numero_unique)] == ["creation", "radiation", "reactivation"]


def test_reactivation_through_the_api_within_the_window(guichet, app):
    depot = TODAY - timedelta(days=420)  # anniversary ≈ 55 days ago: radiated, still within the window
    d = _create(guichet, date_depot=depot.isoformat())
    with app.app_context():
        assert service.radier_non_renouvelees(on=TODAY) == 1
    response = guichet.post(f"/api/v1/demandes/{d['numero_unique']}/reactivation", json={"commentaire": "appel"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["etat"] == "active"
    assert body["date_depot"] == depot.isoformat()
    assert body["anciennete_mois"] == d["anciennete_mois"]
    assert body["date_fin_validite"] == add_months(TODAY, 12).isoformat()


def test_historique_lists_every_step(guichet):
    d = _create(guichet, brouillon=True)
    url = f"/api/v1/demandes/{d['numero_unique']}"
    guichet.post(f"{url}/enregistrement")
    guichet.patch(url, json={"personnes_a_charge": 3}, headers={"If-Match": '"2"'})
    guichet.post(f"{url}/renouvellement")
    guichet.post(f"{url}/radiation", json={"motif": "attribution"})
    body = guichet.get(f"{url}/historique").get_json()
    assert body["numero_unique"] == d["numero_unique"]
    events = body["evenements"]
    assert [(e["type"], e["revision"]) for e in events] == [
        ("creation", 1),
        ("enregistrement", 2),
        ("modification", 3),
        ("renouvellement", 4),
        ("radiation", 5),
    ]
    assert all(e["auteur"] == "test-guichet" and e["organisation"] == "GUICHET-31" for e in events)
    assert events[2]["champs"] == ["personnes_a_charge"]
