"""Rows of the system of record → document sources, and which rows belong in the index.

The demandes service (`app.demandes.service`) owns the API representation of a demande (`as_document_source`,
`load_many`); this module falls back to an equivalent reading of the model while that service is not available,
so the pipeline depends on one contract only.

Decision (what the index holds): every demande not erased, whatever its état. Brouillons are indexed with
`etat = brouillon` and filtered out at search time unless the caller belongs to the registering organisation;
satisfaites and radiées stay findable by agents (a radiée can be reactivated); matching filters `etat = active`.
Erased demandes (`efface_le` set) and rows that no longer exist are deleted from the index.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import select

from app.demandes.models import Demande
from app.extensions import db


def is_indexable(row: Demande | None) -> bool:
    return row is not None and row.efface_le is None


def _fallback_source(row: Demande) -> dict[str, Any]:
    source: dict[str, Any] = dict(row.donnees or {})
    source.update(
        numero_unique=row.numero_unique,
        etat=row.etat,
        organisme_enregistreur=row.organisme_enregistreur,
        date_depot=row.date_depot,
        date_renouvellement=row.date_renouvellement,
        date_fin_validite=row.date_fin_validite,
        motif_radiation=row.motif_radiation,
        date_radiation=row.date_radiation,
        complete=row.complete,
        revision=row.revision,
    )
    return source


def as_document_source(row: Demande) -> dict[str, Any]:
    """The API dict of a demande (etat and revision included), input of `indexing.documents.build_document`."""
    try:
        from app.demandes.service import as_document_source as service_source
    except ImportError:
        return _fallback_source(row)
    return service_source(row)


def load_many(numeros: Iterable[str]) -> dict[str, Demande]:
    wanted = list(dict.fromkeys(numeros))
    if not wanted:
        return {}
    try:
        from app.demandes.service import load_many as service_load_many
    except ImportError:
        rows = db.session.scalars(select(Demande).where(Demande.numero_unique.in_(wanted)))
        return {row.numero_unique: row for row in rows}
    return service_load_many(wanted)


def build(row: Demande, on: date | None = None) -> dict[str, Any]:
    """The index document of one row (raises on data that cannot make a document: a poison row)."""
    from app.referentiel.service import referentiel
    from indexing.documents import build_document

    return build_document(as_document_source(row), referentiel(), on or date.today())
