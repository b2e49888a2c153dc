"""Freshness histogram (commit → indexed) kept in Redis as a capped list of recent samples, read by `index status`.

Best effort: a metric never fails an indexing batch.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from flask import current_app

log = logging.getLogger(__name__)

SAMPLES = 5000


def _key() -> str:
    return f"{current_app.config['SETTINGS'].es_index_prefix}:indexing:freshness"


def observe_freshness(seconds: Sequence[float]) -> None:
    try:
        client = current_app.extensions["redis"]
        pipe = client.pipeline()
        pipe.lpush(_key(), *[f"{s:.4f}" for s in seconds])
        pipe.ltrim(_key(), 0, SAMPLES - 1)
        pipe.execute()
    except Exception:
        log.debug("freshness metric not recorded", exc_info=True)


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[rank]


def freshness_summary() -> dict[str, float | int] | None:
    try:
        raw = current_app.extensions["redis"].lrange(_key(), 0, SAMPLES - 1)
    except Exception:
        return None
    values = [float(v) for v in raw]
    if not values:
        return None
    return {"n": len(values), "p50": percentile(values, 0.5), "p95": percentile(values, 0.95), "max": max(values)}
