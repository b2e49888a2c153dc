"""System-of-record tables of the territorial referential."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Departement(db.Model):
    __tablename__ = "departements"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    nom: Mapped[str] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(3))


class Epci(db.Model):
    __tablename__ = "epci"

    code: Mapped[str] = mapped_column(String(9), primary_key=True)  # SIREN
    nom: Mapped[str] = mapped_column(String(200))
    type: Mapped[str | None] = mapped_column(String(10))  # CC, CA, CU, METRO
    population: Mapped[int | None] = mapped_column(Integer)

    communes: Mapped[list[Commune]] = relationship(back_populates="epci", order_by="Commune.nom")


class Commune(db.Model):
    __tablename__ = "communes"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)  # INSEE
    nom: Mapped[str] = mapped_column(String(200))
    # Accent-, case- and punctuation-folded name (indexing.text.fold): the search key of the type-ahead.
    nom_plie: Mapped[str] = mapped_column(String(200))
    departement_code: Mapped[str] = mapped_column(ForeignKey("departements.code"))
    epci_code: Mapped[str | None] = mapped_column(ForeignKey("epci.code"))
    population: Mapped[int | None] = mapped_column(Integer)

    epci: Mapped[Epci | None] = relationship(back_populates="communes")

    __table_args__ = (
        Index("ix_communes_nom_plie", "nom_plie", postgresql_ops={"nom_plie": "text_pattern_ops"}),
        Index("ix_communes_departement", "departement_code"),
        Index("ix_communes_epci", "epci_code"),
    )


class ReferentielVersion(db.Model):
    """Which version of the source package is loaded, so that reloading the same one is a no-op."""

    __tablename__ = "referentiel_version"

    source: Mapped[str] = mapped_column(String(100), primary_key=True)
    version: Mapped[str] = mapped_column(String(40))
