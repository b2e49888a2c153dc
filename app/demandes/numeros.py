"""Generated numeros uniques: "031" (département) + year + a 7-digit sequence number. Opaque once issued."""

from __future__ import annotations

from sqlalchemy import func, select, text

from app.demandes.lifecycle import aujourdhui
from app.demandes.models import Demande
from app.extensions import db

PREFIXE = "031"


def nouveaux_numeros(n: int) -> list[str]:
    """`n` fresh numbers from the database sequence, skipping any already used (e.g. imported with that format)."""
    numeros: list[str] = []
    annee = aujourdhui().year
    while len(numeros) < n:
        wanted = n - len(numeros)
        seqs = db.session.execute(
            text("SELECT nextval('demande_numero_seq') FROM generate_series(1, :n)"), {"n": wanted}
        ).scalars()
        candidats = [f"{PREFIXE}{annee}{int(s) % 10_000_000:07d}" for s in seqs]
        pris = set(db.session.scalars(select(Demande.numero_unique).where(Demande.numero_unique.in_(candidats))))
        numeros.extend(c for c in candidats if c not in pris)
    return numeros


def existe(numero: str) -> bool:
    return bool(db.session.scalar(select(func.count()).where(Demande.numero_unique == numero)))
