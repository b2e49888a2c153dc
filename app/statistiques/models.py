"""Yearly first-quartile thresholds per EPCI (mixité rule, domain §7), set by the gestionnaire in Administration.

The ministerial arrêté fixes each year, per EPCI, the resources per consumption unit below which an applicant is in
the first quartile; the Haute-Garonne values are not known to the project, hence a configurable table.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class SeuilPremierQuartile(db.Model):
    __tablename__ = "seuils_premier_quartile"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    epci: Mapped[str] = mapped_column(ForeignKey("epci.code"))  # SIREN
    annee: Mapped[int] = mapped_column(Integer)
    seuil: Mapped[Decimal] = mapped_column(Numeric(10, 2))  # € per consumption unit and per year
    modifie_par: Mapped[str] = mapped_column(String(100))
    modifie_le: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        UniqueConstraint("epci", "annee", name="uq_seuils_premier_quartile_epci_annee"),
        CheckConstraint("seuil > 0", name="ck_seuils_premier_quartile_seuil_positif"),
        CheckConstraint("annee BETWEEN 2000 AND 2100", name="ck_seuils_premier_quartile_annee"),
    )
