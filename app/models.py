"""Import every model module so that Alembic and the app see the whole schema."""

from app.audit import AuditEntry
from app.auth.models import Jeton, Organisation, Utilisateur
from app.demandes.models import Demande, DemandeEvenement
from app.outbox import DeadLetter, OutboxEntry
from app.referentiel.models import Commune, Departement, Epci, ReferentielVersion

__all__ = [
    "AuditEntry",
    "Commune",
    "DeadLetter",
    "Demande",
    "DemandeEvenement",
    "Departement",
    "Epci",
    "Jeton",
    "Organisation",
    "OutboxEntry",
    "ReferentielVersion",
    "Utilisateur",
]
