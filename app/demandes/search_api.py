"""`GET /api/v1/demandes`: search of demandes (from Elasticsearch), with facets and a `search_after` cursor."""

from __future__ import annotations

from typing import Any

from elasticsearch import ApiError as EsApiError
from elasticsearch import ConnectionError as EsConnectionError
from elasticsearch import ConnectionTimeout as EsConnectionTimeout
from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from marshmallow import RAISE, Schema, fields, validate

from app import audit
from app.auth.context import current_actor
from app.auth.guard import requires
from app.auth.permissions import Permission
from app.demandes import search as demandes_search
from indexing.names import demandes_spec

blp = Blueprint("demandes_recherche", __name__, url_prefix="/api/v1", description="Recherche de demandes")

ETATS = ("brouillon", "active", "satisfaite", "radiee")
TYPOLOGIES = ("chambre", "T1", "T2", "T3", "T4", "T5", "T6")


def _codes(**kwargs: Any) -> fields.List:
    return fields.List(fields.String(validate=validate.Length(min=1, max=64)), load_default=list, **kwargs)


class RechercheQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    q = fields.String(
        load_default=None,
        validate=validate.Length(min=1, max=100),
        metadata={
            "description": "nom du demandeur ou d'un co-demandeur (sans casse ni accents, une faute tolérée, "
            "début de nom accepté) ; « % » remplace des lettres : `DUP%` commence par, `DUP%T`, `%MOND` "
            "(un motif fait seulement de « % » est refusé)"
        },
    )
    numero = fields.String(
        load_default=None, validate=validate.Length(min=1, max=64), metadata={"description": "début du numéro unique"}
    )
    etat = fields.List(fields.String(validate=validate.OneOf(ETATS)), load_default=list)
    organisme = _codes(metadata={"description": "organisme enregistreur"})
    commune = _codes(metadata={"description": "commune souhaitée (code INSEE)"})
    secteur = _codes(metadata={"description": "EPCI (SIREN) ou département souhaité, directement ou par commune"})
    typologie = fields.List(fields.String(validate=validate.OneOf(TYPOLOGIES)), load_default=list)
    priorite = _codes(metadata={"description": "public prioritaire (code)"})
    collecteur = _codes()
    limit = fields.Integer(
        load_default=demandes_search.LIMIT_DEFAULT, validate=validate.Range(min=1, max=demandes_search.LIMIT_MAX)
    )
    suivant = fields.String(load_default=None, metadata={"description": "curseur de la page suivante"})
    tri = fields.String(
        load_default=None,
        validate=validate.OneOf(demandes_search.TRIS_ADMIS),
        metadata={
            "description": "tri sur toutes les pages (`-` devant : décroissant) ; par défaut, date de dépôt "
            "croissante, ou pertinence quand `q` est donné ; le curseur `suivant` garde le tri"
        },
    )


class DemandeDeclarantSchema(Schema):
    nom = fields.String(allow_none=True)
    prenom = fields.String(allow_none=True)


class ResumeSchema(Schema):
    numero_unique = fields.String()
    etat = fields.String()
    demandeur = fields.Nested(DemandeDeclarantSchema)
    noms = fields.List(fields.String())
    date_depot = fields.String(allow_none=True)
    date_renouvellement = fields.String(allow_none=True)
    commune = fields.String(allow_none=True, metadata={"description": "commune du premier choix"})
    typologies = fields.List(fields.String())
    nb_personnes = fields.Integer(allow_none=True)
    organisme_enregistreur = fields.String(allow_none=True)


class RechercheSchema(Schema):
    total = fields.Integer()
    resultats = fields.List(fields.Nested(ResumeSchema))
    facettes = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()))
    tri = fields.String(metadata={"description": "tri appliqué (`pertinence` : meilleure correspondance au nom)"})
    suivant = fields.String(allow_none=True, metadata={"description": "curseur de la page suivante (null: fin)"})


@blp.route("/demandes")
class RechercheDemandes(MethodView):
    # permission: demandes:lire
    @blp.arguments(RechercheQuerySchema, location="query", unknown=RAISE)
    @blp.response(200, RechercheSchema)
    @requires(Permission.DEMANDES_LIRE)
    def get(self, args: dict[str, Any]):
        """Recherche de demandes (index Elasticsearch) : filtres, facettes et pagination par curseur."""
        criteres = demandes_search.Criteres(**{k: tuple(v) if isinstance(v, list) else v for k, v in args.items()})
        alias = demandes_spec(current_app.config["SETTINGS"].es_index_prefix).alias
        try:
            resultat = demandes_search.search(
                current_app.extensions["elasticsearch"], alias, criteres, current_actor().organisation
            )
        except demandes_search.MotifInvalide as exc:
            abort(422, message="Paramètre invalide", errors={"query": {"q": [str(exc)]}})
        except demandes_search.InvalidCursor as exc:
            abort(422, message="Paramètre invalide", errors={"query": {"suivant": [str(exc)]}})
        except (EsConnectionError, EsConnectionTimeout):
            abort(503, message="Recherche momentanément indisponible (Elasticsearch injoignable).")
        except EsApiError as exc:
            if exc.meta.status == 400:
                abort(422, message="Paramètres de recherche invalides", errors={"query": {"suivant": [str(exc)[:200]]}})
            if exc.meta.status == 404:  # no index behind the alias yet (before `flask indexing create`)
                abort(503, message="Recherche momentanément indisponible (index des demandes absent).")
            raise
        numeros = [r["numero_unique"] for r in resultat["resultats"]]
        if numeros:  # a search that shows names is an access to each demande shown
            audit.record_now("recherche", numeros, total=resultat["total"])
        return resultat
