"""`/api/v1/shortlists`: the nightly runs (progress, timing) and their proposals per logement."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.auth.guard import requires
from app.auth.permissions import Permission
from app.logements.errors import register_handlers
from app.shortlists import service

blp = Blueprint("shortlists", __name__, url_prefix="/api/v1/shortlists", description="Shortlists de la nuit")
register_handlers(blp)


class RunSchema(Schema):
    id = fields.String()
    date_run = fields.Date()
    statut = fields.String()
    parametres = fields.Dict()
    total_logements = fields.Integer()
    logements_traites = fields.Integer()
    logements_en_echec = fields.Integer()
    propositions_count = fields.Integer()
    demarre_le = fields.DateTime()
    termine_le = fields.DateTime(allow_none=True)
    duree_ms = fields.Integer(allow_none=True)
    erreur = fields.String(allow_none=True)


class PropositionSchema(Schema):
    rang = fields.Integer()
    numero_unique = fields.String()
    rang_liste = fields.Integer(metadata={"description": "rang du ménage dans la liste complète du logement"})


class LogementPropositionsSchema(Schema):
    logement_id = fields.Integer()
    ordre = fields.Integer()
    erreur = fields.String(allow_none=True)
    candidats = fields.List(fields.Nested(PropositionSchema))


class RunDetailSchema(RunSchema):
    logements = fields.List(fields.Nested(LogementPropositionsSchema))


@blp.route("")
class Runs(MethodView):
    @requires(Permission.CANDIDATS_LIRE)
    @blp.response(200, RunSchema(many=True))
    def get(self):
        # permission: CANDIDATS_LIRE
        """Derniers calculs de shortlists (un par nuit), avec leur avancement et leur durée."""
        return service.lister()


@blp.route("/<string:run_id>")
class RunResource(MethodView):
    @requires(Permission.CANDIDATS_LIRE)
    @blp.response(200, RunDetailSchema)
    def get(self, run_id: str):
        # permission: CANDIDATS_LIRE
        """Un calcul et ses propositions par logement (propositions : la CAL décide)."""
        run = service.obtenir(run_id)
        return {**{name: getattr(run, name) for name in RunSchema().fields}, "logements": service.detail(run)}
