"""Errors of the logements, rapprochement, CAL and shortlists services (uniform body of `app.api_errors`)."""

from __future__ import annotations

from app.api_errors import ApiError, DonneesInvalides


class Introuvable(ApiError):
    status = 404
    code = "introuvable"
    default_message = "Ressource introuvable"


class Interdit(ApiError):
    status = 403
    code = "interdit"
    default_message = "Seul le bailleur du logement peut le modifier"


class Conflit(ApiError):
    status = 409
    code = "conflit"
    default_message = "Conflit avec l'état de la ressource"


class RevisionPerimee(ApiError):
    status = 412
    code = "revision_perimee"
    default_message = "Le logement a été modifié depuis sa lecture : relisez-le puis recommencez"


class IfMatchRequis(ApiError):
    status = 428
    code = "precondition_requise"
    default_message = "En-tête If-Match requis (ETag lu du logement)"


class RechercheIndisponible(ApiError):
    status = 503
    code = "recherche_indisponible"
    default_message = "Le moteur de recherche est momentanément indisponible, réessayez dans quelques instants"


def register_handlers(blueprint) -> None:
    """Blueprint-level handler, so the uniform body holds even before the app-wide handler is installed."""

    def handle(error: ApiError):
        return error.body(), error.status, error.headers

    blueprint.register_error_handler(ApiError, handle)


__all__ = ["DonneesInvalides"]  # re-exported: the services import it from here
