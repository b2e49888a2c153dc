"""Marshmallow schemas of the logement contract (input validated field by field, output with read-only fields)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, pre_load, validate

from app.logements.models import ETATS_LOGEMENT
from matching.codes import CONTINGENTS, TYPES_BIEN_LOGEMENT, TYPOLOGIES

FINANCEMENTS_LOGEMENT: tuple[str, ...] = ("PLAI", "PLUS", "PLS", "PLI")
# Older names accepted on input and stored under the current one.
ALIAS_FINANCEMENT: dict[str, str] = {"PLA": "PLUS"}


def _parmi(valeurs: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(valeurs, error=f"Valeur inconnue : valeurs admises {', '.join(valeurs)}")


def _positif(maximum: float) -> validate.Range:
    return validate.Range(min=0, max=maximum, error=f"Nombre entre 0 et {maximum} attendu")


class LogementInSchema(Schema):
    """What a bailleur sends (POST: required fields; PATCH: any subset)."""

    class Meta:
        unknown = RAISE

    reference = fields.String(required=True, validate=validate.Length(min=1, max=64))
    bailleur = fields.String(validate=validate.Length(min=1, max=64))  # defaults to the agent's organisation
    adresse = fields.String(required=True, validate=validate.Length(min=1, max=300))
    commune = fields.String(
        required=True, validate=validate.Regexp(r"^(\d{5}|2[AB]\d{3})$", error="Code INSEE à 5 caractères attendu")
    )
    qpv = fields.Boolean(load_default=False)
    typologie = fields.String(required=True, validate=_parmi(TYPOLOGIES))
    type_bien = fields.String(required=True, validate=_parmi(TYPES_BIEN_LOGEMENT))
    surface = fields.Float(
        required=True, validate=validate.Range(min=1, max=1000, error="Surface entre 1 et 1000 m² attendue")
    )
    etage = fields.Integer(
        required=True, validate=validate.Range(min=-1, max=60, error="Étage entre -1 et 60 attendu (0 = RDC)")
    )
    ascenseur = fields.Boolean(load_default=False)
    adapte_handicap = fields.Boolean(load_default=False)
    parking = fields.Boolean(load_default=False)
    financement = fields.String(required=True, validate=_parmi(FINANCEMENTS_LOGEMENT))
    loyer = fields.Float(required=True, validate=_positif(10000))
    charges = fields.Float(required=True, validate=_positif(5000))
    contingent = fields.String(required=True, validate=_parmi(CONTINGENTS))
    programme = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    date_disponibilite = fields.Date(required=True)

    @pre_load
    def financement_ancien_nom(self, data: Any, **_: Any) -> Any:
        financement = data.get("financement") if isinstance(data, dict) else None
        if isinstance(financement, str) and financement in ALIAS_FINANCEMENT:
            data = {**data, "financement": ALIAS_FINANCEMENT[financement]}
        return data


class LogementPatchSchema(LogementInSchema):
    """PATCH: no defaults (an absent field is left unchanged)."""

    qpv = fields.Boolean()
    ascenseur = fields.Boolean()
    adapte_handicap = fields.Boolean()
    parking = fields.Boolean()
    programme = fields.String(allow_none=True, validate=validate.Length(max=200))


class LogementSchema(Schema):
    id = fields.Integer(dump_only=True)
    reference = fields.String()
    bailleur = fields.String()
    adresse = fields.String()
    commune = fields.String()
    qpv = fields.Boolean()
    typologie = fields.String()
    type_bien = fields.String()
    surface = fields.Float()
    etage = fields.Integer()
    ascenseur = fields.Boolean()
    adapte_handicap = fields.Boolean()
    parking = fields.Boolean()
    financement = fields.String()
    loyer = fields.Float()
    charges = fields.Float()
    contingent = fields.String()
    programme = fields.String(allow_none=True)
    date_disponibilite = fields.Date()
    etat = fields.String(dump_only=True, metadata={"enum": list(ETATS_LOGEMENT)})
    revision = fields.Integer(dump_only=True)


class LogementListQuerySchema(Schema):
    class Meta:
        unknown = RAISE

    bailleur = fields.String()
    commune = fields.List(fields.String())
    etat = fields.List(fields.String(validate=_parmi(ETATS_LOGEMENT)))
    typologie = fields.List(fields.String(validate=_parmi(TYPOLOGIES)))
    financement = fields.List(fields.String(validate=_parmi((*FINANCEMENTS_LOGEMENT, "PLA"))))
    contingent = fields.List(fields.String(validate=_parmi(CONTINGENTS)))
    disponible_avant = fields.Date()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2**63 - 1))  # SQL OFFSET: bigint


class LogementPageSchema(Schema):
    total = fields.Integer()
    logements = fields.List(fields.Nested(LogementSchema))
