"""Nothing committed is lost: a worker killed mid-batch, Elasticsearch stopped, Redis restarted."""

from __future__ import annotations

import time

import pytest

from app.extensions import db
from app.outbox import enqueue
from indexing import consumer, lifecycle
from tests.conftest import services
from tests.indexing import helpers

pytestmark = [pytest.mark.services, pytest.mark.disruptive]


def _kill_queue(app) -> str:
    return app.config["SETTINGS"].celery_queue + "-kill"


def _versions_match(es) -> bool:
    es.indices.refresh(index=lifecycle.current_spec().alias)
    return lifecycle.indexed_versions() == helpers.revisions()


def test_worker_killed_mid_batch_loses_nothing(clean, es, monkeypatch) -> None:
    # Tasks go to a queue only the workers of this test consume (the session worker must not help).
    monkeypatch.setitem(clean.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)
    helpers.create_many(6000, prefix="031-K-")
    ids = helpers_pending_ids()
    kill_queue = _kill_queue(clean)
    worker = helpers.start_queue_worker(clean, "fp-test-killed", kill_queue)
    try:
        enqueue(ids, queue=kill_queue)
        helpers.wait_until(lambda: helpers.processed() > 0, timeout=60, every=0.05, what="the first batch")
        helpers.kill_group(worker)  # SIGKILL to the worker and its pool children, mid-way
    finally:
        helpers.kill_group(worker)
    done_at_kill = helpers.processed()
    assert 0 < done_at_kill < 6000, "the worker must be killed in the middle of the work"
    # Writes go on while no worker runs; some of them update demandes already indexed.
    for i in range(0, 600, 3):
        helpers.touch(f"031-K-{i:07d}", personnes_a_charge=3)
    replacement = helpers.start_queue_worker(clean, "fp-test-replacement", kill_queue)
    try:
        # The killed worker's unacknowledged messages only come back after the visibility timeout: the sweeper
        # re-enqueues the pending entries (beat does it every 30 s; here directly).
        consumer.sweep(older_than_s=0, queue=kill_queue)
        helpers.wait_until(lambda: helpers.pending() == 0, timeout=120, what="the outbox to drain")
    finally:
        helpers.kill_group(replacement, sig=15)
    assert _versions_match(es)
    assert helpers.index_in_sync(es)


def helpers_pending_ids() -> list[int]:
    from sqlalchemy import select

    from app.outbox import OutboxEntry

    return list(db.session.scalars(select(OutboxEntry.id).where(OutboxEntry.processed_at.is_(None))))


def test_elasticsearch_stopped_while_writes_continue(clean, es, celery_worker_process) -> None:
    helpers.create_many(20, prefix="031-E-")
    helpers.wait_until(lambda: helpers.pending() == 0, timeout=20, what="the first writes")
    services("stop", "elasticsearch")
    try:
        # The API keeps accepting writes: they only need PostgreSQL (and Redis to enqueue).
        helpers.create_many(30, prefix="031-F-")
        for i in range(0, 20, 2):
            helpers.touch(f"031-E-{i:07d}", personnes_a_charge=1)
        time.sleep(3)  # the worker tries, fails and schedules its retries with backoff
        assert helpers.pending() > 0
    finally:
        services("start-one", "elasticsearch")
    # Retries with backoff catch up once Elasticsearch is back (no sweeper call here).
    helpers.wait_until(lambda: helpers.pending() == 0, timeout=240, every=1, what="the retries to succeed")
    assert _versions_match(es)
    assert helpers.index_in_sync(es)


def test_redis_restarted_with_pending_work(clean, es, celery_worker_process, request) -> None:
    helpers.create_many(20, prefix="031-R-")
    services("stop", "redis")
    try:
        # Commits succeed; the enqueue fails and is swallowed (logged): the entries wait in the outbox.
        started = time.monotonic()
        helpers.create_many(40, prefix="031-T-", batch=10)
        assert time.monotonic() - started < 30
        helpers.touch("031-R-0000001", personnes_a_charge=2)
    finally:
        services("start-one", "redis")
    assert helpers.pending() > 0
    time.sleep(2)
    if celery_worker_process.poll() is not None:
        # kombu 5.x's Redis transport may crash the worker when the broker connection drops (AttributeError in
        # restore_unacked on close); in production the process supervisor restarts it. Do the same here.
        queue = clean.config["SETTINGS"].celery_queue
        replacement = helpers.start_queue_worker(clean, "fp-test-worker-after-redis", queue)
        request.config.add_cleanup(lambda: helpers.kill_group(replacement, sig=15))
    # The beat sweeper re-enqueues what was left behind (here called directly, as beat does every 30 s).
    helpers.wait_until(lambda: consumer.sweep(older_than_s=0) >= 0 and helpers.pending() == 0, timeout=90, every=3,
                       what="the sweeper to catch up")  # fmt: skip
    assert _versions_match(es)
    assert helpers.index_in_sync(es)
