"""Celery beat schedule (Europe/Paris)."""

from __future__ import annotations

import os
from typing import Any

from celery.schedules import crontab

SWEEP_EVERY_S = 30.0


def beat_schedule() -> dict[str, dict[str, Any]]:
    return {
        "demandes-reprendre-imports": {
            "task": "demandes.reprendre_imports",
            "schedule": 60.0,
            "options": {"expires": 60.0},
        },
        # Personal data erased one year after radiation (CNIL), at night.
        "retention-erase-expired": {
            "task": "retention.erase_expired",
            "schedule": crontab(hour=3, minute=15),
        },
        # Outbox entries left behind (lost enqueue, Redis down at commit, killed worker) are re-enqueued.
        "indexing-sweep-outbox": {
            "task": "indexing.sweep_outbox",
            "schedule": SWEEP_EVERY_S,
            "options": {"expires": SWEEP_EVERY_S},
        },
        # Demandes not renewed by their anniversary + 1 month are radiated (motif non_renouvellement).
        "demandes-radier-non-renouvelees": {
            "task": "demandes.radier_non_renouvelees",
            "schedule": crontab(hour=1, minute=30),
        },
        # Processed outbox entries older than a week (app.outbox.CONSERVATION_TRAITEES_JOURS).
        "indexing-purger-outbox": {
            "task": "indexing.purger_outbox",
            "schedule": crontab(hour=3, minute=45),
        },
        # Date-dependent indexed values (seniority, cotation points) recomputed before the nightly shortlists.
        "indexing-reconstruire": {
            "task": "indexing.reconstruire",
            "schedule": crontab(hour=0, minute=45),
            "kwargs": {"motif": "nocturne"},
        },
        # Nightly shortlists of the vacant logements (hour configurable: SHORTLISTS_HEURE / SHORTLISTS_MINUTE).
        "shortlists-calculer": {
            "task": "shortlists.calculer",
            "schedule": crontab(
                hour=int(os.environ.get("SHORTLISTS_HEURE", "2")), minute=int(os.environ.get("SHORTLISTS_MINUTE", "0"))
            ),
        },
    }
