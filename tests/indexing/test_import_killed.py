"""A worker killed with SIGKILL in the middle of an import (issue 3): once a worker runs again, the import
finishes, every line is committed once, and every committed demande is in the index at its latest revision."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from indexing import consumer, lifecycle
from tests.factories import DemandePayloadFactory
from tests.indexing import helpers

pytestmark = [pytest.mark.services, pytest.mark.disruptive]
LINES = 3000


def _import_state(import_id: str) -> tuple[str, int]:
    from app.demandes.models import Import
    from app.extensions import db

    db.session.rollback()
    row = db.session.get(Import, import_id)
    db.session.refresh(row)
    return row.etat, row.lignes_traitees


def test_import_resumes_after_its_worker_is_killed(clean, es, api):
    from app.demandes import imports
    from app.demandes.models import Demande
    from app.extensions import db
    from workers import demandes_tasks

    db.session.execute(text("TRUNCATE imports CASCADE"))
    db.session.commit()
    lines = [DemandePayloadFactory(numero_unique=f"031IMPK{i:07d}") for i in range(LINES)]
    body = "\n".join(json.dumps(line) for line in lines).encode()
    queue = clean.config["SETTINGS"].celery_queue + "-imports-kill"

    created = api("guichet").post("/api/v1/imports", data=body, content_type="application/x-ndjson")
    assert created.status_code == 202, created.get_json()
    import_id = created.get_json()["id"]
    worker = helpers.start_queue_worker(clean, "fp-test-import-killed", queue)
    try:
        clean.extensions["celery"].send_task(imports.TACHE, args=[import_id], queue=queue)
        helpers.wait_until(lambda: _import_state(import_id)[1] > 0, timeout=120, every=0.05, what="a first batch")
    finally:
        helpers.kill_group(worker)  # SIGKILL, mid-import
    state, done_at_kill = _import_state(import_id)
    assert state == "en_cours" and 0 < done_at_kill < LINES, "the worker must die in the middle of the import"

    replacement = helpers.start_queue_worker(clean, "fp-test-import-replacement", queue)
    try:
        # What beat does every minute: re-enqueue interrupted imports (the killed worker's lock expires first).
        def resumed() -> bool:
            for import_id_ in imports.en_souffrance(age_min_s=0):
                demandes_tasks.traiter_import.apply_async(args=[import_id_], queue=queue)
            return _import_state(import_id)[0] == "terminee"

        helpers.wait_until(resumed, timeout=180, every=5, what="the import to finish")
    finally:
        helpers.kill_group(replacement, sig=15)

    body = api("guichet").get(f"/api/v1/imports/{import_id}").get_json()
    assert body["creees"] + body["inchangees"] == LINES and body["erreurs"] == 0
    assert db.session.scalar(select(func.count()).select_from(Demande)) == LINES
    consumer.drain()
    es.indices.refresh(index=lifecycle.current_spec().alias)
    # Every committed demande is in the index at its latest revision, and nothing else is.
    assert lifecycle.indexed_versions() == helpers.revisions()
    assert lifecycle.reconcile().total == 0
