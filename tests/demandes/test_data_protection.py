"""Audit trail of accesses to personal data, the applicant's right of access, and erasure one year after
radiation (issue 4; domain.md §2 "Retention" and §10)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from tests.factories import DemandeFactory


def _entries(numero: str):
    from app.audit import AuditEntry
    from app.extensions import db

    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.demandes.any(numero)).order_by(AuditEntry.id)))


def test_reading_a_demande_writes_exactly_one_audit_entry(app, api):
    with app.app_context():
        numero = DemandeFactory().numero_unique
        before = len(_entries(numero))
    response = api("agent_bailleur").get(f"/api/v1/demandes/{numero}", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert response.status_code == 200
    with app.app_context():
        entries = _entries(numero)
        assert len(entries) == before + 1
        entry = entries[-1]
        assert (entry.login, entry.organisation, entry.action) == ("test-agent_bailleur", "BAILLEUR-31", "lecture")
        assert entry.adresse == "10.9.8.7"
        assert entry.demandes == [numero]


def test_every_change_is_audited_with_its_author(app, api):
    guichet = api("guichet")
    created = guichet.post("/api/v1/demandes", json=_payload())
    assert created.status_code == 201, created.get_json()
    numero = created.get_json()["numero_unique"]
    patched = guichet.patch(f"/api/v1/demandes/{numero}", json={"personnes_a_charge": 2}, headers={"If-Match": "1"})
    assert patched.status_code == 200, patched.get_json()
    with app.app_context():
        actions = [(e.action, e.login) for e in _entries(numero)]
    assert actions == [("creation", "test-guichet"), ("modification", "test-guichet")]


def test_only_the_gestionnaire_sees_who_accessed_a_demande(app, api):
    with app.app_context():
        numero = DemandeFactory().numero_unique
    api("agent_bailleur").get(f"/api/v1/demandes/{numero}")
    assert api("agent_bailleur").get(f"/api/v1/demandes/{numero}/acces").status_code == 403
    response = api("gestionnaire").get(f"/api/v1/demandes/{numero}/acces")
    assert response.status_code == 200
    lectures = [e for e in response.get_json() if e["action"] == "lecture"]
    assert [(e["login"], e["organisation"]) for e in lectures] == [("test-agent_bailleur", "BAILLEUR-31")]


def test_personal_data_are_erased_one_year_after_radiation_not_before(app):
    from app.demandes import service
    from app.demandes.models import DemandeEvenement
    from app.extensions import db
    from app.retention import erase_expired

    with app.app_context():
        today = date.today()
        filed = (today - timedelta(days=800)).isoformat()
        old = DemandeFactory(payload__date_depot=filed)
        recent = DemandeFactory(payload__date_depot=filed)
        service.radier(
            old.numero_unique, motif="renonciation", le=today - timedelta(days=366), commentaire=None, if_match=None
        )
        service.radier(
            recent.numero_unique, motif="renonciation", le=today - timedelta(days=364), commentaire=None, if_match=None
        )
        erased = erase_expired(today)
        assert erased == [old.numero_unique]

        db.session.expire_all()
        old_row = service.load_many([old.numero_unique])[old.numero_unique]
        assert old_row.efface_le is not None
        assert "demandeur" not in old_row.donnees and "co_demandeurs" not in old_row.donnees
        assert "revenu_fiscal_reference" not in old_row.donnees
        # What statistics count is kept: the wishes and the composition.
        assert old_row.donnees["souhaits"]["communes"] == ["31555", "31113"]
        assert old_row.donnees["co_demandeurs_nombre"] == 1
        assert (
            db.session.scalar(
                select(func.count()).where(
                    DemandeEvenement.demande_id == old_row.id, DemandeEvenement.type == "effacement"
                )
            )
            == 1
        )
        assert "demandeur" in service.load_many([recent.numero_unique])[recent.numero_unique].donnees
        # Running the job again erases nothing more.
        assert erase_expired(today) == []


def _payload() -> dict:
    from tests.factories import DemandePayloadFactory

    return DemandePayloadFactory()
