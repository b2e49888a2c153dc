"""`/api/v1/demandes`: create, read, modify (If-Match), lifecycle steps and history of a demande.

Bodies of demandes are read raw and validated by the service (schema + referential, every error at once); the
marshmallow schemas document them in the OpenAPI spec. `GET /demandes` (search) lives in `search_api.py`.
Every response carrying a demande has `ETag: "<revision>"`.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.exceptions import UnsupportedMediaType

from app import audit
from app.api_errors import ApiError, ErreurSchema
from app.auth.guard import requires
from app.auth.permissions import Permission
from app.demandes import service
from app.demandes.models import Demande
from app.demandes.schemas import (
    CommentaireSchema,
    DemandeSchema,
    HistoriqueSchema,
    RadiationSchema,
    RenouvellementSchema,
)

blp = Blueprint("demandes", __name__, url_prefix="/api/v1", description="Demandes de logement social")


def _json_body() -> Any:
    """The JSON body (400 when malformed, 415 when not JSON)."""
    if not request.is_json:
        raise UnsupportedMediaType()
    body = request.get_json(silent=True)
    if body is None:
        raise ApiError("JSON mal formé")
    return body


def demande_response(demande: Demande, status: int = 200) -> Response:
    response = jsonify(service.as_document_source(demande))
    response.status_code = status
    response.headers["ETag"] = f'"{demande.revision}"'
    return response


def _errors(*codes: int) -> dict[str, Any]:
    return {str(c): {"description": "Erreur", "content": {"application/json": {"schema": ErreurSchema}}} for c in codes}


def _doc(success: int, schema: Any, errors: tuple[int, ...], body: Any = None, headers: bool = True) -> dict:
    responses: dict[str, Any] = {
        str(success): {"description": "Succès", "content": {"application/json": {"schema": schema}}},
        **_errors(*errors),
    }
    if headers:
        responses[str(success)]["headers"] = {"ETag": {"schema": {"type": "string"}, "description": "révision"}}
    doc: dict[str, Any] = {"responses": responses}
    if body is not None:
        doc["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return doc


IF_MATCH = {"in": "header", "name": "If-Match", "schema": {"type": "string"}, "description": "révision lue (ETag)"}


@blp.route("/demandes", methods=["POST"])
class DemandesCollection(MethodView):
    @blp.doc(**_doc(201, DemandeSchema, (400, 403, 409, 422), body=DemandeSchema))
    @requires(Permission.DEMANDES_ECRIRE)
    def post(self):
        """Enregistre une demande (ou un brouillon avec `"brouillon": true`)."""
        demande = service.create(_json_body())
        response = demande_response(demande, 201)
        response.headers["Location"] = url_for("demandes.DemandeItem", numero_unique=demande.numero_unique)
        return response


@blp.route("/demandes/<string:numero_unique>")
class DemandeItem(MethodView):
    @blp.doc(**_doc(200, DemandeSchema, (404,)))
    @requires(Permission.DEMANDES_LIRE)
    def get(self, numero_unique: str):
        """Une demande, lue dans la base (source de vérité)."""
        demande = service.get(numero_unique)
        audit.record_now("lecture", [demande.numero_unique])
        return demande_response(demande)

    @blp.doc(**_doc(200, DemandeSchema, (400, 403, 404, 409, 412, 422, 428), body=DemandeSchema), parameters=[IF_MATCH])
    @requires(Permission.DEMANDES_ECRIRE)
    def patch(self, numero_unique: str):
        """Modifie une demande (JSON merge patch, RFC 7396) ; `If-Match: <révision>` obligatoire."""
        if_match = service.parse_if_match(request.headers.get("If-Match"))
        body = _json_body()
        return demande_response(service.patch(numero_unique, body, if_match))


def _if_match() -> int | str | None:
    return service.parse_if_match(request.headers.get("If-Match"))


@blp.route("/demandes/<string:numero_unique>/renouvellement", methods=["POST"])
class Renouvellement(MethodView):
    @blp.arguments(RenouvellementSchema, required=False)
    @blp.doc(**_doc(200, DemandeSchema, (403, 404, 409, 412, 422)), parameters=[IF_MATCH])
    @requires(Permission.DEMANDES_ECRIRE)
    def post(self, args: dict, numero_unique: str):
        """Renouvelle la demande : nouvelle validité de 12 mois, ancienneté conservée."""
        demande = service.renouveler(
            numero_unique, le=args.get("date"), commentaire=args.get("commentaire"), if_match=_if_match()
        )
        return demande_response(demande)


@blp.route("/demandes/<string:numero_unique>/radiation", methods=["POST"])
class Radiation(MethodView):
    @blp.arguments(RadiationSchema)
    @blp.doc(**_doc(200, DemandeSchema, (403, 404, 409, 412, 422)), parameters=[IF_MATCH])
    @requires(Permission.DEMANDES_ECRIRE)
    def post(self, args: dict, numero_unique: str):
        """Radie la demande (attribution : la demande devient satisfaite)."""
        demande = service.radier(
            numero_unique,
            motif=args["motif"],
            le=args.get("date"),
            commentaire=args.get("commentaire"),
            if_match=_if_match(),
        )
        return demande_response(demande)


@blp.route("/demandes/<string:numero_unique>/reactivation", methods=["POST"])
class Reactivation(MethodView):
    @blp.arguments(CommentaireSchema, required=False)
    @blp.doc(**_doc(200, DemandeSchema, (403, 404, 409, 412, 422)), parameters=[IF_MATCH])
    @requires(Permission.DEMANDES_ECRIRE)
    def post(self, args: dict, numero_unique: str):
        """Réactive une demande radiée pour non-renouvellement, dans le délai, ancienneté conservée."""
        demande = service.reactiver(numero_unique, commentaire=args.get("commentaire"), if_match=_if_match())
        return demande_response(demande)


@blp.route("/demandes/<string:numero_unique>/enregistrement", methods=["POST"])
class Enregistrement(MethodView):
    @blp.arguments(CommentaireSchema, required=False)
    @blp.doc(**_doc(200, DemandeSchema, (403, 404, 409, 412, 422)), parameters=[IF_MATCH])
    @requires(Permission.DEMANDES_ECRIRE)
    def post(self, args: dict, numero_unique: str):
        """Enregistre un brouillon : la demande devient active et visible de tous les bailleurs."""
        demande = service.enregistrer(numero_unique, commentaire=args.get("commentaire"), if_match=_if_match())
        return demande_response(demande)


@blp.route("/demandes/<string:numero_unique>/historique")
class Historique(MethodView):
    @blp.response(200, HistoriqueSchema)
    @blp.alt_response(404, schema=ErreurSchema)
    @requires(Permission.DEMANDES_LIRE)
    def get(self, numero_unique: str):
        """Tous les événements de la demande : auteur, date, révision, champs modifiés."""
        evenements = service.historique(numero_unique)
        audit.record_now("lecture_historique", [numero_unique])
        return {"numero_unique": numero_unique, "evenements": evenements}
