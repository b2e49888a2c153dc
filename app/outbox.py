"""Transactional outbox: every change to an indexed row writes an entry in the same transaction.

After the commit, a Celery task carrying only entry ids is enqueued (`install_after_commit_hook`); a beat task
sweeps entries that stayed unprocessed (a lost enqueue, Redis down at commit time). So an acknowledged write always
reaches the index, even when Redis or Elasticsearch was down when it was made.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from datetime import datetime
from functools import lru_cache

import redis
from flask import Flask, current_app
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import BigInteger, DateTime, Index, Integer, String, event, func, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db

log = logging.getLogger(__name__)

INDEX_TASK = "indexing.index_outbox"
ENQUEUE_CHUNK = 500  # ids per task message: one `_bulk` of at most this many documents
_SESSION_KEY = "outbox_ids"
# After a failed enqueue, commits skip the broker for this long (the sweeper catches up): a request never waits
# for a dead broker more than once in a while.
BROKER_DOWN_SKIP_S = 10.0
_broker_down_until = 0.0


class OutboxEntry(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))  # "demande", later "logement"
    entity_id: Mapped[str] = mapped_column(String(64))  # numero_unique for demandes
    revision: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(String(2000))

    __table_args__ = (
        Index("ix_outbox_pending", "id", postgresql_where=text("processed_at IS NULL")),
        Index("ix_outbox_pending_created", "created_at", postgresql_where=text("processed_at IS NULL")),
    )


# Processed entries are kept this long (what was indexed when, for diagnosis), then purged at night. An index rebuild
# replays the entries written while it runs, so it only needs entries younger than itself.
CONSERVATION_TRAITEES_JOURS = 7
PURGE_LOT = 10_000


def purger_traitees(jours: int = CONSERVATION_TRAITEES_JOURS) -> int:
    """Delete the entries processed more than `jours` days ago, in batches (short transactions); pending entries
    are never touched. Returns how many were deleted."""
    total = 0
    while True:
        supprimees = db.session.execute(
            text(
                "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE processed_at < now() - make_interval("
                "days => :jours) LIMIT :lot)"
            ),
            {"jours": jours, "lot": PURGE_LOT},
        ).rowcount
        db.session.commit()
        total += supprimees
        if supprimees < PURGE_LOT:
            return total


def record(kind: str, entity_id: str, revision: int) -> OutboxEntry:
    """Add an outbox entry to the current transaction (call it next to the change it describes)."""
    entry = OutboxEntry(kind=kind, entity_id=entity_id, revision=revision)
    db.session.add(entry)
    return entry


def note_pending(ids: Iterable[int]) -> None:
    """For entries inserted with Core (`insert(OutboxEntry)`, bulk imports): enqueue them after the commit too."""
    db.session.info.setdefault(_SESSION_KEY, []).extend(ids)


class DeadLetter(db.Model):
    """An outbox entry that failed permanently (a poison document): parked here, replayed by a command."""

    __tablename__ = "indexing_dead_letters"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(BigInteger)
    error: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    replayed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    outbox_id: Mapped[int | None] = mapped_column(BigInteger)


# --- enqueue after commit ---------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _probe(url: str) -> redis.Redis:
    """A Redis client that fails at once (no retries): the broker's own client retries for seconds."""
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1, retry=Retry(NoBackoff(), 0))


def _broker_reachable(broker_url: str) -> bool:
    global _broker_down_until
    if time.monotonic() < _broker_down_until:
        return False
    try:
        _probe(broker_url).ping()
    except redis.RedisError as exc:
        _broker_down_until = time.monotonic() + BROKER_DOWN_SKIP_S
        log.warning("outbox: broker unreachable (%s); enqueues skipped for %.0f s", exc, BROKER_DOWN_SKIP_S)
        return False
    return True


def enqueue(ids: Sequence[int], queue: str | None = None) -> bool:
    """Send `index_outbox` tasks (ids only) in chunks. Never raises: the entries are durable and the sweeper
    re-enqueues whatever could not be sent (Redis down...)."""
    global _broker_down_until
    if not ids:
        return True
    celery = current_app.extensions["celery"]
    queue = queue or current_app.config.get("OUTBOX_QUEUE")
    if not _broker_reachable(celery.conf.broker_url):
        log.warning("outbox: %d entries not enqueued (broker down), left to the sweeper", len(ids))
        return False
    try:
        for start in range(0, len(ids), ENQUEUE_CHUNK):
            chunk = list(ids[start : start + ENQUEUE_CHUNK])
            celery.send_task(INDEX_TASK, args=[chunk], queue=queue, retry=False)
    except Exception as exc:  # the broker went away meanwhile: the beat sweeper will catch up
        _broker_down_until = time.monotonic() + BROKER_DOWN_SKIP_S
        log.warning("outbox: enqueue of %d entries failed (%s), left to the sweeper", len(ids), exc)
        return False
    return True


def _after_flush(session: Session, _flush_context: object) -> None:
    new_ids = [obj.id for obj in session.new if isinstance(obj, OutboxEntry)]
    if new_ids:
        session.info.setdefault(_SESSION_KEY, []).extend(new_ids)


def _after_commit(session: Session) -> None:
    ids = session.info.pop(_SESSION_KEY, None)
    if ids and current_app and current_app.config.get("OUTBOX_ENQUEUE_AFTER_COMMIT", True):
        enqueue(ids)


def _after_rollback(session: Session) -> None:
    session.info.pop(_SESSION_KEY, None)


def install_after_commit_hook(app: Flask) -> None:
    """Installed once by the app factory on the Flask-SQLAlchemy session class."""
    from flask_sqlalchemy.session import Session as FlaskSession

    if not event.contains(FlaskSession, "after_commit", _after_commit):
        event.listen(FlaskSession, "after_flush", _after_flush)
        event.listen(FlaskSession, "after_commit", _after_commit)
        event.listen(FlaskSession, "after_rollback", _after_rollback)
    app.config.setdefault("OUTBOX_ENQUEUE_AFTER_COMMIT", True)


# --- gauges -----------------------------------------------------------------------------------------------------


def pending_stats() -> tuple[int, float | None]:
    """(number of unprocessed entries, age in seconds of the oldest one)."""
    count, oldest = db.session.execute(
        select(func.count(OutboxEntry.id), func.min(OutboxEntry.created_at)).where(OutboxEntry.processed_at.is_(None))
    ).one()
    age = None
    if oldest is not None:
        age = db.session.execute(select(func.extract("epoch", func.now() - oldest))).scalar_one()
        age = float(age)
    return int(count), age
