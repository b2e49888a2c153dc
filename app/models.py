"""Import every model module so that Alembic and the app see the whole schema."""

from app.audit import AuditEntry
from app.auth.models import Jeton, Organisation, Utilisateur
from app.baremes.models import VersionBareme
from app.cal.models import CandidatCal, Designation, ListeCal
from app.demandes.models import Demande, DemandeEvenement, Import, ImportErreur
from app.logements.models import Logement
from app.outbox import DeadLetter, OutboxEntry
from app.referentiel.models import Commune, Departement, Epci, ReferentielVersion
from app.shortlists.models import ShortlistProposition, ShortlistRun
from app.statistiques.models import SeuilPremierQuartile

__all__ = [
    "AuditEntry",
    "CandidatCal",
    "Commune",
    "DeadLetter",
    "Demande",
    "DemandeEvenement",
    "Departement",
    "Designation",
    "Epci",
    "Import",
    "ImportErreur",
    "Jeton",
    "ListeCal",
    "Logement",
    "Organisation",
    "OutboxEntry",
    "ReferentielVersion",
    "SeuilPremierQuartile",
    "ShortlistProposition",
    "ShortlistRun",
    "Utilisateur",
    "VersionBareme",
]
