"""Réservataires' designations (gestion en flux): on a vacancy of its contingent, the réservataire designates
eligible households to the bailleur, who sees them next to the ranked candidates and presents them to the CAL."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from app.demandes.models import Demande, DemandeEvenement
from app.extensions import db
from tests.rapprochement.fixtures import MURET, creer_logement, demande, indexer
from tests.web.conftest import csrf_token, login

URL = "/api/v1/logements/{}/designations"


@pytest.fixture
def prefecture(monde, api):
    """A vacant logement of the prefecture contingent (held by the test réservataire PREF31), four eligible
    households of priority publics, and one who wishes Muret only."""
    for i in range(4):
        demande(f"D-{i}", date(2022, 1 + i, 1), priorites=["sortie_structure"])
    demande("D-MURET", date(2020, 1, 1), priorites=["sortie_structure"], souhaits={"communes": [MURET]})
    indexer()
    return creer_logement(api, reference="LGT-PREF", contingent="prefecture")


def _designer(api, logement_id, candidats, role="reservataire"):
    return api(role).post(URL.format(logement_id), json={"candidats": candidats})


def test_the_reservataire_designates_and_the_bailleur_sees_them_in_order(prefecture, api):
    response = _designer(api, prefecture["id"], ["D-2", "D-0", "D-3"])
    assert response.status_code == 201, response.get_json()
    vues = api("agent_bailleur").get(URL.format(prefecture["id"])).get_json()
    assert [(d["numero_unique"], d["position"], d["organisation"]) for d in vues] == [
        ("D-2", 1, "PREF31"),
        ("D-0", 2, "PREF31"),
        ("D-3", 3, "PREF31"),
    ]
    # designating again replaces the réservataire's previous designation
    assert _designer(api, prefecture["id"], ["D-1"]).status_code == 201
    assert [d["numero_unique"] for d in api("gestionnaire").get(URL.format(prefecture["id"])).get_json()] == ["D-1"]
    d1 = db.session.scalar(select(Demande).where(Demande.numero_unique == "D-1"))
    types = db.session.scalars(select(DemandeEvenement.type).where(DemandeEvenement.demande_id == d1.id)).all()
    assert "designation" in types


def test_a_household_not_eligible_is_refused_by_name_and_nothing_is_kept(prefecture, api):
    response = _designer(api, prefecture["id"], ["D-0", "D-MURET"])
    assert response.status_code == 409
    assert "D-MURET" in response.get_json()["message"]
    assert [e["champ"] for e in response.get_json()["erreurs"]] == ["candidats.1"]
    assert api("agent_bailleur").get(URL.format(prefecture["id"])).get_json() == []
    double = _designer(api, prefecture["id"], ["D-0", "D-0"])
    assert double.status_code == 422 and [e["champ"] for e in double.get_json()["erreurs"]] == ["candidats.1"]


def test_only_the_contingents_reservataire_designates(monde, api):
    demande("D-0", date(2022, 1, 1))
    indexer()
    bailleur = creer_logement(api, reference="LGT-BAIL", contingent="bailleur")
    assert _designer(api, bailleur["id"], ["D-0"]).status_code == 403  # not PREF31's contingent
    assert _designer(api, bailleur["id"], ["D-0"], role="agent_bailleur").status_code == 403  # not a réservataire


def test_no_designation_once_the_cal_list_is_open(prefecture, api):
    ouverte = api("agent_bailleur").post(
        f"/api/v1/logements/{prefecture['id']}/listes-cal",
        json={"candidats": ["D-0", "D-1", "D-2"], "date_commission": "2026-02-10"},
    )
    assert ouverte.status_code == 201
    refus = _designer(api, prefecture["id"], ["D-3"])
    assert refus.status_code == 409 and "désignation close" in refus.get_json()["message"]


def test_designate_from_the_candidats_page_and_the_bailleur_sees_who_designated(prefecture, api, app):
    page_url = f"/logements/{prefecture['id']}/candidats"
    reservataire = app.test_client()
    assert login(reservataire, app, "test-reservataire").status_code == 302
    page = reservataire.get(page_url)
    assert 'id="designer"' in page.text
    numeros = re.findall(r'name="candidat" value="([^"]+)"', page.text)[:2]
    data = {"csrf_token": csrf_token(page.text), "candidat": numeros, **{f"ordre-{n}": "1" for n in numeros[:1]}}
    response = reservataire.post(f"/logements/{prefecture['id']}/designations", data=data)
    assert response.status_code == 302
    assert "2 candidat(s) désigné(s) au bailleur" in reservataire.get(page_url).text

    bailleur = app.test_client()
    assert login(bailleur, app, "test-agent_bailleur").status_code == 302
    vue = bailleur.get(page_url).text
    assert 'id="designations"' in vue and 'id="designer"' not in vue
    assert vue.count("Désigné par PREF31") == 2
