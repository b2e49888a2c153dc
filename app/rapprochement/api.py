"""`GET /api/v1/logements/{id}/candidats` and `POST /api/v1/rapprochement` (inline logement, nothing stored)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from app import audit
from app.auth.guard import requires
from app.auth.permissions import Permission
from app.logements import service as logements
from app.logements.errors import register_handlers
from app.logements.http import charger, json_body, query_args
from app.rapprochement import service
from app.rapprochement.schemas import CandidatsSchema, RapprochementSchema, RechercheQuerySchema, recherche_depuis

blp = Blueprint("rapprochement", __name__, url_prefix="/api/v1", description="Rapprochement offre / demande")
register_handlers(blp)


@blp.route("/logements/<int:logement_id>/candidats")
class Candidats(MethodView):
    @requires(Permission.CANDIDATS_LIRE)
    @blp.doc(parameters=[{"in": "query", "schema": RechercheQuerySchema}])
    @blp.alt_response(200, schema=CandidatsSchema, description="Candidats classés")
    def get(self, logement_id: int):
        # permission: CANDIDATS_LIRE
        """Candidats éligibles et classés pour un logement, avec facettes, exclusions et curseur `suivant`."""
        recherche = recherche_depuis(query_args(RechercheQuerySchema()))
        logement = logements.obtenir_pour_lecture(logement_id)
        resultat = service.candidats(logement.matching_dict(), recherche)
        audit.record_now("rapprochement", [c["numero_unique"] for c in resultat["candidats"]], logement_id=logement.id)
        return {"logement_id": logement.id, **resultat}


@blp.route("/rapprochement")
class Rapprochement(MethodView):
    @requires(Permission.CANDIDATS_LIRE)
    @blp.doc(requestBody={"content": {"application/json": {"schema": RapprochementSchema}}})
    @blp.alt_response(200, schema=CandidatsSchema, description="Candidats classés")
    def post(self):
        # permission: CANDIDATS_LIRE
        """Même recherche pour un logement décrit dans la requête (rien n'est enregistré)."""
        args = charger(RapprochementSchema(), json_body())
        logement = args["logement"]
        logements.verifier_commune(logement, champ="logement.commune")
        resultat = service.candidats(logement, recherche_depuis(args))
        audit.record_now("rapprochement", [c["numero_unique"] for c in resultat["candidats"]], logement="description")
        return resultat
