"""Append-only audit trail of every access to personal data (CCH R441-2-6, CNIL): who, which organisation,
when, what (action, demande numbers, export kind), from where.

The table refuses UPDATE and DELETE at the database level (trigger installed by the migration), so the trail
cannot be edited through the application; erasure of personal data keeps the audit rows (numbers are opaque keys).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from flask import has_request_context, request
from sqlalchemy import BigInteger, DateTime, String, func, select
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.auth.context import Actor, current_actor
from app.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    survenu_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    login: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))  # lecture, recherche, export, creation, modification...
    demandes: Mapped[list[str]] = mapped_column(ARRAY(String(64)), default=list)
    adresse: Mapped[str | None] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)


def record(action: str, demandes: Iterable[str] = (), actor: Actor | None = None, **details: Any) -> AuditEntry:
    """Add an audit entry to the current transaction (the caller commits with the access it describes)."""
    actor = actor or current_actor()
    entry = AuditEntry(
        login=actor.login,
        organisation=actor.organisation,
        action=action,
        demandes=list(demandes),
        adresse=request.remote_addr if has_request_context() else None,
        details=details,
    )
    db.session.add(entry)
    return entry


def record_now(action: str, demandes: Iterable[str] = (), **details: Any) -> None:
    """Audit a read (no other write to commit with it): written in its own transaction."""
    record(action, demandes, **details)
    db.session.commit()


def accesses_to(numero_unique: str) -> list[AuditEntry]:
    stmt = select(AuditEntry).where(AuditEntry.demandes.any(numero_unique)).order_by(AuditEntry.id)
    return list(db.session.scalars(stmt))
