"""Page modules; importing them registers their routes on the `web` blueprint."""

from app.web.views import (  # noqa: F401
    accueil,
    auth,
    cal,
    demandes,
    erreurs,
    logements,
    propositions,
    referentiel,
    statistiques,
)
