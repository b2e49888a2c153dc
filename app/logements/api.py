"""`/api/v1/logements`: CRUD of vacant logements (ETag = revision, PATCH needs If-Match)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app.auth.guard import requires
from app.auth.permissions import Permission
from app.logements import service
from app.logements.errors import register_handlers
from app.logements.http import charger, etag, json_body, query_args, verifier_if_match
from app.logements.schemas import (
    LogementInSchema,
    LogementListQuerySchema,
    LogementPageSchema,
    LogementPatchSchema,
    LogementSchema,
)

blp = Blueprint("logements", __name__, url_prefix="/api/v1/logements", description="Logements vacants des bailleurs")
register_handlers(blp)


@blp.route("")
class Logements(MethodView):
    @requires(Permission.LOGEMENTS_LIRE)
    @blp.response(200, LogementPageSchema)
    def get(self):
        # permission: LOGEMENTS_LIRE
        """Liste des logements, filtrée (bailleur, commune, état, typologie, financement, contingent)."""
        total, logements = service.lister(query_args(LogementListQuerySchema()))
        return {"total": total, "logements": logements}

    @requires(Permission.LOGEMENTS_ECRIRE)
    @blp.doc(requestBody={"content": {"application/json": {"schema": LogementInSchema}}})
    @blp.response(201, LogementSchema)
    def post(self):
        # permission: LOGEMENTS_ECRIRE
        """Enregistre un logement vacant (PLA accepté comme ancien nom du PLUS)."""
        logement = service.creer(charger(LogementInSchema(), json_body()))
        return logement, 201, {"ETag": etag(logement.revision), "Location": f"/api/v1/logements/{logement.id}"}


@blp.route("/<int:logement_id>")
class LogementResource(MethodView):
    @requires(Permission.LOGEMENTS_LIRE)
    @blp.response(200, LogementSchema)
    def get(self, logement_id: int):
        # permission: LOGEMENTS_LIRE
        """Un logement (ETag = révision)."""
        logement = service.obtenir_pour_lecture(logement_id)
        return logement, 200, {"ETag": etag(logement.revision)}

    @requires(Permission.LOGEMENTS_ECRIRE)
    @blp.doc(requestBody={"content": {"application/json": {"schema": LogementPatchSchema}}})
    @blp.response(200, LogementSchema)
    def patch(self, logement_id: int):
        # permission: LOGEMENTS_ECRIRE
        """Modifie un logement (en-tête If-Match obligatoire)."""
        changes = charger(LogementPatchSchema(), json_body(), partial=True)
        logement = service.obtenir_pour_ecriture(logement_id)
        verifier_if_match(logement.revision)
        logement = service.modifier(logement, changes)
        return logement, 200, {"ETag": etag(logement.revision)}
