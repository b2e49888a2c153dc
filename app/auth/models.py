"""Organisations, users and their API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, String, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db

ORGANISATION_TYPES = (
    "bailleur",
    "reservataire_etat",
    "action_logement",
    "collectivite",
    "guichet",
    "observatoire",
    "gestionnaire",
)


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    nom: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(30))
    # For a réservataire: the contingent(s) it holds (prefecture, action_logement, collectivite...).
    contingents: Mapped[list[str]] = mapped_column(ARRAY(String(40)), default=list)


class Utilisateur(db.Model):
    __tablename__ = "utilisateurs"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(100), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(30)))
    mot_de_passe_hash: Mapped[str] = mapped_column(String(200))
    actif: Mapped[bool] = mapped_column(Boolean, default=True)
    demo: Mapped[bool] = mapped_column(Boolean, default=False)
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Jeton(db.Model):
    """A personal bearer token. Only its SHA-256 is stored: a leaked table does not leak tokens."""

    __tablename__ = "jetons"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    empreinte: Mapped[str] = mapped_column(String(64), unique=True)
    utilisateur_id: Mapped[int] = mapped_column(ForeignKey("utilisateurs.id", ondelete="CASCADE"), index=True)
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expire_le: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoque_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    utilisateur: Mapped[Utilisateur] = relationship(lazy="joined")
