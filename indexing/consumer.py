"""The outbox consumer: "these outbox entries are dirty" → current rows → versioned `_bulk` → entries processed.

A message only names outbox ids; the consumer re-reads the current rows, so duplicated, late or out-of-order
messages are harmless. Entries are locked (`FOR UPDATE SKIP LOCKED`) while their batch is in flight, so two workers
never send the same batch twice at the same time, and a worker killed mid-batch releases them with its connection.
An entry is marked processed only once the bulk response confirmed its item (written, or 409 "already newer", or
parked as a dead letter); transient failures leave it pending for the retry (or, at worst, the sweeper).
"""

from __future__ import annotations

import logging
import statistics
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy import select, update

from app.extensions import db
from app.outbox import DeadLetter, OutboxEntry
from indexing import bulk, metrics, source
from indexing.names import demandes_spec

log = logging.getLogger(__name__)

KIND_DEMANDE = "demande"


@dataclass
class BatchResult:
    written: int = 0
    already_newer: int = 0
    deleted: int = 0
    dead_letters: int = 0
    skipped: int = 0  # already processed, or locked by another worker
    transient_ids: list[int] = field(default_factory=list)
    freshness_s: list[float] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "written": self.written,
            "already_newer": self.already_newer,
            "deleted": self.deleted,
            "dead_letters": self.dead_letters,
            "skipped": self.skipped,
            "transient": len(self.transient_ids),
        }


def write_alias() -> str:
    return demandes_spec(current_app.config["SETTINGS"].es_index_prefix).alias


def operations_for(
    entries_by_entity: dict[str, list[OutboxEntry]], index_on: datetime | None = None
) -> tuple[list[tuple[str, str, int, dict | None]], dict[str, str]]:
    """Bulk operations of the current rows; and the entities whose document cannot even be built (poison)."""
    rows = source.load_many(entries_by_entity)
    operations: list[tuple[str, str, int, dict | None]] = []
    poison: dict[str, str] = {}
    for numero, entries in entries_by_entity.items():
        row = rows.get(numero)
        newest_entry = max(e.revision for e in entries)
        if source.is_indexable(row):
            assert row is not None
            try:
                document = source.build(row, index_on.date() if index_on else None)
            except Exception as exc:  # a row that cannot make a document: parked, never retried in a loop
                poison[numero] = f"document: {type(exc).__name__}: {exc}"[:1900]
                continue
            operations.append(("index", numero, int(row.revision), document))
        else:
            # Erased or gone: delete with an external version, so an older index operation cannot bring it back.
            revision = max(newest_entry, int(row.revision) if row is not None else 0)
            operations.append(("delete", numero, revision, None))
    return operations, poison


def process(ids: Sequence[int], index: str | None = None) -> BatchResult:
    """Index the entities named by these outbox entries (one transaction, one `_bulk`).

    Raises `bulk.TransientIndexingError` when nothing is known to have landed (the caller retries with backoff).
    """
    result = BatchResult()
    wanted = sorted(set(ids))
    if not wanted:
        return result
    entries = list(
        db.session.scalars(
            select(OutboxEntry)
            .where(OutboxEntry.id.in_(wanted), OutboxEntry.processed_at.is_(None))
            .order_by(OutboxEntry.id)
            .with_for_update(skip_locked=True)
        )
    )
    result.skipped = len(wanted) - len(entries)
    if not entries:
        db.session.rollback()
        return result
    by_entity: dict[str, list[OutboxEntry]] = defaultdict(list)
    for entry in entries:
        entry.attempts = (entry.attempts or 0) + 1
        if entry.kind == KIND_DEMANDE:
            by_entity[entry.entity_id].append(entry)
        else:  # no other kind is indexed yet: nothing to do, never block the outbox on it
            entry.processed_at = datetime.now(UTC)

    operations, poison = operations_for(by_entity)
    client = current_app.extensions["elasticsearch"]
    try:
        report = bulk.send(client, index or write_alias(), operations) if operations else bulk.BulkReport()
    except bulk.TransientIndexingError as exc:
        db.session.rollback()
        _note_error(wanted, str(exc))
        raise

    now = datetime.now(UTC)
    for numero, reason in poison.items():
        report.outcomes[numero] = (bulk.Outcome.POISON, reason)
    ops_by_id = {doc_id: op for op, doc_id, _, _ in operations}
    for numero, (outcome, reason) in report.outcomes.items():
        entity_entries = by_entity[numero]
        if outcome is bulk.Outcome.TRANSIENT:
            for entry in entity_entries:
                entry.last_error = reason
                result.transient_ids.append(entry.id)
            continue
        for entry in entity_entries:
            entry.processed_at = now
        if outcome is bulk.Outcome.WRITTEN:
            if ops_by_id.get(numero) == "delete":
                result.deleted += 1
            else:
                result.written += 1
            result.freshness_s += [(now - e.created_at).total_seconds() for e in entity_entries]
        elif outcome is bulk.Outcome.ALREADY_NEWER:
            result.already_newer += 1
        else:
            newest = max(entity_entries, key=lambda e: e.revision)
            db.session.add(
                DeadLetter(
                    kind=newest.kind,
                    entity_id=numero,
                    revision=newest.revision,
                    error=reason or "refusé",
                    outbox_id=newest.id,
                )
            )
            result.dead_letters += 1
            log.error("indexing: %s %s parked as dead letter: %s", newest.kind, numero, reason)
    db.session.commit()
    _log_batch(result)
    return result


def _note_error(ids: Sequence[int], error: str) -> None:
    try:
        db.session.execute(
            update(OutboxEntry)
            .where(OutboxEntry.id.in_(list(ids)), OutboxEntry.processed_at.is_(None))
            .values(attempts=OutboxEntry.attempts + 1, last_error=error[:1900])
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        log.debug("could not note the indexing error on the outbox", exc_info=True)


def _log_batch(result: BatchResult) -> None:
    fresh = result.freshness_s
    if fresh:
        metrics.observe_freshness(fresh)
        log.info(
            "indexing batch: %s; freshness commit→indexed p50 %.3f s, max %.3f s",
            result.as_dict(),
            statistics.median(fresh),
            max(fresh),
        )
    else:
        log.info("indexing batch: %s", result.as_dict())


def pending_ids(older_than_s: float, limit: int) -> list[int]:
    cutoff = time.time() - older_than_s
    return list(
        db.session.scalars(
            select(OutboxEntry.id)
            .where(
                OutboxEntry.processed_at.is_(None),
                OutboxEntry.created_at < datetime.fromtimestamp(cutoff, UTC),
            )
            .order_by(OutboxEntry.id)
            .limit(limit)
        )
    )


def sweep(older_than_s: float = 30.0, limit: int = 50_000, queue: str | None = None) -> int:
    """Re-enqueue outbox entries left unprocessed for more than `older_than_s` (lost enqueue, Redis down, worker
    killed: its unacknowledged message only comes back after the visibility timeout). Returns how many."""
    from app.outbox import enqueue

    ids = pending_ids(older_than_s, limit)
    db.session.rollback()
    if ids:
        enqueue(ids, queue=queue)
        log.info("outbox sweeper: %d pending entries re-enqueued", len(ids))
    return len(ids)


def drain(batch_size: int = 500, index: str | None = None) -> BatchResult:
    """Process every pending entry in this process (CLI fix mode, tests, benchmark baseline): no worker needed."""
    total = BatchResult()
    last_id = 0
    while True:
        ids = list(
            db.session.scalars(
                select(OutboxEntry.id)
                .where(OutboxEntry.processed_at.is_(None), OutboxEntry.id > last_id)
                .order_by(OutboxEntry.id)
                .limit(batch_size)
            )
        )
        if not ids:
            return total
        last_id = ids[-1]
        one = process(ids, index=index)
        total.written += one.written
        total.already_newer += one.already_newer
        total.deleted += one.deleted
        total.dead_letters += one.dead_letters
        total.skipped += one.skipped
        total.transient_ids += one.transient_ids
