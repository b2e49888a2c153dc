"""`/api/v1/referentiel`: commune type-ahead and EPCI lookup."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields, validate

from app.auth.guard import requires
from app.auth.permissions import Permission
from app.referentiel import service

blp = Blueprint("referentiel", __name__, url_prefix="/api/v1/referentiel", description="Référentiel territorial")


class CommuneQuerySchema(Schema):
    q = fields.String(load_default="", metadata={"description": "nom, sans accents ni casse"})
    departement = fields.String(load_default=None, validate=validate.Regexp(r"^(\d{2}|2A|2B|\d{3})$"))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class CommuneSchema(Schema):
    code = fields.String(metadata={"description": "code INSEE"})
    nom = fields.String()
    departement = fields.String(attribute="departement_code")
    epci = fields.String(attribute="epci_code", allow_none=True)
    population = fields.Integer(allow_none=True)


class MembreSchema(Schema):
    code = fields.String(metadata={"description": "code INSEE"})
    nom = fields.String()
    population = fields.Integer(allow_none=True)


class EpciSchema(Schema):
    code = fields.String(metadata={"description": "SIREN"})
    nom = fields.String()
    type = fields.String(allow_none=True)
    population = fields.Integer(allow_none=True)
    communes = fields.List(fields.Nested(MembreSchema))


@blp.route("/communes")
class Communes(MethodView):
    @blp.arguments(CommuneQuerySchema, location="query")
    @blp.response(200, CommuneSchema(many=True))
    @requires(Permission.REFERENTIEL_LIRE)
    def get(self, args: dict):
        """Recherche de communes par nom (insensible aux accents et à la casse)."""
        return service.search_communes(args["q"], args["departement"], args["limit"])


@blp.route("/epci/<string:code>")
class EpciResource(MethodView):
    @blp.response(200, EpciSchema)
    @requires(Permission.REFERENTIEL_LIRE)
    def get(self, code: str):
        """Un EPCI et ses communes membres."""
        epci = service.get_epci(code)
        if epci is None:
            abort(404, message=f"EPCI {code} inconnu du référentiel")
        return epci
