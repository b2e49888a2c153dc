"""Nightly shortlist runs and their proposals (one row per logement and rank)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

EN_COURS, TERMINE, ECHOUE = "en_cours", "termine", "echoue"


class ShortlistRun(db.Model):
    __tablename__ = "shortlist_runs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # uuid4
    date_run: Mapped[date] = mapped_column(Date, unique=True)  # one run per night: re-runs replace it
    statut: Mapped[str] = mapped_column(String(20), default=EN_COURS)
    parametres: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)  # n, k, strategie
    total_logements: Mapped[int] = mapped_column(Integer, default=0)
    logements_traites: Mapped[int] = mapped_column(Integer, default=0)
    logements_en_echec: Mapped[int] = mapped_column(Integer, default=0)
    propositions_count: Mapped[int] = mapped_column(Integer, default=0)
    demarre_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    termine_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duree_ms: Mapped[int | None] = mapped_column(Integer)
    erreur: Mapped[str | None] = mapped_column(Text)

    propositions: Mapped[list[ShortlistProposition]] = relationship(
        back_populates="run",
        order_by="(ShortlistProposition.ordre_logement, ShortlistProposition.rang)",
        cascade="all, delete-orphan",
    )


class ShortlistProposition(db.Model):
    """A proposed candidate (rang >= 1), or a failed logement (rang 0, `erreur` set)."""

    __tablename__ = "shortlist_propositions"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("shortlist_runs.id", ondelete="CASCADE"), index=True)
    logement_id: Mapped[int] = mapped_column(ForeignKey("logements.id", ondelete="CASCADE"), index=True)
    ordre_logement: Mapped[int] = mapped_column(Integer)  # position of the logement in the night's order
    rang: Mapped[int] = mapped_column(Integer)
    numero_unique: Mapped[str | None] = mapped_column(String(64), index=True)
    rang_liste: Mapped[int | None] = mapped_column(Integer)  # rank in the logement's full candidate list
    erreur: Mapped[str | None] = mapped_column(Text)

    run: Mapped[ShortlistRun] = relationship(back_populates="propositions")

    __table_args__ = (UniqueConstraint("run_id", "logement_id", "rang", name="uq_shortlist_run_logement_rang"),)
