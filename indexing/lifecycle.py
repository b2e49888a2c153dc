"""Index lifecycle of the `demandes` index: create, rebuild (zero downtime), reconcile, status.

Concrete indices are named from the mapping file (`<prefix>-demandes-v2-<timestamp>`) and reached through the alias
`<prefix>-demandes`, used for reads and writes. A rebuild loads a new index from the database and swaps the alias in
one `_aliases` call, only when the new index holds every document expected; changes committed meanwhile are
replayed from the outbox after the swap (they may have landed in the old index only).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from elasticsearch import Elasticsearch, NotFoundError
from elasticsearch.helpers import parallel_bulk
from flask import current_app
from sqlalchemy import func, select

from app.demandes.models import Demande
from app.extensions import db
from app.outbox import DeadLetter, OutboxEntry, pending_stats, record
from indexing import bulk, consumer, metrics, source
from indexing.names import IndexSpec, demandes_spec

log = logging.getLogger(__name__)

Progress = Callable[[int], None]
LOAD_BATCH = 1000


class LifecycleError(RuntimeError):
    """A lifecycle step refused (message in French, shown by the CLI)."""


def _client() -> Elasticsearch:
    return current_app.extensions["elasticsearch"]


def current_spec() -> IndexSpec:
    return demandes_spec(current_app.config["SETTINGS"].es_index_prefix)


def alias_targets(client: Elasticsearch, spec: IndexSpec) -> list[str]:
    try:
        return sorted(client.indices.get_alias(name=spec.alias).body)
    except NotFoundError:
        return []


def _create_index(client: Elasticsearch, spec: IndexSpec, refresh_interval: str | None = None) -> str:
    body = spec.body()
    settings = dict(body.get("settings", {}))
    settings["number_of_replicas"] = 0
    settings["refresh_interval"] = refresh_interval or settings.get("refresh_interval", "1s")
    name = spec.new_index_name()
    client.indices.create(index=name, settings=settings, mappings=body["mappings"])
    client.cluster.health(index=name, wait_for_status="yellow", timeout="30s")
    return name


def create() -> tuple[str, bool]:
    """Create the index and its alias if the alias does not exist yet. Returns (index name, created)."""
    client, spec = _client(), current_spec()
    targets = alias_targets(client, spec)
    if targets:
        return targets[0], False
    name = _create_index(client, spec)
    client.indices.update_aliases(actions=[{"add": {"index": name, "alias": spec.alias, "is_write_index": True}}])
    return name, True


def mapping_version(index_name: str) -> int | None:
    """Mapping version of a concrete index from its name (`<prefix>-demandes-v2-<timestamp>` → 2)."""
    match = re.search(r"-v(\d+)-\d+$", index_name)
    return int(match.group(1)) if match else None


def needs_upgrade() -> bool:
    """The alias serves an index built from an older mapping file than the newest one."""
    client, spec = _client(), current_spec()
    return any(mapping_version(name) != spec.version for name in alias_targets(client, spec))


def expected_count() -> int:
    return db.session.scalar(select(func.count(Demande.id)).where(Demande.efface_le.is_(None))) or 0


def _indexable_rows(batch: int = LOAD_BATCH) -> Iterator[Demande]:
    """Every indexable row, in primary-key batches (keyset pagination: bounded memory, no long cursor)."""
    last_id = 0
    while True:
        rows = list(
            db.session.scalars(
                select(Demande)
                .where(Demande.id > last_id, Demande.efface_le.is_(None))
                .order_by(Demande.id)
                .limit(batch)
            )
        )
        if not rows:
            return
        yield from rows
        last_id = rows[-1].id
        db.session.expunge_all()


@dataclass
class LoadReport:
    sent: int = 0
    written: int = 0
    already_newer: int = 0
    errors: list[str] = field(default_factory=list)


def load_all(index: str, progress: Progress | None = None, thread_count: int = 2) -> LoadReport:
    """Bulk every indexable row into `index` (external versions: a concurrent consumer write never regresses)."""
    report = LoadReport()
    today = date.today()

    app = current_app._get_current_object()  # type: ignore[attr-defined]

    def actions() -> Iterator[dict[str, Any]]:
        # parallel_bulk consumes this generator in a pool thread: it needs its own application context.
        with app.app_context():
            yield from _actions()

    def _actions() -> Iterator[dict[str, Any]]:
        for row in _indexable_rows():
            try:
                document = source.build(row, today)
            except Exception as exc:
                report.errors.append(f"{row.numero_unique}: {type(exc).__name__}: {exc}")
                continue
            report.sent += 1
            yield bulk.helper_action("index", row.numero_unique, int(row.revision), index, document)

    client = _client().options(request_timeout=120)
    for _ok, item in parallel_bulk(
        client, actions(), thread_count=thread_count, chunk_size=LOAD_BATCH, raise_on_error=False
    ):
        outcome, reason = bulk.classify("index", item["index"])
        if outcome is bulk.Outcome.WRITTEN:
            report.written += 1
        elif outcome is bulk.Outcome.ALREADY_NEWER:
            report.already_newer += 1
        else:
            report.errors.append(f"{item['index'].get('_id')}: {reason}")
        if progress:
            progress(1)
    return report


@dataclass
class RebuildReport:
    old_indices: list[str]
    new_index: str
    expected: int
    indexed: int
    replayed: int
    seconds: float


# A rebuild renews its lock as it goes; one killed with its process frees it after this long, not hours later.
REBUILD_LOCK_TTL_S = 600


def rebuild_lock_name() -> str:
    return f"{current_app.config['SETTINGS'].es_index_prefix}:lock:rebuild-demandes"


def _rebuild_lock():
    return current_app.extensions["redis"].lock(rebuild_lock_name(), timeout=REBUILD_LOCK_TTL_S, blocking=False)


def rebuild(progress: Progress | None = None, on_total: Callable[[int], None] | None = None) -> RebuildReport:
    """New index from the database, count check, atomic alias swap, replay of the changes made meanwhile."""
    started = time.monotonic()
    client, spec = _client(), current_spec()
    lock = _rebuild_lock()
    if not lock.acquire():
        raise LifecycleError("Une reconstruction de l'index est déjà en cours (verrou Redis).")
    try:
        # Every change whose outbox entry is <= this id is already in the rows read below; later ones are replayed.
        start_outbox_id = db.session.scalar(select(func.coalesce(func.max(OutboxEntry.id), 0))) or 0
        expected = expected_count()
        db.session.rollback()
        if on_total:
            on_total(expected)
        new_index = _create_index(client, spec, refresh_interval="-1")
        renewed = time.monotonic()

        def progress_and_renew(n: int) -> None:
            nonlocal renewed
            if time.monotonic() - renewed > REBUILD_LOCK_TTL_S / 4:
                lock.reacquire()
                renewed = time.monotonic()
            if progress:
                progress(n)

        try:
            loaded = load_all(new_index, progress_and_renew)
            body_settings = spec.body().get("settings", {})
            client.indices.put_settings(
                index=new_index, settings={"refresh_interval": body_settings.get("refresh_interval", "1s")}
            )
            client.indices.refresh(index=new_index)
            indexed = int(client.count(index=new_index)["count"])
            if loaded.errors or indexed < expected:
                detail = "; ".join(loaded.errors[:5])
                raise LifecycleError(
                    f"Reconstruction refusée : {indexed} documents indexés pour {expected} attendus"
                    + (f" ({len(loaded.errors)} erreurs : {detail})" if loaded.errors else "")
                    + ". L'alias n'a pas été basculé."
                )
            old = alias_targets(client, spec)
            actions: list[dict[str, Any]] = [{"remove": {"index": name, "alias": spec.alias}} for name in old]
            actions.append({"add": {"index": new_index, "alias": spec.alias, "is_write_index": True}})
            client.indices.update_aliases(actions=actions)
        except BaseException:
            client.indices.delete(index=new_index, ignore_unavailable=True)
            raise
        lock.reacquire()
        replayed = replay_since(start_outbox_id, new_index)
        for name in old:
            client.indices.delete(index=name, ignore_unavailable=True)
        return RebuildReport(old, new_index, expected, indexed, replayed, time.monotonic() - started)
    finally:
        try:
            lock.release()
        except Exception:
            log.warning("rebuild lock already expired or lost", exc_info=True)


def replay_since(outbox_id: int, index: str) -> int:
    """Re-index, from the current rows, every entity with an outbox entry after `outbox_id` (processed or not)."""
    numeros = list(
        db.session.scalars(
            select(OutboxEntry.entity_id)
            .where(OutboxEntry.id > outbox_id, OutboxEntry.kind == consumer.KIND_DEMANDE)
            .distinct()
        )
    )
    client = _client()
    for start in range(0, len(numeros), LOAD_BATCH):
        chunk = numeros[start : start + LOAD_BATCH]
        fake_entries = {n: [OutboxEntry(kind=consumer.KIND_DEMANDE, entity_id=n, revision=0)] for n in chunk}
        operations, poison = consumer.operations_for(fake_entries)
        db.session.rollback()
        if operations:
            bulk.send(client, index, operations)
        for numero, reason in poison.items():
            log.error("replay: %s cannot be indexed: %s", numero, reason)
    return len(numeros)


# --- reconcile --------------------------------------------------------------------------------------------------


@dataclass
class Differences:
    missing: list[str] = field(default_factory=list)  # in the database, not in the index
    orphans: list[str] = field(default_factory=list)  # in the index, erased or absent in the database
    stale: list[str] = field(default_factory=list)  # index version below the database revision
    ahead: list[str] = field(default_factory=list)  # index version above the database revision (should not happen)
    index_versions: dict[str, int] = field(default_factory=dict, repr=False)

    @property
    def total(self) -> int:
        return len(self.missing) + len(self.orphans) + len(self.stale) + len(self.ahead)


def indexed_versions(progress: Progress | None = None, page: int = 5000) -> dict[str, int]:
    """numero → document version, over the whole alias (point in time + search_after, never `from`)."""
    client, spec = _client(), current_spec()
    versions: dict[str, int] = {}
    pit = client.open_point_in_time(index=spec.alias, keep_alive="2m")["id"]
    try:
        search_after: list[Any] | None = None
        while True:
            kwargs: dict[str, Any] = {"search_after": search_after} if search_after else {}
            response = client.search(
                pit={"id": pit, "keep_alive": "2m"},
                size=page,
                sort=["_shard_doc"],
                source=False,
                version=True,
                track_total_hits=False,
                **kwargs,
            )
            hits = response["hits"]["hits"]
            if not hits:
                return versions
            for hit in hits:
                versions[hit["_id"]] = int(hit["_version"])
            if progress:
                progress(len(hits))
            pit = response.get("pit_id", pit)
            search_after = hits[-1]["sort"]
    finally:
        try:
            client.close_point_in_time(id=pit)
        except Exception:
            log.debug("point in time already closed", exc_info=True)


def reconcile(progress: Progress | None = None) -> Differences:
    diff = Differences()
    versions = indexed_versions(progress)
    diff.index_versions = versions
    seen: set[str] = set()
    last_id = 0
    while True:
        rows = db.session.execute(
            select(Demande.id, Demande.numero_unique, Demande.revision, Demande.efface_le)
            .where(Demande.id > last_id)
            .order_by(Demande.id)
            .limit(10_000)
        ).all()
        if not rows:
            break
        last_id = rows[-1].id
        for _, numero, revision, efface_le in rows:
            if efface_le is not None:
                continue
            seen.add(numero)
            indexed = versions.get(numero)
            if indexed is None:
                diff.missing.append(numero)
            elif indexed < revision:
                diff.stale.append(numero)
            elif indexed > revision:
                diff.ahead.append(numero)
    db.session.rollback()
    diff.orphans = sorted(set(versions) - seen)
    return diff


def fix(diff: Differences) -> int:
    """Repair through the outbox (same code path as every change): record an entry per difference, then process
    them here (a worker may also pick them up: harmless). Returns the number of entries recorded."""
    revisions = dict(
        db.session.execute(
            select(Demande.numero_unique, Demande.revision).where(
                Demande.numero_unique.in_(diff.missing + diff.stale + diff.ahead + diff.orphans)
            )
        ).all()
    )
    entries: list[OutboxEntry] = []
    for numero in [*diff.missing, *diff.stale, *diff.ahead, *diff.orphans]:
        revision = max(int(revisions.get(numero, 0)), diff.index_versions.get(numero, 0))
        entries.append(record(consumer.KIND_DEMANDE, numero, revision))
    db.session.flush()
    entry_ids = [entry.id for entry in entries]
    db.session.commit()
    for start in range(0, len(entry_ids), 500):
        consumer.process(entry_ids[start : start + 500])
    return len(entry_ids)


# --- status and dead letters ------------------------------------------------------------------------------------


def status() -> dict[str, Any]:
    client, spec = _client(), current_spec()
    info: dict[str, Any] = {"alias": spec.alias, "mapping": spec.path.name}
    try:
        targets = alias_targets(client, spec)
        info["indices"] = targets
        info["documents"] = int(client.count(index=spec.alias)["count"]) if targets else 0
        info["elasticsearch"] = "joignable"
    except Exception as exc:
        info["indices"], info["documents"], info["elasticsearch"] = [], None, f"injoignable ({type(exc).__name__})"
    info["attendus"] = expected_count()
    pending, oldest = pending_stats()
    info["outbox_en_attente"] = pending
    info["outbox_plus_ancienne_s"] = oldest
    info["lettres_mortes"] = db.session.scalar(
        select(func.count(DeadLetter.id)).where(DeadLetter.replayed_at.is_(None))
    )
    info["fraicheur"] = metrics.freshness_summary()
    try:  # messages waiting in the Celery queue (Redis list named after the queue)
        queue = current_app.config["SETTINGS"].celery_queue
        info["file_celery"] = int(current_app.extensions["redis"].llen(queue))
    except Exception:
        info["file_celery"] = None
    db.session.rollback()
    return info


def replay_dead_letters(ids: list[int] | None = None) -> int:
    """Put dead letters back in the outbox (after the cause was fixed: a mapping, a data correction)."""
    stmt = select(DeadLetter).where(DeadLetter.replayed_at.is_(None)).order_by(DeadLetter.id)
    if ids:
        stmt = stmt.where(DeadLetter.id.in_(ids))
    letters = list(db.session.scalars(stmt.with_for_update(skip_locked=True)))
    revisions = dict(
        db.session.execute(
            select(Demande.numero_unique, Demande.revision).where(
                Demande.numero_unique.in_([letter.entity_id for letter in letters])
            )
        ).all()
    )
    for letter in letters:
        record(letter.kind, letter.entity_id, int(revisions.get(letter.entity_id, letter.revision)))
        letter.replayed_at = func.now()
    db.session.commit()  # the after-commit hook enqueues the new entries
    return len(letters)
