"""`GET /api/v1/statistiques/...`: the dashboard tables for integrators and observatoire users.

Aggregates only (no names, no numéro unique); for observatoire users counts from 1 to 4 are suppressed (null).
"""

from __future__ import annotations

from flask import g, request
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from app.auth.guard import requires
from app.auth.permissions import Permission, Role
from app.statistiques import filtres, service

blp = Blueprint("statistiques", __name__, url_prefix="/api/v1/statistiques", description="Statistiques agrégées")


class FiltresSchema(Schema):
    date = fields.Date(metadata={"description": "date des stocks (aujourd'hui par défaut)"})
    du = fields.Date(metadata={"description": "début de la période des flux (1er janvier par défaut)"})
    au = fields.Date(metadata={"description": "fin de la période des flux (aujourd'hui par défaut)"})
    commune = fields.String()
    epci = fields.String()
    departement = fields.String()
    organisme = fields.String()


class ColonneSchema(Schema):
    code = fields.String()
    libelle = fields.String()


class TableauSchema(Schema):
    code = fields.String()
    titre = fields.String()
    colonnes = fields.List(fields.Nested(ColonneSchema))
    lignes = fields.List(fields.Dict(), metadata={"description": "libelle + une valeur par colonne (null : secret)"})
    secret_statistique = fields.Boolean()


class StatistiquesSchema(Schema):
    tableaux = fields.List(fields.Nested(TableauSchema))


def _dump(t: service.Tableau) -> dict:
    return {
        "code": t.code,
        "titre": t.titre,
        "colonnes": [{"code": c, "libelle": lib} for c, lib in t.colonnes],
        "lignes": t.lignes,
        "secret_statistique": t.masque,
    }


def _tables(prefix: str | None = None) -> dict:
    try:
        f = filtres.lire(request.args)
    except filtres.FiltresInvalides as exc:
        abort(422, message="Filtres invalides", errors={"query": {k: [v] for k, v in exc.erreurs.items()}})
    secret = Role.OBSERVATOIRE.value in g.actor.roles
    tables = [t for t in service.tableaux(f, secret=secret) if prefix is None or t.code.startswith(prefix)]
    return {"tableaux": [_dump(t) for t in tables]}


@blp.route("")
@blp.arguments(FiltresSchema, location="query", as_kwargs=True)
@blp.response(200, StatistiquesSchema)
@requires(Permission.STATISTIQUES)
def tous(**_):
    """Every table of the dashboard."""
    return _tables()


@blp.route("/stocks")
@blp.arguments(FiltresSchema, location="query", as_kwargs=True)
@blp.response(200, StatistiquesSchema)
@requires(Permission.STATISTIQUES)
def stocks(**_):
    """Stocks at a date and their breakdowns."""
    return _tables("stocks")


@blp.route("/flux")
@blp.arguments(FiltresSchema, location="query", as_kwargs=True)
@blp.response(200, StatistiquesSchema)
@requires(Permission.STATISTIQUES)
def flux(**_):
    """Flows over a period, per month and by breakdown."""
    return _tables("flux")


@blp.route("/premier-quartile")
@blp.arguments(FiltresSchema, location="query", as_kwargs=True)
@blp.response(200, StatistiquesSchema)
@requires(Permission.STATISTIQUES)
def premier_quartile(**_):
    """First-quartile attributions outside QPV per EPCI and year against the 25 % objective ("seuil non
    configuré" instead of a number when the gestionnaire set no threshold for the EPCI and year)."""
    return _tables("premier_quartile")
