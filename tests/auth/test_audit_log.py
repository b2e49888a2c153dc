"""The audit trail is append-only at the database level."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError


def test_audit_entries_cannot_be_changed_or_deleted(app_ctx):
    from app import audit
    from app.extensions import db

    entry = audit.record("lecture", ["031TEST0001"], motif="test")
    db.session.commit()
    for statement in (
        f"UPDATE audit SET login = 'quelquun' WHERE id = {entry.id}",
        f"DELETE FROM audit WHERE id = {entry.id}",
        "TRUNCATE audit",
    ):
        with pytest.raises(DBAPIError, match="ajout seul"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.get(audit.AuditEntry, entry.id).login == "systeme"
