"""Import every model module so that Alembic and the app see the whole schema."""

from app.referentiel.models import Commune, Departement, Epci, ReferentielVersion

__all__ = ["Commune", "Departement", "Epci", "ReferentielVersion"]
