"""The logement table: one vacant (or formerly vacant) dwelling of a bailleur.

`revision` increases on every change (ETag of the API); `etat` moves vacant → en_attribution (a CAL list is open)
→ attribue (bail signed), or retire (withdrawn from the offer).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Index, Integer, Numeric, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

VACANT, EN_ATTRIBUTION, ATTRIBUE, RETIRE = "vacant", "en_attribution", "attribue", "retire"
ETATS_LOGEMENT: tuple[str, ...] = (VACANT, EN_ATTRIBUTION, ATTRIBUE, RETIRE)


class Logement(db.Model):
    __tablename__ = "logements"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(64))
    bailleur: Mapped[str] = mapped_column(String(64))
    adresse: Mapped[str] = mapped_column(String(300))
    commune: Mapped[str] = mapped_column(String(5))
    qpv: Mapped[bool] = mapped_column(Boolean, default=False)
    typologie: Mapped[str] = mapped_column(String(10))
    type_bien: Mapped[str] = mapped_column(String(20))
    surface: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    etage: Mapped[int] = mapped_column(Integer, default=0)
    ascenseur: Mapped[bool] = mapped_column(Boolean, default=False)
    adapte_handicap: Mapped[bool] = mapped_column(Boolean, default=False)
    parking: Mapped[bool] = mapped_column(Boolean, default=False)
    financement: Mapped[str] = mapped_column(String(10))
    loyer: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    charges: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    contingent: Mapped[str] = mapped_column(String(40))
    programme: Mapped[str | None] = mapped_column(String(200))
    date_disponibilite: Mapped[date] = mapped_column(Date)
    etat: Mapped[str] = mapped_column(String(20), default=VACANT)
    revision: Mapped[int] = mapped_column(BigInteger, default=1)
    cree_le: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    modifie_le: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    __table_args__ = (
        UniqueConstraint("bailleur", "reference", name="uq_logements_bailleur_reference"),
        Index("ix_logements_etat_disponibilite", "etat", "date_disponibilite"),
        Index("ix_logements_commune", "commune"),
    )

    def matching_dict(self) -> dict:
        """The logement as `matching` reads it (plain numbers, no Decimal)."""
        return {
            "commune": self.commune,
            "qpv": bool(self.qpv),
            "typologie": self.typologie,
            "type_bien": self.type_bien,
            "surface": float(self.surface),
            "etage": int(self.etage),
            "ascenseur": bool(self.ascenseur),
            "adapte_handicap": bool(self.adapte_handicap),
            "parking": bool(self.parking),
            "financement": self.financement,
            "loyer": float(self.loyer),
            "charges": float(self.charges),
            "contingent": self.contingent,
            "date_disponibilite": self.date_disponibilite,
        }
