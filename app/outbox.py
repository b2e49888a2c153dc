"""Transactional outbox: every change to an indexed row writes an entry in the same transaction.

After the commit, a Celery task carrying only entry ids is enqueued (`enqueue_after_commit`); a beat task sweeps
entries that stayed unprocessed (a lost enqueue, Redis down at commit time). So an acknowledged write always reaches
the index, even when Redis or Elasticsearch was down when it was made.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, func, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class OutboxEntry(db.Model):
    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))  # "demande", later "logement"
    entity_id: Mapped[str] = mapped_column(String(64))  # numero_unique for demandes
    revision: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    processed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    __table_args__ = (
        Index("ix_outbox_pending", "id", postgresql_where=text("processed_at IS NULL")),
    )


def record(kind: str, entity_id: str, revision: int) -> OutboxEntry:
    """Add an outbox entry to the current transaction (call it next to the change it describes)."""
    entry = OutboxEntry(kind=kind, entity_id=entity_id, revision=revision)
    db.session.add(entry)
    return entry


class DeadLetter(db.Model):
    """An outbox entry that failed permanently (a poison document): parked here, replayed by a command."""

    __tablename__ = "indexing_dead_letters"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(BigInteger)
    error: Mapped[str] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    replayed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
