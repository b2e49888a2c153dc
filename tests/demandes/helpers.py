from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select

from app.demandes.models import Demande, DemandeEvenement
from app.extensions import db
from app.outbox import OutboxEntry
from tests.factories import DemandePayloadFactory


def payload(**overrides: Any) -> dict[str, Any]:
    data = DemandePayloadFactory()
    data.update(overrides)
    return data


def counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(Demande)),
            db.session.scalar(select(func.count()).select_from(DemandeEvenement)),
            db.session.scalar(select(func.count()).select_from(OutboxEntry)),
        )


def champs(response) -> dict[str, str]:
    body = response.get_json()
    assert set(body) >= {"code", "message"}, body
    return {e["champ"]: e["message"] for e in body.get("erreurs", [])}


def add_months(d: date, months: int) -> date:
    """Independent of the code under test: calendar months, clamped to the month's last day."""
    import calendar

    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))
