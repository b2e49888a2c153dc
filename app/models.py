"""Import every model module so that Alembic and the app see the whole schema."""

from app.demandes.models import Demande, DemandeEvenement
from app.outbox import DeadLetter, OutboxEntry
from app.referentiel.models import Commune, Departement, Epci, ReferentielVersion

__all__ = [
    "Commune",
    "DeadLetter",
    "Demande",
    "DemandeEvenement",
    "Departement",
    "Epci",
    "OutboxEntry",
    "ReferentielVersion",
]
