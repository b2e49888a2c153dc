"""Celery task of the nightly shortlists (beat: 02:00 Europe/Paris, see workers/schedule.py)."""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task(name="shortlists.calculer", acks_late=True)
def calculer_shortlists(date_run: str | None = None) -> str:
    """Idempotent: a redelivered or re-run task recomputes the same night in place."""
    from app.shortlists.service import calculer

    run = calculer(date.fromisoformat(date_run) if date_run else None)
    log.info(
        "shortlists %s: %d logements, %d propositions, %d échecs, %d ms",
        run.id,
        run.total_logements,
        run.propositions_count,
        run.logements_en_echec,
        run.duree_ms or 0,
    )
    return run.id
