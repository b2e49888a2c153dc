"""Celery tasks. Messages carry ids only; every task re-reads the database.

`indexing.index_outbox` acknowledges late (after its bulk response was read and the outbox updated): a worker killed
mid-batch leaves its message unacknowledged, redelivered by Redis after the visibility timeout, and its entries
pending, re-enqueued by `indexing.sweep_outbox` long before that.
"""

from __future__ import annotations

import logging
import random

from celery import shared_task
from flask import current_app
from sqlalchemy.exc import OperationalError

from app.extensions import db
from indexing import consumer
from indexing.bulk import TransientIndexingError

log = logging.getLogger(__name__)

MAX_RETRIES = 12  # 1, 2, 4 ... 300 s: about 25 minutes; past that the sweeper keeps re-enqueuing the entries
BACKOFF_CAP_S = 300


def backoff(retries: int) -> float:
    """Exponential backoff with jitter (so that retries of many batches do not arrive together)."""
    return min(BACKOFF_CAP_S, 2**retries) * random.uniform(0.8, 1.2)


@shared_task(
    bind=True, name="indexing.index_outbox", acks_late=True, reject_on_worker_lost=True, max_retries=MAX_RETRIES
)
def index_outbox(self, ids: list[int]) -> dict[str, object]:
    try:
        result = consumer.process(ids)
    except (TransientIndexingError, OperationalError) as exc:
        db.session.rollback()
        log.warning("index_outbox: transient failure (%s), retry %d", type(exc).__name__, self.request.retries + 1)
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc
    if result.transient_ids:
        # Some items were refused for a transient reason (429, unavailable shard): retry those only.
        log.warning("index_outbox: %d items to retry", len(result.transient_ids))
        raise self.retry(args=[result.transient_ids], countdown=backoff(self.request.retries))
    return result.as_dict()


@shared_task(name="indexing.sweep_outbox", acks_late=True)
def sweep_outbox(older_than_s: float | None = None) -> int:
    """Beat task: re-enqueue outbox entries left behind."""
    delay = older_than_s if older_than_s is not None else current_app.config.get("OUTBOX_SWEEP_AFTER_S", 30.0)
    return consumer.sweep(older_than_s=delay)


@shared_task(name="indexing.purger_outbox")
def purger_outbox() -> int:
    """Beat task: delete the outbox entries processed more than a week ago."""
    from app.outbox import purger_traitees

    return purger_traitees()


# Not acks_late: a rebuild lost with its worker is not redelivered mid-way (its Redis lock refuses a new one for up to
# lifecycle.REBUILD_LOCK_TTL_S); the next night's rebuild, or the gestionnaire from the suivi page, runs it again.
@shared_task(name="indexing.reconstruire", acks_late=False)
def reconstruire(motif: str = "nocturne") -> dict[str, object]:
    from indexing.reconstruction import reconstruire as run

    return run(motif)
