"""Recherche de demandes and fiche demande pages: results, audit, access by role."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db

pytestmark = pytest.mark.services


def _audit_since(last_id: int) -> list[AuditEntry]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id)))


def _last_audit_id() -> int:
    db.session.rollback()
    return db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0


def test_search_by_name_without_accents_writes_one_audit_entry(fichier, web):
    client = web("agent_bailleur")
    before = _last_audit_id()
    response = client.get("/demandes?q=lefevre")
    assert response.status_code == 200
    assert "Lefèvre" in response.text and fichier["lefevre"] in response.text
    entries = _audit_since(before)
    assert len(entries) == 1
    assert entries[0].action == "recherche" and entries[0].demandes == [fichier["lefevre"]]
    assert entries[0].login == "test-agent_bailleur" and entries[0].organisation == "BAILLEUR-31"


def test_trailing_percent_is_a_wildcard(fichier, web):
    response = web("guichet").get("/demandes?q=MARTI%25")
    assert fichier["martin"] in response.text and fichier["martinez"] in response.text


def test_results_show_co_demandeur_and_birth_dates(fichier, web):
    response = web("guichet").get("/demandes?q=martin")
    assert "Ngô Anh" in response.text and "03/03/1985" in response.text


def test_search_without_results_writes_no_audit(fichier, web):
    client = web("guichet")
    before = _last_audit_id()
    response = client.get("/demandes?q=zzzzzzzz")
    assert response.status_code == 200 and "Aucune demande ne correspond" in response.text
    assert _audit_since(before) == []


def test_facet_filter_changes_counts(fichier, web):
    client = web("guichet")
    everything = client.get("/demandes?etat=active")
    t3 = client.get("/demandes?etat=active&typologie=T3")
    assert "<strong>9</strong>" in everything.text
    assert "<strong>7</strong>" in t3.text  # Martin wishes T3 or T4


def test_fiche_demande_shows_fields_derived_values_history_and_is_audited(fichier, web):
    client = web("agent_bailleur")
    before = _last_audit_id()
    response = client.get(f"/demandes/{fichier['lefevre']}")
    assert response.status_code == 200
    html = response.text
    assert "Lefèvre Hélène" in html
    assert "Catégorie de ménage" in html and "Ancienneté" in html and "Plafonds de ressources" in html
    assert "Modification" in html  # history
    entries = _audit_since(before)
    assert [(e.action, e.demandes) for e in entries] == [("lecture", [fichier["lefevre"]])]


def test_unknown_fiche_is_a_french_404(fichier, web):
    response = web("agent_bailleur").get("/demandes/inexistante")
    assert response.status_code == 404 and "Page introuvable" in response.text


@pytest.mark.parametrize("role", ["observatoire", "reservataire"])
def test_roles_without_demandes_read_cannot_reach_a_fiche(fichier, web, role):
    client = web(role)
    before = _last_audit_id()
    response = client.get(f"/demandes/{fichier['lefevre']}")
    assert response.status_code == 403
    assert "Accès refusé" in response.text and "Lefèvre" not in response.text
    assert client.get("/demandes?q=lefevre").status_code == 403
    assert _audit_since(before) == []
