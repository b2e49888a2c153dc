"""Lookups on the territorial referential: validation of codes and the commune → EPCI/département map."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from sqlalchemy import select

from app.extensions import db
from app.referentiel.models import Commune, Departement, Epci, ReferentielVersion
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


# Known codes, per database and referential version: validation of a batch is then set arithmetic, with one tiny
# query (the loaded version) instead of three IN queries. A new version (or `load_referentiel`) invalidates it.
_codes_connus: dict[tuple[str, tuple[tuple[str, str], ...]], tuple[frozenset[str], frozenset[str]]] = {}


def invalidate_caches() -> None:
    """Forget the in-process copies of the referential (called after `load_referentiel`)."""
    _codes_connus.clear()
    _cached_referentiel.cache_clear()


def _known_codes() -> tuple[frozenset[str], frozenset[str]]:
    """(commune codes, secteur codes = EPCI SIREN + département codes) of the referential in force."""
    versions = tuple(
        tuple(row) for row in db.session.execute(select(ReferentielVersion.source, ReferentielVersion.version))
    )
    key = (db.engine.url.render_as_string(hide_password=True), tuple(sorted(versions)))
    known = _codes_connus.get(key)
    if known is None:
        communes = frozenset(db.session.scalars(select(Commune.code)))
        secteurs = frozenset(db.session.scalars(select(Epci.code))) | frozenset(
            db.session.scalars(select(Departement.code))
        )
        known = _codes_connus[key] = (communes, secteurs)
    return known


def unknown_communes(codes: Iterable[str]) -> set[str]:
    wanted = set(codes)
    if not wanted:
        return set()
    return wanted - _known_codes()[0]


def unknown_secteurs(codes: Iterable[str]) -> set[str]:
    """A secteur is an EPCI SIREN code or a département code."""
    wanted = set(codes)
    if not wanted:
        return set()
    return wanted - _known_codes()[1]


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
