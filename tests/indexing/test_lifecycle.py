"""Index lifecycle: create, rebuild with alias swap (count check, changes made meanwhile kept), reconcile, CLI."""

from __future__ import annotations

import threading

import pytest

from app.extensions import db
from indexing import consumer, lifecycle, source
from tests.indexing import helpers

pytestmark = pytest.mark.services


def test_create_is_idempotent(clean) -> None:
    name, created = lifecycle.create()
    assert not created
    assert name.startswith(f"{lifecycle.current_spec().alias}-v{lifecycle.current_spec().version}-")


def test_rebuild_swaps_and_keeps_changes_made_during_it(clean, es, celery_worker_process) -> None:
    numeros = helpers.create_many(3000, prefix="031-B-")
    helpers.wait_until(lambda: helpers.pending() == 0, timeout=60, what="the initial indexing")
    before = lifecycle.alias_targets(es, lifecycle.current_spec())
    app = clean
    changed = threading.Event()

    def concurrent_changes() -> None:
        with app.app_context():
            for numero in numeros[:50]:
                helpers.touch(numero, personnes_a_charge=4)
            helpers.create("031-B-NEW0001", nom="Pendant")
            helpers.erase(numeros[-1])
            db.session.remove()

    def progress(n: int) -> None:
        if not changed.is_set():
            changed.set()
            thread = threading.Thread(target=concurrent_changes)
            thread.start()
            thread.join()

    report = lifecycle.rebuild(progress=progress)
    assert changed.is_set()
    assert report.old_indices == before
    assert report.indexed >= report.expected == 3000
    assert report.replayed >= 52
    assert lifecycle.alias_targets(es, lifecycle.current_spec()) == [report.new_index]
    assert not es.indices.exists(index=before[0])
    helpers.wait_until(lambda: helpers.pending() == 0, timeout=30, what="the outbox to drain")
    assert helpers.index_in_sync(es)
    doc = es.get(index=lifecycle.current_spec().alias, id=numeros[0])
    assert doc["_version"] == 2 and doc["_source"]["personnes_a_charge"] == 4


def test_rebuild_never_swaps_an_incomplete_index(clean, es, monkeypatch) -> None:
    monkeypatch.setitem(clean.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)
    helpers.create_many(100, prefix="031-C-")
    consumer.drain()
    before = lifecycle.alias_targets(es, lifecycle.current_spec())
    real_build = source.build

    def failing_build(row, on=None):
        if row.numero_unique.endswith("7"):
            raise ValueError("document impossible")
        return real_build(row, on)

    monkeypatch.setattr(source, "build", failing_build)
    with pytest.raises(lifecycle.LifecycleError, match="Reconstruction refusée"):
        lifecycle.rebuild()
    assert lifecycle.alias_targets(es, lifecycle.current_spec()) == before
    spec = lifecycle.current_spec()
    assert list(es.indices.get(index=spec.pattern).body) == before  # the partial index was dropped
    assert helpers.index_in_sync(es)


def test_reconcile_finds_and_fixes_missing_orphan_and_stale(clean, es, monkeypatch) -> None:
    monkeypatch.setitem(clean.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)
    helpers.create_many(30, prefix="031-D-")
    consumer.drain()
    alias = lifecycle.current_spec().alias
    es.delete(index=alias, id="031-D-0000001", version=1, version_type="external_gte")  # missing
    es.index(index=alias, id="031-D-GHOST", document={"numero_unique": "031-D-GHOST"})  # orphan
    helpers.touch("031-D-0000002", personnes_a_charge=5)  # stale (its entry is not processed)
    db.session.execute(db.text("UPDATE outbox SET processed_at = now()"))
    db.session.commit()
    es.indices.refresh(index=alias)
    diff = lifecycle.reconcile()
    assert (diff.missing, diff.orphans, diff.stale) == (["031-D-0000001"], ["031-D-GHOST"], ["031-D-0000002"])
    assert lifecycle.fix(diff) == 3
    es.indices.refresh(index=alias)
    assert lifecycle.reconcile().total == 0


def test_cli_commands(clean, es, monkeypatch) -> None:
    monkeypatch.setitem(clean.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)
    helpers.create_many(10, prefix="031-L-")
    runner = clean.test_cli_runner()
    status = runner.invoke(args=["index", "status"])
    assert status.exit_code == 0, status.output
    assert "Outbox en attente: 10" in status.output
    reconcile = runner.invoke(args=["index", "reconcile"])
    assert reconcile.exit_code == 2 and "manquants : 10" in reconcile.output
    fixed = runner.invoke(args=["index", "reconcile", "--fix"])
    assert fixed.exit_code == 0, fixed.output
    consumer.drain()  # the original entries (now redundant)
    rebuilt = runner.invoke(args=["index", "rebuild"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "10 documents (10 attendus)" in rebuilt.output
    clean_run = runner.invoke(args=["index", "reconcile"])
    assert clean_run.exit_code == 0 and "Aucun écart" in clean_run.output
    assert runner.invoke(args=["index", "replay-dead-letters"]).exit_code == 0
    assert runner.invoke(args=["index", "create"]).exit_code == 0


def test_upgrade_rebuilds_an_index_of_an_older_mapping_version_only(clean, es, app, monkeypatch) -> None:
    """An index built from demandes-v1.json, still behind the alias after a deploy of demandes-v2.json."""
    monkeypatch.setitem(clean.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)
    helpers.create_many(20, prefix="031-U-")
    spec = lifecycle.current_spec()
    (courant,) = lifecycle.alias_targets(es, spec)
    ancien = courant.replace(f"-v{spec.version}-", f"-v{spec.version - 1}-")
    es.indices.create(index=ancien, body=spec.body())
    es.indices.update_aliases(
        actions=[
            {"remove": {"index": courant, "alias": spec.alias}},
            {"add": {"index": ancien, "alias": spec.alias, "is_write_index": True}},
        ]
    )
    es.indices.delete(index=courant)
    assert lifecycle.needs_upgrade()
    result = app.test_cli_runner().invoke(args=["index", "upgrade"])
    assert result.exit_code == 0, result.output
    (nouveau,) = lifecycle.alias_targets(es, spec)
    assert lifecycle.mapping_version(nouveau) == spec.version and not es.indices.exists(index=ancien)
    assert es.count(index=spec.alias)["count"] == 20
    encore = app.test_cli_runner().invoke(args=["index", "upgrade"])
    assert "rien à faire" in encore.output
    assert lifecycle.alias_targets(es, spec) == [nouveau]


def test_a_rebuild_holds_a_lock_that_expires_within_minutes_if_its_process_dies(clean, es, monkeypatch) -> None:
    monkeypatch.setitem(clean.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)
    helpers.create_many(5, prefix="031-L-")
    redis = clean.extensions["redis"]
    ttls: list[int] = []
    lifecycle.rebuild(progress=lambda n: ttls.append(redis.pttl(lifecycle.rebuild_lock_name())))
    # were the process killed at any of these moments, the next rebuild would wait minutes, not hours
    assert ttls and all(0 < ttl <= 15 * 60 * 1000 for ttl in ttls)
    assert redis.pttl(lifecycle.rebuild_lock_name()) == -2  # released at the end
