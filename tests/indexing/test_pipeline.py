"""The outbox → Celery → Elasticsearch pipeline, through a real worker process."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.outbox import DeadLetter, OutboxEntry, enqueue, record
from indexing import bulk, consumer, lifecycle
from tests.indexing import helpers

pytestmark = pytest.mark.services


def _doc(es, numero: str) -> dict | None:
    alias = lifecycle.current_spec().alias
    found = es.options(ignore_status=404).get(index=alias, id=numero)
    return found.body if found.get("found") else None


def test_committed_demande_becomes_searchable_within_seconds(clean, es, celery_worker_process) -> None:
    helpers.create("031-P-0000001", nom="Dupré", prenom="Anaïs")
    alias = lifecycle.current_spec().alias

    def searchable() -> bool:
        hits = es.search(index=alias, query={"term": {"noms_plies": "dupre"}})["hits"]["hits"]
        return len(hits) == 1

    helpers.wait_until(searchable, timeout=15, what="the demande to be searchable")
    assert helpers.pending() == 0
    assert helpers.index_in_sync(es)


def test_modifications_and_erasure_reach_the_index(clean, es, celery_worker_process) -> None:
    helpers.create("031-P-0000002")
    helpers.create("031-P-0000003")
    revision = helpers.touch("031-P-0000002", situation_familiale="marie")
    helpers.erase("031-P-0000003")
    helpers.wait_until(lambda: helpers.pending() == 0, timeout=15, what="the outbox to drain")
    assert _doc(es, "031-P-0000002")["_version"] == revision
    assert _doc(es, "031-P-0000002")["_source"]["situation_familiale"] == "marie"
    assert _doc(es, "031-P-0000003") is None
    assert helpers.index_in_sync(es)


def test_duplicated_and_out_of_order_messages_never_regress(clean, es, celery_worker_process) -> None:
    helpers.create("031-P-0000004")
    for _ in range(3):
        helpers.touch("031-P-0000004", personnes_a_charge=2)
    helpers.wait_until(lambda: helpers.pending() == 0, timeout=15, what="the outbox to drain")
    assert _doc(es, "031-P-0000004")["_version"] == 4
    # Every old entry re-sent, in reverse order and twice: processed entries are skipped, nothing regresses.
    ids = list(db.session.scalars(select(OutboxEntry.id).order_by(OutboxEntry.id.desc())))
    enqueue(ids)
    enqueue(ids)
    # An old revision written straight to the index is refused (409 counted, not fatal) ...
    report = bulk.send(es, lifecycle.current_spec().alias, [("index", "031-P-0000004", 2, {"numero_unique": "x"})])
    assert report.count(bulk.Outcome.ALREADY_NEWER) == 1
    # ... and a fresh outbox entry naming an older revision re-reads the row: same revision again, counted as 409.
    entry = record("demande", "031-P-0000004", 1)
    db.session.commit()
    entry_id = entry.id
    helpers.wait_until(lambda: helpers.pending() == 0, timeout=15, what=f"entry {entry_id} to be processed")
    doc = _doc(es, "031-P-0000004")
    assert doc["_version"] == 4
    assert doc["_source"]["personnes_a_charge"] == 2
    assert doc["_source"]["numero_unique"] == "031-P-0000004"
    assert helpers.index_in_sync(es)


def test_process_counts_conflicts_and_parks_poison_documents(clean, es, monkeypatch) -> None:
    monkeypatch.setitem(clean.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)
    helpers.create("031-P-0000005")
    helpers.create("031-P-0000006")
    first = consumer.drain()
    assert first.written == 2
    # The same revision again (a duplicate entry): external_gte accepts the equal version, the document is unchanged.
    record("demande", "031-P-0000005", 1)
    db.session.commit()
    again = consumer.drain()
    assert (again.written, again.already_newer) == (1, 0)
    # The index already holds a newer revision than the row read (another worker was faster): 409, counted.
    alias = lifecycle.current_spec().alias
    newer = consumer.operations_for({"031-P-0000006": [OutboxEntry(revision=1)]})[0][0]
    bulk.send(es, alias, [(newer[0], newer[1], 9, newer[3])])
    record("demande", "031-P-0000006", 1)
    db.session.commit()
    conflict = consumer.drain()
    assert (conflict.written, conflict.already_newer, helpers.pending()) == (0, 1, 0)
    assert _doc(es, "031-P-0000006")["_version"] == 9
    es.indices.refresh(index=alias)
    assert lifecycle.reconcile().ahead == ["031-P-0000006"]
    db.session.execute(db.text("UPDATE demandes SET revision = 10 WHERE numero_unique = '031-P-0000006'"))
    record("demande", "031-P-0000006", 10)
    db.session.commit()
    assert consumer.drain().written == 1
    # A row whose document the mapping refuses (strict mapping, wrong type) goes to the dead letters.
    row = helpers.create("031-P-0000007", personnes_a_charge="beaucoup")
    assert row is not None
    parked = consumer.drain()
    assert parked.dead_letters == 1
    assert helpers.pending() == 0
    letter = db.session.scalar(select(DeadLetter))
    assert letter.entity_id == "031-P-0000007"
    # Fix the data, replay the dead letter: indexed.
    helpers.touch("031-P-0000007", personnes_a_charge=1)
    consumer.drain()
    assert lifecycle.replay_dead_letters() == 1
    consumer.drain()
    assert _doc(es, "031-P-0000007")["_source"]["personnes_a_charge"] == 1
    assert helpers.index_in_sync(es)


def test_enqueue_failure_is_swallowed_and_the_sweeper_catches_up(clean, es, celery_worker_process, monkeypatch):
    monkeypatch.setitem(clean.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)  # as if every enqueue had been lost
    helpers.create_many(50, prefix="031-S-")
    assert helpers.pending() == 50
    assert consumer.sweep(older_than_s=0) == 50
    helpers.wait_until(lambda: helpers.pending() == 0, timeout=20, what="the swept entries to be processed")
    assert helpers.index_in_sync(es)


def test_processed_entries_older_than_a_week_are_purged_pending_ones_never(clean, es, monkeypatch) -> None:
    from datetime import UTC, datetime, timedelta

    from app.outbox import purger_traitees

    monkeypatch.setitem(clean.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)  # no worker here: nothing to send

    maintenant = datetime.now(UTC)
    entrees = {
        "ancienne-traitee": (maintenant - timedelta(days=8), maintenant - timedelta(days=8)),
        "recente-traitee": (maintenant - timedelta(days=8), maintenant - timedelta(days=6)),
        "ancienne-en-attente": (maintenant - timedelta(days=30), None),
    }
    for numero, (creee, traitee) in entrees.items():
        entry = record(consumer.KIND_DEMANDE, numero, 1)
        entry.created_at, entry.processed_at = creee, traitee
    db.session.commit()
    assert purger_traitees() == 1
    restantes = set(db.session.scalars(select(OutboxEntry.entity_id)))
    assert restantes == {"recente-traitee", "ancienne-en-attente"}
