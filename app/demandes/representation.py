"""The API representation of a demande: the stored payload, the lifecycle columns and the derived fields.

Derived fields come from `matching/` (one place per rule): persons counted for ceilings, household category
(domain.md §4) and seniority in full months since `date_depot`, computed at the day of reading.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from app.demandes.lifecycle import aujourdhui
from app.demandes.models import Demande
from matching.menage import categorie_menage, nb_personnes
from matching.ranking import anciennete_mois


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def representation(demande: Demande, on: date | None = None) -> dict[str, Any]:
    """The JSON dict returned by `GET /demandes/{n}` (and indexed by the search pipeline)."""
    on = on or aujourdhui()
    data: dict[str, Any] = dict(demande.donnees or {})
    categorie = categorie_menage(data, on)
    data.update(
        numero_unique=demande.numero_unique,
        organisme_enregistreur=demande.organisme_enregistreur,
        date_depot=_iso(demande.date_depot),
        date_renouvellement=_iso(demande.date_renouvellement),
        etat=demande.etat,
        complete=bool(demande.complete),
        motif_radiation=demande.motif_radiation,
        date_radiation=_iso(demande.date_radiation),
        date_fin_validite=_iso(demande.date_fin_validite),
        revision=int(demande.revision),
        nb_personnes=nb_personnes(data),
        categorie_menage=categorie.categorie,
        personnes_supplementaires=categorie.personnes_supplementaires,
        anciennete_mois=anciennete_mois(demande.date_depot, on),
        cree_le=_iso(demande.cree_le),
        modifie_le=_iso(demande.modifie_le),
    )
    if data["date_renouvellement"] is None:
        data.pop("date_renouvellement")
    return data
