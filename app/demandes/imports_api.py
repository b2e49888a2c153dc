"""`/api/v1/imports`: bulk import of demandes (NDJSON or CSV), processed by a Celery worker."""

from __future__ import annotations

import logging

from flask import current_app, jsonify, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from app.api_errors import ErreurSchema
from app.auth.context import current_actor
from app.auth.guard import requires
from app.auth.permissions import Permission
from app.demandes import imports
from app.demandes.import_formats import format_from
from app.demandes.schemas import ImportSchema

log = logging.getLogger(__name__)

blp = Blueprint("imports", __name__, url_prefix="/api/v1", description="Imports en masse de demandes")


def enqueue(import_id: str) -> None:
    """Hand the import to a worker; when the broker is down the import stays en_attente (re-posting is harmless:
    `flask demandes reprendre-imports` or the CLI importer process it)."""
    try:
        current_app.extensions["celery"].send_task(imports.TACHE, args=[import_id], retry=False)
    except Exception:
        log.warning("imports: enqueue of %s failed, left en_attente", import_id, exc_info=True)


@blp.route("/imports", methods=["POST"])
class ImportsCollection(MethodView):
    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                "application/x-ndjson": {"schema": {"type": "string"}},
                "text/csv": {"schema": {"type": "string"}},
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {"fichier": {"type": "string", "format": "binary"}}}
                },
            },
        },
        responses={
            "202": {"description": "Import accepté", "content": {"application/json": {"schema": ImportSchema}}},
            "415": {"description": "Format inconnu", "content": {"application/json": {"schema": ErreurSchema}}},
        },
    )
    @requires(Permission.DEMANDES_IMPORTER)
    def post(self):
        """Importe un fichier NDJSON ou CSV de demandes (traitement asynchrone)."""
        if request.files:
            fichier = next(iter(request.files.values()))
            contenu, nom = fichier.read(), fichier.filename
            fmt = format_from(fichier.mimetype, nom) or format_from(request.args.get("format"))
        else:
            contenu, nom = request.get_data(), request.args.get("nom")
            fmt = format_from(request.mimetype, nom) or format_from(request.args.get("format"))
        imp = imports.creer_import(contenu, fmt, nom)
        enqueue(imp.id)
        response = jsonify(ImportSchema().dump(imports.as_dict(imp)))
        response.status_code = 202
        response.headers["Location"] = url_for("imports.ImportItem", import_id=imp.id)
        return response


@blp.route("/imports/<string:import_id>")
class ImportItem(MethodView):
    @blp.response(200, ImportSchema)
    @blp.alt_response(404, schema=ErreurSchema)
    @requires(Permission.DEMANDES_IMPORTER)
    def get(self, import_id: str):
        """État, progression, compteurs et erreurs ligne par ligne d'un import."""
        imp = imports.get_import(import_id)
        actor = current_actor()
        if not actor.is_system and imp.organisation and imp.organisation != actor.organisation:
            raise imports.ImportIntrouvable(f"Import {import_id} introuvable")
        return imports.as_dict(imp)
