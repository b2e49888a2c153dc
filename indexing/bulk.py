"""The bulk writer: versioned index/delete actions and the reading of a `_bulk` response item by item.

Every write carries the row revision as an `external_gte` version, so the index never goes back to an older
state whatever the order in which messages arrive. A 409 is "the index already holds this revision or a newer
one": counted, never an error. Deletes are versioned too, so an older index operation cannot resurrect a document
(for as long as Elasticsearch keeps the tombstone, `index.gc_deletes`; reconcile catches anything beyond).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from elasticsearch import ApiError, Elasticsearch
from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch import ConnectionTimeout as EsConnectionTimeout

VERSION_TYPE = "external_gte"


class Outcome(Enum):
    WRITTEN = "written"  # indexed, or deleted (a delete of an absent document counts as done)
    ALREADY_NEWER = "already_newer"  # 409: the index holds this revision or a newer one
    POISON = "poison"  # refused for good (mapping error...): dead letter
    TRANSIENT = "transient"  # 429, 5xx, unavailable shard: retry later


class TransientIndexingError(Exception):
    """Elasticsearch (or the database) unreachable or overloaded: the whole batch is retried with backoff."""


TRANSIENT_EXCEPTIONS: tuple[type[BaseException], ...] = (EsConnectionError, EsConnectionTimeout)


def is_transient_api_error(exc: ApiError) -> bool:
    return exc.meta.status in (408, 429) or exc.meta.status >= 500


def index_action(
    doc_id: str, revision: int, document: dict[str, Any], index: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    meta: dict[str, Any] = {"_id": doc_id, "version": revision, "version_type": VERSION_TYPE}
    if index:
        meta["_index"] = index
    return {"index": meta}, document


def delete_action(doc_id: str, revision: int, index: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"_id": doc_id, "version": revision, "version_type": VERSION_TYPE}
    if index:
        meta["_index"] = index
    return {"delete": meta}


def helper_action(op: str, doc_id: str, revision: int, index: str, document: dict[str, Any] | None) -> dict[str, Any]:
    """The same operation in the shape of `elasticsearch.helpers` (streaming_bulk / parallel_bulk)."""
    action: dict[str, Any] = {
        "_op_type": op,
        "_index": index,
        "_id": doc_id,
        "version": revision,
        "version_type": VERSION_TYPE,
    }
    if document is not None:
        action["_source"] = document
    return action


def classify(op: str, item: dict[str, Any]) -> tuple[Outcome, str | None]:
    status = int(item.get("status", 500))
    if status in (200, 201) or (op == "delete" and status == 404):
        return Outcome.WRITTEN, None
    if status == 409:
        return Outcome.ALREADY_NEWER, None
    error = item.get("error")
    reason = str(error)[:1900] if error else f"HTTP {status}"
    if status in (408, 429) or status >= 500:
        return Outcome.TRANSIENT, reason
    return Outcome.POISON, reason


@dataclass
class BulkReport:
    outcomes: dict[str, tuple[Outcome, str | None]] = field(default_factory=dict)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for o, _ in self.outcomes.values() if o is outcome)


Operation = tuple[str, str, int, dict[str, Any] | None]  # (op, doc_id, revision, document)


def send(client: Elasticsearch, index: str, operations: list[Operation]) -> BulkReport:
    """One `_bulk` call; `operations` are (op, doc_id, revision, document). Raises TransientIndexingError when the
    call itself fails for a transient reason (nothing is known to have landed)."""
    body: list[dict[str, Any]] = []
    for op, doc_id, revision, document in operations:
        if op == "index":
            header, source = index_action(doc_id, revision, document or {})
            body += [header, source]
        else:
            body.append(delete_action(doc_id, revision))
    try:
        response = client.bulk(operations=body, index=index, filter_path="items.*.status,items.*.error,items.*._id")
    except TRANSIENT_EXCEPTIONS as exc:
        raise TransientIndexingError(str(exc)) from exc
    except ApiError as exc:
        if is_transient_api_error(exc):
            raise TransientIndexingError(str(exc)) from exc
        raise
    report = BulkReport()
    for (op, doc_id, _, _), item in zip(operations, response.get("items", []), strict=True):
        report.outcomes[doc_id] = classify(op, item[op])
    return report
