"""Bulk creation (`service.create_many`, demo seeding and benchmarks): the same rows, events, audit entries and
outbox entries as one-by-one creation, one transaction per batch, all-or-nothing on bad input or a taken number."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import func, select

from app.audit import AuditEntry
from app.auth.context import Actor
from app.demandes import service
from app.demandes.errors import DonneesInvalides, NumeroExistant
from app.demandes.models import Demande, DemandeEvenement
from app.demandes.validation import _SCHEMA, _normaliser
from app.extensions import db
from app.outbox import OutboxEntry
from tests.demandes.helpers import counts, payload

ACTEUR = Actor(login="agent.bulk", organisation=None)


def _colonnes(demande: Demande) -> dict:
    return {
        "etat": demande.etat,
        "organisme_enregistreur": demande.organisme_enregistreur,
        "date_depot": demande.date_depot,
        "date_renouvellement": demande.date_renouvellement,
        "date_fin_validite": demande.date_fin_validite,
        "complete": demande.complete,
        "revision": demande.revision,
        "motif_radiation": demande.motif_radiation,
        "efface_le": demande.efface_le,
        "donnees": {k: v for k, v in demande.donnees.items() if k != "numero_unique"},
    }


def _traces(numero: str) -> tuple[list, list, list]:
    demande = db.session.scalar(select(Demande).where(Demande.numero_unique == numero))
    evenements = [
        (e.type, e.revision, e.auteur, e.organisation, e.details, e.commentaire, e.survenu_le == demande.cree_le)
        for e in db.session.scalars(select(DemandeEvenement).where(DemandeEvenement.demande_id == demande.id))
    ]
    audits = [
        (a.action, a.login, a.organisation, a.demandes == [numero], a.details)
        for a in db.session.scalars(select(AuditEntry).where(AuditEntry.demandes.any(numero)))
    ]
    sorties = [
        (o.kind, o.revision, o.processed_at, o.attempts)
        for o in db.session.scalars(select(OutboxEntry).where(OutboxEntry.entity_id == numero))
    ]
    return evenements, audits, sorties


def test_bulk_creation_writes_what_single_creation_writes(app_ctx):
    modele, run = payload(date_renouvellement=None), uuid.uuid4().hex[:8]  # the audit trail is never emptied
    seul = service.create(dict(modele, numero_unique=f"031-UN-{run}"), actor=ACTEUR, source="demo")
    lot = service.create_many(
        [dict(modele, numero_unique=f"031-LOT-{run}"), dict(modele), dict(modele, brouillon=True)],
        actor=ACTEUR,
        source="demo",
    )
    assert [d.etat for d in lot] == ["active", "active", "brouillon"]
    assert lot[1].numero_unique.startswith("031")  # generated
    db.session.expire_all()
    reference = db.session.scalar(select(Demande).where(Demande.numero_unique == seul.numero_unique))
    for demande in lot[:2]:
        relue = db.session.scalar(select(Demande).where(Demande.numero_unique == demande.numero_unique))
        assert _colonnes(relue) == _colonnes(reference)
        assert relue.donnees["numero_unique"] == relue.numero_unique
        assert _traces(relue.numero_unique) == _traces(reference.numero_unique)
    evenements, audits, sorties = _traces(lot[2].numero_unique)
    assert evenements == [("creation", 1, "agent.bulk", None, {"source": "demo", "etat": "brouillon"}, None, True)]
    assert audits == [("creation", "agent.bulk", None, True, {"revision": 1})]
    assert sorties == [("demande", 1, None, 0)]


def test_returned_demandes_are_usable_and_outbox_ids_are_enqueued_after_commit(app_ctx, monkeypatch):
    envoyes: list[int] = []
    monkeypatch.setitem(app_ctx.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", True)
    monkeypatch.setattr("app.outbox.enqueue", lambda ids, queue=None: envoyes.extend(ids) or True)
    lot = service.create_many([payload() for _ in range(5)], actor=ACTEUR)
    ids = list(db.session.scalars(select(OutboxEntry.id).order_by(OutboxEntry.id)))
    assert sorted(envoyes) == ids and len(ids) == 5
    assert [len(d.evenements) for d in lot] == [1] * 5  # persistent objects: relationships load
    assert lot[0].cree_le is not None and lot[0].revision == 1


def test_one_bad_payload_rejects_the_whole_batch(app_ctx):
    with pytest.raises(DonneesInvalides) as raised:
        service.create_many([payload(), payload(souhaits={"communes": ["99999"]}), payload(personnes_a_charge=-1)])
    champs = {e["champ"] for e in raised.value.erreurs}
    assert {"1.souhaits.communes.0", "2.personnes_a_charge"} <= champs
    assert counts(app_ctx) == (0, 0, 0)


@pytest.mark.parametrize("deja_en_base", [True, False])
def test_a_taken_number_rejects_the_whole_batch(app_ctx, deja_en_base):
    if deja_en_base:
        service.create(payload(numero_unique="031-PRIS"))
    avant = counts(app_ctx)
    audits = db.session.scalar(select(func.count()).select_from(AuditEntry))
    lot = [payload(), payload(numero_unique="031-PRIS")] + ([] if deja_en_base else [payload(numero_unique="031-PRIS")])
    with pytest.raises(NumeroExistant):
        service.create_many(lot)
    assert counts(app_ctx) == avant
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audits
    service.create_many([payload()])  # the session is usable afterwards
    assert counts(app_ctx)[0] == avant[0] + 1


def test_normalisation_is_the_schema_dump(app_ctx):
    """`valider_lot` writes the loaded payload with ISO dates instead of calling `dump`: the same result."""
    from app.demo.generator import payloads

    echantillon = [*payloads(200), payload(fsl={"du": "2024-01-02", "au": None}, date_decision_dalo=None,
                                           co_demandeurs=[{"nom": "A", "prenom": "B", "date_naissance": "1990-01-01",
                                                           "lien": "conjoint"}])]  # fmt: skip
    for brut in echantillon:
        charge = _SCHEMA.load(json.loads(json.dumps(brut, default=str)))
        charge.pop("brouillon", None)
        assert _normaliser(charge) == _SCHEMA.dump(charge)
