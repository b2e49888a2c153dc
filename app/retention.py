"""Erasure of personal data one year after radiation (décret 2017-917 art. 4, CNIL; domain.md §2 and §10).

The demande row stays, pseudonymised: identities, birth dates, free text and resources are removed; what the
statistics count (état, dates, household composition, wishes, priority codes, events) is kept. The revision is
bumped and an outbox entry written, so the search document disappears from the index. Every erasure is recorded
as an event and an audit entry.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from app import audit, outbox
from app.demandes.models import Demande, DemandeEvenement
from app.extensions import db

RETENTION = relativedelta(years=1)
PERSONAL_FIELDS = (
    "demandeur",
    "co_demandeurs",
    "revenu_fiscal_reference",
    "ressources_mensuelles",
    "commentaire",
    "fsl",
)


def pseudonymise(donnees: dict[str, Any]) -> dict[str, Any]:
    kept = {k: v for k, v in donnees.items() if k not in PERSONAL_FIELDS}
    kept["co_demandeurs_nombre"] = len(donnees.get("co_demandeurs") or [])
    return kept


def due_for_erasure(today: date) -> list[Demande]:
    limit = today - RETENTION
    stmt = (
        select(Demande)
        .where(Demande.efface_le.is_(None), Demande.date_radiation.is_not(None), Demande.date_radiation <= limit)
        .order_by(Demande.id)
        .with_for_update(skip_locked=True)
    )
    return list(db.session.scalars(stmt))


def erase_expired(today: date | None = None) -> list[str]:
    """Erase every demande radiated more than a year ago; returns their numbers (recorded in the audit trail)."""
    today = today or date.today()
    erased = []
    for demande in due_for_erasure(today):
        demande.donnees = pseudonymise(demande.donnees or {})
        demande.efface_le = datetime.now(UTC)
        demande.revision = int(demande.revision) + 1
        db.session.add(
            DemandeEvenement(
                demande_id=demande.id,
                type="effacement",
                revision=demande.revision,
                auteur="systeme",
                details={"motif": "conservation_depassee", "date_radiation": demande.date_radiation.isoformat()},
            )
        )
        outbox.record("demande", demande.numero_unique, demande.revision)
        erased.append(demande.numero_unique)
    if erased:
        audit.record("effacement", erased, motif="un an après la radiation")
    db.session.commit()
    return erased
