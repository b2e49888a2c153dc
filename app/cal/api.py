"""CAL lists: `POST/GET /api/v1/logements/{id}/listes-cal`, the réservataires' designations
(`/api/v1/logements/{id}/designations`), `GET /api/v1/listes-cal/{id}`, one POST per workflow step of a candidate
(`decision`, `proposition`, `reponse`, `bail`), the order of presentation and the exports (CSV, XLSX, PDF)."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from app import audit
from app.auth.guard import requires
from app.auth.permissions import Permission
from app.cal import designations, exports, service
from app.cal.schemas import (
    BailInSchema,
    CandidatCalSchema,
    DecisionInSchema,
    DesignationInSchema,
    DesignationSchema,
    ListeCalInSchema,
    ListeCalSchema,
    OrdreInSchema,
    PropositionInSchema,
    ReponseInSchema,
)
from app.logements.errors import register_handlers
from app.logements.http import charger, etag, json_body, revision_if_match

blp = Blueprint("cal", __name__, url_prefix="/api/v1", description="Listes de candidats et décisions de CAL")
register_handlers(blp)


@blp.route("/logements/<int:logement_id>/listes-cal")
class ListesDuLogement(MethodView):
    @requires(Permission.CAL_LIRE)
    @blp.response(200, ListeCalSchema(many=True))
    def get(self, logement_id: int):
        # permission: CAL_LIRE
        """Listes CAL d'un logement."""
        return service.listes_du_logement(logement_id)

    @requires(Permission.CAL_ECRIRE)
    @blp.doc(requestBody={"content": {"application/json": {"schema": ListeCalInSchema}}})
    @blp.response(201, ListeCalSchema)
    def post(self, logement_id: int):
        # permission: CAL_ECRIRE
        """Ouvre la liste des candidats présentés à la CAL (au moins trois, sauf motif)."""
        liste = service.creer_liste(logement_id, charger(ListeCalInSchema(), json_body()))
        return liste, 201, {"Location": f"/api/v1/listes-cal/{liste.id}"}


@blp.route("/logements/<int:logement_id>/designations")
class DesignationsDuLogement(MethodView):
    @requires(Permission.CAL_LIRE)
    @blp.response(200, DesignationSchema(many=True))
    def get(self, logement_id: int):
        # permission: CAL_LIRE
        """Candidats désignés au bailleur par les réservataires pour ce logement."""
        rows = designations.du_logement(logement_id)
        if rows:
            audit.record_now("lecture", [d.numero_unique for d in rows], designations_logement=logement_id)
        return rows

    @requires(Permission.CAL_PROPOSER)
    @blp.doc(requestBody={"content": {"application/json": {"schema": DesignationInSchema}}})
    @blp.response(201, DesignationSchema(many=True))
    def post(self, logement_id: int):
        # permission: CAL_PROPOSER
        """Le réservataire désigne ses candidats pour un logement de son contingent (remplace sa désignation)."""
        data = charger(DesignationInSchema(), json_body())
        return designations.designer(logement_id, data["candidats"]), 201


@blp.route("/listes-cal/<int:liste_id>")
class ListeCalResource(MethodView):
    @requires(Permission.CAL_LIRE)
    @blp.response(200, ListeCalSchema)
    def get(self, liste_id: int):
        # permission: CAL_LIRE
        """Une liste CAL, ses candidats et l'avancement de chacun (ETag : révision de la liste)."""
        liste = service.obtenir_liste(liste_id)
        return liste, 200, {"ETag": etag(liste.revision)}


@blp.route("/listes-cal/<int:liste_id>/ordre")
class OrdreListe(MethodView):
    @requires(Permission.CAL_ECRIRE)
    @blp.doc(
        requestBody={"content": {"application/json": {"schema": OrdreInSchema}}},
        parameters=[{"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"}}],
    )
    @blp.response(200, ListeCalSchema)
    def put(self, liste_id: int):
        # permission: CAL_ECRIRE
        """Ordre de présentation des candidats (tous ceux de la liste), tant que la CAL n'a statué sur aucun."""
        revision = revision_if_match()
        data = charger(OrdreInSchema(), json_body())
        liste = service.reordonner(liste_id, data["candidats"], revision)
        return liste, 200, {"ETag": etag(liste.revision)}


def _etape(nom: str, schema_cls, action, doc: str):
    class Etape(MethodView):
        @requires(Permission.CAL_ECRIRE)
        @blp.doc(requestBody={"content": {"application/json": {"schema": schema_cls}}}, summary=doc)
        @blp.response(200, CandidatCalSchema)
        def post(self, liste_id: int, numero: str):
            # permission: CAL_ECRIRE
            return action(liste_id, numero, charger(schema_cls(), json_body()))

    Etape.__name__ = f"Etape{nom.capitalize()}"
    blp.route(f"/listes-cal/<int:liste_id>/candidats/<string:numero>/{nom}", endpoint=f"cal_{nom}")(Etape)


_etape("decision", DecisionInSchema, service.decider, "Décision de la CAL pour un candidat")
_etape("proposition", PropositionInSchema, service.proposer, "Proposition du logement (délai de réponse ≥ 10 jours)")
_etape("reponse", ReponseInSchema, service.repondre, "Réponse du demandeur à la proposition")
_etape("bail", BailInSchema, service.signer_bail, "Signature du bail : demande satisfaite, logement attribué")


@blp.route("/listes-cal/<int:liste_id>/export.<any(csv, xlsx, pdf):format_>")
class ExportListe(MethodView):
    @requires(Permission.CAL_LIRE)
    def get(self, liste_id: int, format_: str):
        # permission: CAL_LIRE
        """Export de la liste : CSV, XLSX ou PDF (une fiche CAL par candidat)."""
        liste = service.obtenir_liste(liste_id)
        contenu, mimetype = exports.exporter(liste, format_)
        audit.record_now(
            "export", [c.numero_unique for c in liste.candidats], export=f"liste_cal.{format_}", liste_cal_id=liste.id
        )
        nom = f"liste-cal-{liste.id}.{format_}"
        return Response(contenu, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{nom}"'})
