"""Celery tasks of the demandes: bulk import processing and the nightly radiation of demandes not renewed.

Both acknowledge late: a worker killed mid-import leaves its message to be redelivered, and the import resumes
after its last committed batch (progress and demandes commit together).
"""

from __future__ import annotations

import logging

from celery import shared_task

from app.demandes import imports, service

log = logging.getLogger(__name__)


@shared_task(name=imports.TACHE, acks_late=True, reject_on_worker_lost=True)
def traiter_import(import_id: str) -> dict[str, object]:
    imp = imports.traiter(import_id)
    return {
        "id": imp.id,
        "etat": imp.etat,
        "creees": imp.creees,
        "modifiees": imp.modifiees,
        "inchangees": imp.inchangees,
        "erreurs": imp.erreurs,
    }


@shared_task(name="demandes.radier_non_renouvelees", acks_late=True)
def radier_non_renouvelees() -> int:
    total = service.radier_non_renouvelees()
    log.info("radiation non_renouvellement: %d demande(s)", total)
    return total


@shared_task(name="demandes.reprendre_imports")
def reprendre_imports() -> int:
    """Beat sweeper: re-enqueue imports left waiting (lost enqueue) or interrupted (killed worker). Harmless for an
    import being processed: its lock makes the duplicate return at once."""
    ids = imports.en_souffrance()
    for import_id in ids:
        traiter_import.delay(import_id)
    return len(ids)
