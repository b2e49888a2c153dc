"""CAL lists and their candidates.

A list (`ListeCal`) is opened for one logement and one commission date, with its ordered candidates
(`CandidatCal`). Each candidate then goes through: CAL decision → proposition → réponse → bail. A logement has at
most one open list (partial unique index); the list closes when a bail is signed or when it is abandoned.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

OUVERTE, CLOSE = "ouverte", "close"


class ListeCal(db.Model):
    __tablename__ = "listes_cal"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    logement_id: Mapped[int] = mapped_column(ForeignKey("logements.id", ondelete="CASCADE"), index=True)
    date_commission: Mapped[date] = mapped_column(Date)
    motif: Mapped[str | None] = mapped_column(String(40))  # why fewer than three candidates
    etat: Mapped[str] = mapped_column(String(20), default=OUVERTE)
    cree_par: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(64))
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revision: Mapped[int] = mapped_column(BigInteger, default=1)

    candidats: Mapped[list[CandidatCal]] = relationship(
        back_populates="liste", order_by="CandidatCal.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index(
            "uq_listes_cal_une_ouverte_par_logement",
            "logement_id",
            unique=True,
            postgresql_where=text("etat = 'ouverte'"),
        ),
    )


class CandidatCal(db.Model):
    __tablename__ = "candidats_cal"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    liste_id: Mapped[int] = mapped_column(ForeignKey("listes_cal.id", ondelete="CASCADE"), index=True)
    demande_id: Mapped[int] = mapped_column(ForeignKey("demandes.id", ondelete="CASCADE"), index=True)
    numero_unique: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)  # 1-based order given by the bailleur
    # Snapshot at inscription (what the CAL saw): ranking group, category, ceiling, explanation lines.
    instantane: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    decision: Mapped[str | None] = mapped_column(String(40))
    decision_details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    date_decision: Mapped[date | None] = mapped_column(Date)
    date_proposition: Mapped[date | None] = mapped_column(Date)
    date_limite_reponse: Mapped[date | None] = mapped_column(Date)
    reponse: Mapped[str | None] = mapped_column(String(20))
    date_reponse: Mapped[date | None] = mapped_column(Date)
    date_signature_bail: Mapped[date | None] = mapped_column(Date)
    date_entree: Mapped[date | None] = mapped_column(Date)

    liste: Mapped[ListeCal] = relationship(back_populates="candidats")

    __table_args__ = (UniqueConstraint("liste_id", "numero_unique", name="uq_candidats_cal_liste_numero"),)


class Designation(db.Model):
    """A candidate a réservataire designates to the bailleur for a logement of its contingent (gestion en flux: on
    each vacancy the réservataire whose turn it is proposes households; the bailleur presents them to the CAL)."""

    __tablename__ = "designations"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    logement_id: Mapped[int] = mapped_column(ForeignKey("logements.id", ondelete="CASCADE"), index=True)
    organisation: Mapped[str] = mapped_column(String(64))  # the réservataire
    demande_id: Mapped[int] = mapped_column(ForeignKey("demandes.id", ondelete="CASCADE"), index=True)
    numero_unique: Mapped[str] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer)  # the réservataire's order of preference, 1-based
    designe_par: Mapped[str] = mapped_column(String(100))
    designe_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        UniqueConstraint("logement_id", "organisation", "numero_unique", name="uq_designations_logement_org_numero"),
    )
