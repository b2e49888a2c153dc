"""CAL workflow through the API: list rules (422/409), decisions, proposition deadline, answer, bail (demande
satisfaite + logement attribue atomically), events in the demande's history, exports."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.demandes.models import Demande, DemandeEvenement
from app.extensions import db
from tests.rapprochement.fixtures import MURET, creer_logement, demande, indexer


@pytest.fixture
def lgt(monde, api):
    for i, depot in enumerate([date(2022, 1, 1), date(2023, 1, 1), date(2024, 1, 1), date(2024, 6, 1)]):
        demande(f"C-{i}", depot)
    demande("C-DALO", date(2025, 1, 1), dalo=True)
    demande("C-MURET", date(2020, 1, 1), souhaits={"communes": [MURET]})
    demande("C-RICHE", date(2020, 1, 1), revenu_fiscal_reference=40000)
    indexer()
    return creer_logement(api)


def _liste(api, logement_id, candidats, **extra):
    return api("agent_bailleur").post(
        f"/api/v1/logements/{logement_id}/listes-cal",
        json={"candidats": candidats, "date_commission": "2026-02-10", **extra},
    )


def _etape(api, liste_id, numero, etape, **data):
    return api("agent_bailleur").post(f"/api/v1/listes-cal/{liste_id}/candidats/{numero}/{etape}", json=data)


def test_fewer_than_three_candidates_needs_a_motif(lgt, api):
    response = _liste(api, lgt["id"], ["C-0", "C-1"])
    assert response.status_code == 422
    assert [e["champ"] for e in response.get_json()["erreurs"]] == ["motif"]
    assert _liste(api, lgt["id"], ["C-0"], motif="autre").status_code == 422
    assert _liste(api, lgt["id"], ["C-0", "C-1"], motif="insuffisance_candidats").status_code == 201


def test_dalo_designe_prefet_needs_a_dalo_candidate(lgt, api):
    assert _liste(api, lgt["id"], ["C-0"], motif="dalo_designe_prefet").status_code == 422
    assert _liste(api, lgt["id"], ["C-DALO"], motif="dalo_designe_prefet").status_code == 201


def test_validation_names_fields(lgt, api):
    response = api("agent_bailleur").post(
        f"/api/v1/logements/{lgt['id']}/listes-cal", json={"candidats": ["C-0", "C-0", "C-1", "INCONNU"]}
    )
    assert response.status_code == 422
    assert [e["champ"] for e in response.get_json()["erreurs"]] == ["date_commission"]
    doublon = _liste(api, lgt["id"], ["C-0", "C-1", "C-0"])
    assert [e["champ"] for e in doublon.get_json()["erreurs"]] == ["candidats.2"]
    inconnu = _liste(api, lgt["id"], ["C-0", "C-1", "INCONNU"])
    assert inconnu.status_code == 422 and inconnu.get_json()["erreurs"][0]["champ"] == "candidats.2"


def test_a_candidate_no_longer_eligible_gives_409_naming_it(lgt, api):
    response = _liste(api, lgt["id"], ["C-0", "C-MURET", "C-1", "C-RICHE"])
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "candidat_non_eligible"
    assert {e["champ"] for e in body["erreurs"]} == {"candidats.1", "candidats.3"}
    assert "C-MURET" in body["message"] and "C-RICHE" in body["message"]
    assert any("Plafond de ressources" in e["message"] for e in body["erreurs"])
    # nothing was stored: the logement is still vacant
    assert api("agent_bailleur").get(f"/api/v1/logements/{lgt['id']}").get_json()["etat"] == "vacant"


def test_only_the_bailleur_opens_a_list_and_one_open_list_per_logement(lgt, api):
    assert (
        api("reservataire")
        .post(f"/api/v1/logements/{lgt['id']}/listes-cal", json={"candidats": ["C-0"], "date_commission": "2026-02-10"})
        .status_code
        == 403
    )
    assert _liste(api, lgt["id"], ["C-0", "C-1", "C-2"]).status_code == 201
    assert api("agent_bailleur").get(f"/api/v1/logements/{lgt['id']}").get_json()["etat"] == "en_attribution"
    again = _liste(api, lgt["id"], ["C-0", "C-1", "C-2"])
    assert again.status_code == 409


@pytest.mark.parametrize(
    ("data", "champs"),
    [
        ({"decision": "peut-etre"}, {"decision"}),
        ({"decision": "attribution_classement"}, {"rang"}),
        ({"decision": "attribution_sous_condition", "piece_manquante": "avis d'imposition"}, {"date_limite"}),
        ({"decision": "non_attribution"}, {"motif"}),
        ({"decision": "irrecevabilite"}, {"motif"}),
    ],
)
def test_decision_fields_are_required_per_decision(lgt, api, data, champs):
    liste = _liste(api, lgt["id"], ["C-0", "C-1", "C-2"]).get_json()
    response = _etape(api, liste["id"], "C-0", "decision", **data)
    assert response.status_code == 422
    assert {e["champ"] for e in response.get_json()["erreurs"]} == champs


def test_full_workflow_to_the_bail(lgt, api):
    liste = _liste(api, lgt["id"], ["C-0", "C-1", "C-2"]).get_json()
    lid = liste["id"]
    # a proposition needs a positive decision first
    assert _etape(api, lid, "C-0", "proposition", date_proposition="2026-02-11").status_code == 409
    ok = _etape(api, lid, "C-0", "decision", decision="attribution_classement", rang=1)
    assert ok.status_code == 200 and ok.get_json()["decision_details"] == {"rang": 1}
    assert _etape(api, lid, "C-1", "decision", decision="attribution_classement", rang=1).status_code == 409
    assert _etape(api, lid, "C-1", "decision", decision="attribution_classement", rang=2).status_code == 200
    assert (
        _etape(api, lid, "C-2", "decision", decision="non_attribution", motif="ressources insuffisantes").status_code
        == 200
    )
    assert _etape(api, lid, "C-2", "decision", decision="attribution").status_code == 409  # already decided
    # answer deadline at least 10 days
    court = _etape(api, lid, "C-0", "proposition", date_proposition="2026-02-11", date_limite_reponse="2026-02-20")
    assert court.status_code == 422 and court.get_json()["erreurs"][0]["champ"] == "date_limite_reponse"
    prop = _etape(api, lid, "C-0", "proposition", date_proposition="2026-02-11", date_limite_reponse="2026-02-21")
    assert prop.status_code == 200
    assert _etape(api, lid, "C-1", "proposition", date_proposition="2026-02-11").status_code == 409  # one at a time
    # bail before acceptance is refused; sans_reponse before the deadline too
    assert _etape(api, lid, "C-0", "bail", date_signature="2026-03-01", date_entree="2026-03-01").status_code == 409
    assert _etape(api, lid, "C-0", "reponse", reponse="sans_reponse", date_reponse="2026-02-15").status_code == 422
    assert _etape(api, lid, "C-0", "reponse", reponse="refusee", date_reponse="2026-02-15").status_code == 200
    # the next ranked candidate gets the proposition
    assert _etape(api, lid, "C-1", "proposition", date_proposition="2026-02-16").status_code == 200
    assert _etape(api, lid, "C-1", "reponse", reponse="acceptee", date_reponse="2026-02-18").status_code == 200
    entree = _etape(api, lid, "C-1", "bail", date_signature="2026-03-01", date_entree="2026-02-28")
    assert entree.status_code == 422 and entree.get_json()["erreurs"][0]["champ"] == "date_entree"
    bail = _etape(api, lid, "C-1", "bail", date_signature="2026-03-01", date_entree="2026-03-02")
    assert bail.status_code == 200, bail.get_json()

    assert api("agent_bailleur").get(f"/api/v1/logements/{lgt['id']}").get_json()["etat"] == "attribue"
    assert api("agent_bailleur").get(f"/api/v1/listes-cal/{lid}").get_json()["etat"] == "close"
    db.session.rollback()
    gagnant = db.session.scalar(select(Demande).where(Demande.numero_unique == "C-1"))
    assert gagnant.etat == "satisfaite" and gagnant.motif_radiation == "attribution"
    types = list(
        db.session.scalars(
            select(DemandeEvenement.type).where(DemandeEvenement.demande_id == gagnant.id).order_by(DemandeEvenement.id)
        )
    )
    assert types[-6:] == [
        "cal_inscription",
        "cal_decision",
        "proposition",
        "reponse_proposition",
        "radiation",
        "bail_signe",
    ]
    # resources per consumption unit at signature, for the mixité statistic: one person, RFR 15 000 € → 15 000
    bail_signe = db.session.scalars(
        select(DemandeEvenement).where(DemandeEvenement.demande_id == gagnant.id, DemandeEvenement.type == "bail_signe")
    ).one()
    assert bail_signe.details["ressources_par_uc"] == 15000.0
    autre = db.session.scalar(select(Demande).where(Demande.numero_unique == "C-0"))
    assert autre.etat == "active"
    # a closed list takes no more steps
    assert _etape(api, lid, "C-2", "proposition").status_code == 409


def test_exports_csv_xlsx_pdf(lgt, api):
    liste = _liste(api, lgt["id"], ["C-0", "C-1", "C-2"]).get_json()
    _etape(api, liste["id"], "C-0", "decision", decision="attribution")
    lecteur = api("gestionnaire")
    csv_ = lecteur.get(f"/api/v1/listes-cal/{liste['id']}/export.csv")
    assert csv_.status_code == 200 and csv_.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(csv_.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Ordre", "N° unique", "Nom"] and len(rows) == 4
    assert rows[1][1] == "C-0" and rows[1][7] == "23403" and rows[1][8] == str(23403 - 15000)
    xlsx = lecteur.get(f"/api/v1/listes-cal/{liste['id']}/export.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.max_row == 4 and sheet.cell(2, 2).value == "C-0"
    pdf = lecteur.get(f"/api/v1/listes-cal/{liste['id']}/export.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.data.count(b"/Type /Page\n") + pdf.data.count(b"/Type /Page ") >= 3 or b"/Count 3" in pdf.data


def test_each_export_is_audited_with_its_kind_and_the_candidates(lgt, api):
    from app.audit import AuditEntry

    liste = _liste(api, lgt["id"], ["C-0", "C-1", "C-2"]).get_json()
    before = db.session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "export"))
    assert api("gestionnaire").get(f"/api/v1/listes-cal/{liste['id']}/export.xlsx").status_code == 200
    entries = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.id)))
    assert len(entries) == before + 1
    assert entries[-1].details["export"] == "liste_cal.xlsx"
    assert sorted(entries[-1].demandes) == ["C-0", "C-1", "C-2"]
    assert entries[-1].login == "test-gestionnaire"


# --- order of presentation ------------------------------------------------------------------------------------------


def _ordre(api, liste_id, candidats, if_match, role="agent_bailleur"):
    headers = {} if if_match is None else {"If-Match": if_match}
    return api(role).put(f"/api/v1/listes-cal/{liste_id}/ordre", json={"candidats": candidats}, headers=headers)


def test_the_bailleur_reorders_candidates_before_the_commission(lgt, api):
    creee = _liste(api, lgt["id"], ["C-0", "C-1", "C-2"]).get_json()
    lue = api("agent_bailleur").get(f"/api/v1/listes-cal/{creee['id']}")
    response = _ordre(api, creee["id"], ["C-2", "C-0", "C-1"], lue.headers["ETag"])
    assert response.status_code == 200, response.get_json()
    relue = api("agent_bailleur").get(f"/api/v1/listes-cal/{creee['id']}").get_json()
    assert [(c["numero_unique"], c["position"]) for c in relue["candidats"]] == [("C-2", 1), ("C-0", 2), ("C-1", 3)]
    # the exports follow the new order
    export = api("agent_bailleur").get(f"/api/v1/listes-cal/{creee['id']}/export.csv")
    rows = list(csv.reader(io.StringIO(export.data.decode("utf-8-sig")), delimiter=";"))
    assert [row[:2] for row in rows[1:]] == [["1", "C-2"], ["2", "C-0"], ["3", "C-1"]]
    # each moved candidate's history says it moved, and from where
    c2 = db.session.scalar(select(Demande).where(Demande.numero_unique == "C-2"))
    evenement = db.session.scalars(
        select(DemandeEvenement).where(DemandeEvenement.demande_id == c2.id, DemandeEvenement.type == "cal_ordre")
    ).one()
    assert (evenement.details["ancienne_position"], evenement.details["position"]) == (3, 1)


def test_reordering_needs_the_revision_read_and_refuses_a_stale_one(lgt, api):
    creee = _liste(api, lgt["id"], ["C-0", "C-1", "C-2"]).get_json()
    etag = api("agent_bailleur").get(f"/api/v1/listes-cal/{creee['id']}").headers["ETag"]
    assert _ordre(api, creee["id"], ["C-1", "C-0", "C-2"], None).status_code == 428
    assert _ordre(api, creee["id"], ["C-1", "C-0", "C-2"], etag).status_code == 200
    # a second agent who read the list before that change is refused, and the first order stays
    perimee = _ordre(api, creee["id"], ["C-2", "C-1", "C-0"], etag)
    assert perimee.status_code == 412
    relue = api("agent_bailleur").get(f"/api/v1/listes-cal/{creee['id']}").get_json()
    assert [c["numero_unique"] for c in relue["candidats"]] == ["C-1", "C-0", "C-2"]


def test_the_new_order_must_be_the_same_candidates(lgt, api):
    creee = _liste(api, lgt["id"], ["C-0", "C-1", "C-2"]).get_json()
    etag = api("agent_bailleur").get(f"/api/v1/listes-cal/{creee['id']}").headers["ETag"]
    manque = _ordre(api, creee["id"], ["C-0", "C-1"], etag)
    assert manque.status_code == 422
    assert [e["champ"] for e in manque.get_json()["erreurs"]] == ["candidats"]
    assert "C-2" in manque.get_json()["erreurs"][0]["message"]
    etranger = _ordre(api, creee["id"], ["C-0", "C-1", "C-2", "C-3"], etag)
    assert [e["champ"] for e in etranger.get_json()["erreurs"]] == ["candidats.3"]
    double = _ordre(api, creee["id"], ["C-0", "C-1", "C-1"], etag)
    assert {e["champ"] for e in double.get_json()["erreurs"]} == {"candidats.2", "candidats"}
    relue = api("agent_bailleur").get(f"/api/v1/listes-cal/{creee['id']}").get_json()
    assert [c["numero_unique"] for c in relue["candidats"]] == ["C-0", "C-1", "C-2"]


def test_the_order_is_frozen_once_the_commission_has_decided(lgt, api):
    creee = _liste(api, lgt["id"], ["C-0", "C-1", "C-2"]).get_json()
    assert (
        _etape(api, creee["id"], "C-1", "decision", decision="non_attribution", motif="dossier incomplet").status_code
        == 200
    )
    etag = api("agent_bailleur").get(f"/api/v1/listes-cal/{creee['id']}").headers["ETag"]
    response = _ordre(api, creee["id"], ["C-2", "C-1", "C-0"], etag)
    assert response.status_code == 409
    assert "C-1" in response.get_json()["message"]


def test_only_the_logements_bailleur_reorders(lgt, api):
    creee = _liste(api, lgt["id"], ["C-0", "C-1", "C-2"]).get_json()
    etag = api("agent_bailleur").get(f"/api/v1/listes-cal/{creee['id']}").headers["ETag"]
    assert _ordre(api, creee["id"], ["C-2", "C-1", "C-0"], etag, role="reservataire").status_code == 403
