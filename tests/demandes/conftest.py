from __future__ import annotations

import pytest
from sqlalchemy import text

TABLES = "demandes, demande_evenements, outbox, indexing_dead_letters, imports, import_erreurs"


def truncate() -> None:
    from app.extensions import db

    db.session.rollback()
    db.session.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))
    db.session.commit()


@pytest.fixture(autouse=True)
def clean(app):
    """Empty the demandes tables (never the referential) around each test; no indexing tasks enqueued."""
    app.config["OUTBOX_ENQUEUE_AFTER_COMMIT"] = False
    with app.app_context():
        truncate()
    yield
    with app.app_context():
        truncate()
    app.config["OUTBOX_ENQUEUE_AFTER_COMMIT"] = True


@pytest.fixture
def guichet(api):
    return api("guichet")
