"""Domain errors of the demandes services (each maps to one HTTP status and a French message)."""

from __future__ import annotations

from app.api_errors import ApiError, DonneesInvalides


class DemandeIntrouvable(ApiError):
    status = 404
    code = "introuvable"
    default_message = "Demande introuvable"


class Interdit(ApiError):
    """Row-level rule: only the registering organisation writes a demande."""

    status = 403
    code = "interdit"
    default_message = "Seul l'organisme enregistreur de la demande peut la modifier"


class TransitionImpossible(ApiError):
    status = 409
    code = "transition_impossible"
    default_message = "Transition impossible dans l'état actuel de la demande"


class NumeroExistant(ApiError):
    status = 409
    code = "numero_existant"
    default_message = "Une demande porte déjà ce numéro unique"


class RevisionPerimee(ApiError):
    status = 412
    code = "revision_perimee"
    default_message = "La demande a été modifiée depuis sa lecture : relisez-la puis recommencez"


class IfMatchRequis(ApiError):
    status = 428
    code = "precondition_requise"
    default_message = "En-tête If-Match requis (révision lue de la demande)"


class ImportIntrouvable(ApiError):
    status = 404
    code = "introuvable"
    default_message = "Import introuvable"


class FormatImportInvalide(ApiError):
    status = 415
    code = "type_non_supporte"
    default_message = "Format d'import non pris en charge : application/x-ndjson ou text/csv attendu"


__all__ = ["DonneesInvalides"]  # re-exported: the services import it from here
