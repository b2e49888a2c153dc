"""Page modules; importing them registers their routes on the `web` blueprint."""

from app.web.views import (  # noqa: F401
    accueil,
    administration,
    auth,
    baremes,
    cal,
    demandes,
    erreurs,
    logements,
    propositions,
    recherche,
    referentiel,
    statistiques,
    suivi,
)
