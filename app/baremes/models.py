"""Versions of the barèmes. Each change writes a whole new version (never an update): the latest version of a
barème is in force, the earlier ones say what applied before and who changed it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, DateTime, String, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

NOMS = ("plafonds", "cotation")


class VersionBareme(db.Model):
    __tablename__ = "versions_baremes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    nom: Mapped[str] = mapped_column(String(20), index=True)
    contenu: Mapped[dict[str, Any]] = mapped_column(JSONB)
    resume: Mapped[str] = mapped_column(String(300))  # what changed, in French, for the history table
    modifie_par: Mapped[str] = mapped_column(String(100))
    modifie_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (CheckConstraint("nom IN ('plafonds', 'cotation')", name="ck_versions_baremes_nom"),)
