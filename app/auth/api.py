"""`/api/v1/auth/token`: obtain and revoke a personal bearer token."""

from __future__ import annotations

from flask import g, request
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from app.auth import service
from app.auth.guard import error

blp = Blueprint("auth", __name__, url_prefix="/api/v1/auth", description="Authentification")


class LoginSchema(Schema):
    login = fields.String(required=True)
    mot_de_passe = fields.String(required=True, load_only=True)


class TokenSchema(Schema):
    jeton = fields.String()
    type = fields.String()
    expire_le = fields.DateTime()
    login = fields.String()
    organisation = fields.String()
    roles = fields.List(fields.String())


@blp.route("/token")
class Token(MethodView):
    @blp.arguments(LoginSchema)
    @blp.response(201, TokenSchema)
    @blp.alt_response(401, description="Identifiant ou mot de passe incorrect")
    @blp.alt_response(429, description="Trop de tentatives")
    def post(self, credentials: dict):
        """Obtenir un jeton personnel (Bearer) à durée limitée."""
        try:
            user = service.authenticate(credentials["login"], credentials["mot_de_passe"], request.remote_addr)
        except service.AuthError as exc:
            if exc.retry_after is not None:
                return error(429, "trop_de_tentatives", exc.message, {"Retry-After": str(exc.retry_after)})
            return error(401, "identifiants_invalides", exc.message)
        token, expires = service.issue_token(user)
        return {
            "jeton": token,
            "type": "Bearer",
            "expire_le": expires,
            "login": user.login,
            "organisation": user.organisation.code,
            "roles": user.roles,
        }

    @blp.response(204)
    def delete(self):
        """Révoquer le jeton utilisé pour cette requête."""
        service.revoke(g.jeton)
        return None
