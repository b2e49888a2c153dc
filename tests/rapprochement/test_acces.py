"""Row-level access to a logement's candidates and CAL lists (issue 4) and the audit of every answer that shows
names: a réservataire sees only logements of its contingent, a bailleur agent only its organisation's."""

from __future__ import annotations

from sqlalchemy import select

from tests.rapprochement.fixtures import creer_logement, demande, indexer


def _audit(action: str):
    from app.audit import AuditEntry
    from app.extensions import db

    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_a_reservataire_sees_candidates_of_its_contingent_only(api, monde):
    # The test réservataire (PREF31) holds the prefecture contingent only.
    prefecture = creer_logement(api, reference="LGT-PREF", contingent="prefecture")
    action_logement = creer_logement(api, reference="LGT-AL", contingent="action_logement")
    assert api("reservataire").get(f"/api/v1/logements/{prefecture['id']}/candidats").status_code == 200
    refused = api("reservataire").get(f"/api/v1/logements/{action_logement['id']}/candidats")
    assert refused.status_code == 403
    assert refused.get_json()["code"] == "interdit"
    assert api("reservataire").get(f"/api/v1/logements/{action_logement['id']}/listes-cal").status_code == 403
    assert api("gestionnaire").get(f"/api/v1/logements/{action_logement['id']}/candidats").status_code == 200


def test_a_bailleur_agent_does_not_see_another_bailleurs_cal_lists(api, monde):
    from app.auth.context import Actor
    from app.logements import service
    from app.logements.errors import Interdit

    logement = creer_logement(api, reference="LGT-AUTRE")
    autre_bailleur = Actor(login="x", organisation="AUTRE-BAILLEUR", roles=frozenset({"agent_bailleur"}), user_id=9)
    row = service.obtenir(logement["id"])
    try:
        service.verifier_lecture(row, autre_bailleur)
        raise AssertionError("another bailleur's agent must be refused")
    except Interdit:
        pass
    assert api("agent_bailleur").get(f"/api/v1/logements/{logement['id']}/listes-cal").status_code == 200


def test_the_logements_list_follows_the_same_row_level_rule(api, monde):
    from sqlalchemy import text

    from app.extensions import db

    creer_logement(api, reference="LGT-PREF", contingent="prefecture")
    creer_logement(api, reference="LGT-AL", contingent="action_logement")
    creer_logement(api, reference="LGT-AUTRE", contingent="prefecture")
    db.session.execute(text("UPDATE logements SET bailleur = 'AUTRE-BAILLEUR' WHERE reference = 'LGT-AUTRE'"))
    db.session.commit()

    def references(role: str) -> list[str]:
        body = api(role).get("/api/v1/logements").get_json()
        assert body["total"] == len(body["logements"])
        return sorted(lgt["reference"] for lgt in body["logements"])

    assert references("gestionnaire") == ["LGT-AL", "LGT-AUTRE", "LGT-PREF"]
    assert references("agent_bailleur") == ["LGT-AL", "LGT-PREF"]  # BAILLEUR-31's own
    assert references("reservataire") == ["LGT-AUTRE", "LGT-PREF"]  # PREF31 holds the prefecture contingent


def test_candidate_lists_and_searches_are_audited_with_the_numbers_shown(api, monde):
    for numero in ("031AUDIT0001", "031AUDIT0002"):
        demande(numero)
    indexer()
    logement = creer_logement(api, reference="LGT-AUDIT")
    before = len(_audit("rapprochement"))
    response = api("agent_bailleur").get(f"/api/v1/logements/{logement['id']}/candidats")
    assert response.status_code == 200
    shown = sorted(c["numero_unique"] for c in response.get_json()["candidats"])
    assert shown == ["031AUDIT0001", "031AUDIT0002"]
    entries = _audit("rapprochement")
    assert len(entries) == before + 1
    assert sorted(entries[-1].demandes) == shown and entries[-1].login == "test-agent_bailleur"

    before = len(_audit("recherche"))
    found = api("guichet").get("/api/v1/demandes?numero=031AUDIT")
    assert found.status_code == 200 and found.get_json()["total"] == 2
    entries = _audit("recherche")
    assert len(entries) == before + 1
    assert sorted(entries[-1].demandes) == shown and entries[-1].organisation == "GUICHET-31"


def test_a_reservataire_cannot_open_another_contingents_logement_anywhere(api, monde, app):
    """The single read, the web candidats page and the nightly proposals follow the same rule as the list."""
    from datetime import date

    from app.shortlists.service import calculer
    from tests.web.conftest import login

    demande("R-0", date(2022, 1, 1))
    indexer()
    prefecture = creer_logement(api, reference="LGT-PREF", contingent="prefecture")
    bailleur = creer_logement(api, reference="LGT-BAIL", contingent="bailleur")
    reservataire = api("reservataire")
    assert reservataire.get(f"/api/v1/logements/{prefecture['id']}").status_code == 200
    assert reservataire.get(f"/api/v1/logements/{bailleur['id']}").status_code == 403

    run = calculer(date(2026, 1, 20), n=1, k=2)
    body = reservataire.get(f"/api/v1/shortlists/{run.id}").get_json()
    assert [g["logement_id"] for g in body["logements"]] == [prefecture["id"]]
    tous = api("agent_bailleur").get(f"/api/v1/shortlists/{run.id}").get_json()
    assert sorted(g["logement_id"] for g in tous["logements"]) == sorted([prefecture["id"], bailleur["id"]])

    navigateur = app.test_client()
    assert login(navigateur, app, "test-reservataire").status_code == 302
    assert navigateur.get(f"/logements/{prefecture['id']}/candidats").status_code == 200
    assert navigateur.get(f"/logements/{bailleur['id']}/candidats").status_code == 403
