"""Schemas of the CAL lists and of each workflow step."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from app.cal.service import DECISIONS, MOTIFS_MOINS_DE_TROIS, REPONSES


def _parmi(valeurs: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(valeurs, error=f"Valeur inconnue : valeurs admises {', '.join(valeurs)}")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class ListeCalInSchema(_Strict):
    candidats = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        required=True,
        validate=validate.Length(min=1, error="Au moins un candidat"),
        metadata={"description": "numéros uniques, dans l'ordre de présentation à la CAL"},
    )
    date_commission = fields.Date(required=True)
    motif = fields.String(load_default=None, allow_none=True, validate=_parmi(MOTIFS_MOINS_DE_TROIS))


class DesignationInSchema(_Strict):
    candidats = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        required=True,
        validate=validate.Length(min=1, error="Au moins un candidat"),
        metadata={"description": "numéros uniques, dans l'ordre de préférence du réservataire"},
    )


class DesignationSchema(Schema):
    numero_unique = fields.String()
    organisation = fields.String(metadata={"description": "le réservataire qui désigne"})
    position = fields.Integer()
    designe_par = fields.String()
    designe_le = fields.DateTime()


class OrdreInSchema(_Strict):
    candidats = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        required=True,
        validate=validate.Length(min=1, error="Au moins un candidat"),
        metadata={"description": "numéros uniques de tous les candidats de la liste, dans le nouvel ordre"},
    )


class DecisionInSchema(_Strict):
    decision = fields.String(required=True, validate=_parmi(DECISIONS))
    date_decision = fields.Date(load_default=None)
    rang = fields.Integer(validate=validate.Range(min=1, error="Rang à partir de 1"))
    piece_manquante = fields.String(validate=validate.Length(min=1, max=300))
    date_limite = fields.Date()
    motif = fields.String(validate=validate.Length(min=1, max=1000))

    @validates_schema
    def champs_de_la_decision(self, data: dict[str, Any], **_: Any) -> None:
        requis = {
            "attribution_classement": ("rang",),
            "attribution_sous_condition": ("piece_manquante", "date_limite"),
            "non_attribution": ("motif",),
            "irrecevabilite": ("motif",),
        }.get(data.get("decision", ""), ())
        manquants = {c: [f"Champ obligatoire pour la décision {data['decision']}"] for c in requis if c not in data}
        if manquants:
            raise ValidationError(manquants)


class PropositionInSchema(_Strict):
    date_proposition = fields.Date(load_default=None)
    date_limite_reponse = fields.Date(load_default=None)


class ReponseInSchema(_Strict):
    reponse = fields.String(required=True, validate=_parmi(REPONSES))
    date_reponse = fields.Date(load_default=None)


class BailInSchema(_Strict):
    date_signature = fields.Date(required=True)
    date_entree = fields.Date(required=True)


class CandidatCalSchema(Schema):
    numero_unique = fields.String()
    position = fields.Integer()
    instantane = fields.Dict()
    decision = fields.String(allow_none=True)
    decision_details = fields.Dict()
    date_decision = fields.Date(allow_none=True)
    date_proposition = fields.Date(allow_none=True)
    date_limite_reponse = fields.Date(allow_none=True)
    reponse = fields.String(allow_none=True)
    date_reponse = fields.Date(allow_none=True)
    date_signature_bail = fields.Date(allow_none=True)
    date_entree = fields.Date(allow_none=True)


class ListeCalSchema(Schema):
    id = fields.Integer()
    logement_id = fields.Integer()
    date_commission = fields.Date()
    motif = fields.String(allow_none=True)
    etat = fields.String()
    cree_par = fields.String()
    revision = fields.Integer()
    candidats = fields.List(fields.Nested(CandidatCalSchema))
