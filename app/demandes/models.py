"""System-of-record tables of the demandes.

The household and its wishes are validated by the marshmallow schemas (the API contract) and stored as one JSONB
document (`donnees`); the columns hold what the lifecycle, the access rules and the indexing pipeline query.
`revision` increases on every change and is never reset, even across radiation and reactivation: it is the
external version of the Elasticsearch document, so the index can never go back to an older state.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Sequence,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Demande(db.Model):
    __tablename__ = "demandes"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    numero_unique: Mapped[str] = mapped_column(String(64), unique=True)
    etat: Mapped[str] = mapped_column(String(20))  # brouillon, active, satisfaite, radiee
    organisme_enregistreur: Mapped[str] = mapped_column(String(64))
    date_depot: Mapped[date] = mapped_column(Date)
    date_renouvellement: Mapped[date | None] = mapped_column(Date)
    date_fin_validite: Mapped[date | None] = mapped_column(Date)
    motif_radiation: Mapped[str | None] = mapped_column(String(40))
    date_radiation: Mapped[date | None] = mapped_column(Date)
    complete: Mapped[bool] = mapped_column(Boolean, default=True)
    donnees: Mapped[dict[str, Any]] = mapped_column(JSONB)
    revision: Mapped[int] = mapped_column(BigInteger, default=1)
    # Set when personal data were erased (one year after radiation): the row stays, pseudonymised.
    efface_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    modifie_le: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    evenements: Mapped[list[DemandeEvenement]] = relationship(
        back_populates="demande", order_by="DemandeEvenement.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_demandes_etat_fin_validite", "etat", "date_fin_validite"),
        Index("ix_demandes_organisme", "organisme_enregistreur"),
    )


class DemandeEvenement(db.Model):
    """One step of a demande's life (creation, modification, renouvellement, radiation, CAL decision...)."""

    __tablename__ = "demande_evenements"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    demande_id: Mapped[int] = mapped_column(ForeignKey("demandes.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(BigInteger)
    auteur: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(64))
    survenu_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    # Changed fields (dotted paths) and other facts of the step; no personal values, so statistics survive erasure.
    details: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict)
    commentaire: Mapped[str | None] = mapped_column(Text)

    demande: Mapped[Demande] = relationship(back_populates="evenements")


class Import(db.Model):
    """A bulk import of demandes (NDJSON or CSV): the file, its progress and its counts.

    Batches commit their demandes together with the progress, so a worker killed mid-import resumes after the
    last committed batch and counts stay exact.
    """

    __tablename__ = "imports"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    etat: Mapped[str] = mapped_column(String(20), default="en_attente")  # en_attente, en_cours, terminee, echouee
    format: Mapped[str] = mapped_column(String(10))  # ndjson, csv
    nom_fichier: Mapped[str | None] = mapped_column(String(255))
    contenu: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    auteur: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str | None] = mapped_column(String(64))
    lignes: Mapped[int] = mapped_column(Integer, default=0)
    lignes_traitees: Mapped[int] = mapped_column(Integer, default=0)
    creees: Mapped[int] = mapped_column(Integer, default=0)
    modifiees: Mapped[int] = mapped_column(Integer, default=0)
    inchangees: Mapped[int] = mapped_column(Integer, default=0)
    erreurs: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    commence_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    termine_le: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    details_erreurs: Mapped[list[ImportErreur]] = relationship(
        order_by="ImportErreur.id", cascade="all, delete-orphan", passive_deletes=True, lazy="raise_on_sql"
    )


class ImportErreur(db.Model):
    """One faulty line of an import (a line may have several)."""

    __tablename__ = "import_erreurs"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    import_id: Mapped[str] = mapped_column(ForeignKey("imports.id", ondelete="CASCADE"), index=True)
    ligne: Mapped[int] = mapped_column(Integer)
    champ: Mapped[str | None] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    numero_unique: Mapped[str | None] = mapped_column(String(64))


# Source of generated numeros uniques (created by migration 0003).
numero_sequence = Sequence("demande_numero_seq", metadata=db.Model.metadata)
