"""`GET /api/v1/demandes/{n}/acces`: who accessed a demande, for the applicant's right of access (gestionnaire)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app import audit
from app.auth.guard import requires
from app.auth.permissions import Permission

blp = Blueprint("acces", __name__, url_prefix="/api/v1", description="Journal des accès aux demandes")


class AccesSchema(Schema):
    survenu_le = fields.DateTime()
    login = fields.String()
    organisation = fields.String(allow_none=True)
    action = fields.String()
    adresse = fields.String(allow_none=True)
    details = fields.Dict()


@blp.route("/demandes/<string:numero_unique>/acces")
class Acces(MethodView):
    @requires(Permission.DEMANDES_ACCES)
    @blp.response(200, AccesSchema(many=True))
    def get(self, numero_unique: str):
        """Liste des accès (lectures, recherches, exports, modifications) à une demande."""
        entries = audit.accesses_to(numero_unique)
        audit.record_now("consultation_journal", [numero_unique])
        return entries
