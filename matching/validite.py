"""Validity of a demande: 12 months (configurable) from filing or last renewal (domain §2)."""

from __future__ import annotations

from datetime import date

from matching.config import parametres
from matching.dates import add_months, to_date
from matching.demande import Demande


def date_fin_validite(demande: Demande) -> date | None:
    """Last renewal (or filing) date + validite_mois; None when the demande has no filing date yet."""
    debut = to_date(demande.get("date_renouvellement")) or to_date(demande.get("date_depot"))
    if debut is None:
        return None
    return add_months(debut, int(parametres()["validite_mois"]))
