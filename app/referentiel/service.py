"""Lookups on the territorial referential: validation of codes and the commune → EPCI/département map."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import select

from app.extensions import db
from app.referentiel.models import Commune, Departement, Epci
from indexing.text import fold
from matching.referentiel import DictReferentiel


def search_communes(q: str = "", departement: str | None = None, limit: int = 20) -> list[Commune]:
    """Type-ahead: folded-name prefix first, then folded-name substring; biggest communes first."""
    stmt = select(Commune)
    if departement:
        stmt = stmt.where(Commune.departement_code == departement)
    folded = fold(q)
    if folded:
        pattern = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Commune.nom_plie.like(f"%{pattern}%")).order_by(
            Commune.nom_plie.like(f"{pattern}%").desc(), Commune.population.desc().nulls_last(), Commune.nom
        )
    else:
        stmt = stmt.order_by(Commune.population.desc().nulls_last(), Commune.nom)
    return list(db.session.scalars(stmt.limit(limit)))


def get_epci(code: str) -> Epci | None:
    return db.session.get(Epci, code)


def unknown_communes(codes: Iterable[str]) -> set[str]:
    wanted = set(codes)
    if not wanted:
        return set()
    found = set(db.session.scalars(select(Commune.code).where(Commune.code.in_(wanted))))
    return wanted - found


def unknown_secteurs(codes: Iterable[str]) -> set[str]:
    """A secteur is an EPCI SIREN code or a département code."""
    wanted = set(codes)
    if not wanted:
        return set()
    found = set(db.session.scalars(select(Epci.code).where(Epci.code.in_(wanted))))
    found |= set(db.session.scalars(select(Departement.code).where(Departement.code.in_(wanted))))
    return wanted - found


@lru_cache(maxsize=1)
def _cached_referentiel(_version_key: int) -> DictReferentiel:
    rows = db.session.execute(select(Commune.code, Commune.epci_code, Commune.departement_code)).all()
    return DictReferentiel(
        epci_par_commune={code: epci for code, epci, _ in rows if epci},
        departement_par_commune={code: dep for code, _, dep in rows},
    )


def referentiel() -> DictReferentiel:
    """The whole commune map (≈35 000 rows, a few MB), read once per process: it changes once a year."""
    return _cached_referentiel(0)
