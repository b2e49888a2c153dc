"""Request and response schemas of the candidate search (`/logements/{id}/candidats`, `/rapprochement`)."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE, Schema, fields, validate

from app.logements.schemas import LogementInSchema
from app.rapprochement.facettes import FACETTES
from app.rapprochement.service import Recherche
from matching.codes import TYPES_BIEN_LOGEMENT
from matching.logement import TYPE_BIEN_INDIFFERENT

STRATEGIES = ("priorite_anciennete", "cotation")
LIMIT_MAX = 200
TYPES_BIEN_DECRIT = (*TYPES_BIEN_LOGEMENT, TYPE_BIEN_INDIFFERENT)


class _RechercheFields(Schema):
    class Meta:
        unknown = RAISE

    strategie = fields.String(
        load_default="priorite_anciennete",
        validate=validate.OneOf(STRATEGIES, error=f"Stratégie inconnue : {', '.join(STRATEGIES)}"),
    )
    taux_effort_max = fields.Float(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, min_inclusive=False, max=1, error="Ratio entre 0 et 1 attendu (0.33)"),
    )
    limit = fields.Integer(
        load_default=20, validate=validate.Range(min=1, max=LIMIT_MAX, error=f"Entre 1 et {LIMIT_MAX}")
    )
    suivant = fields.String(load_default=None, allow_none=True)


# One list field per facet: `?groupe_priorite=0,1&taille_menage=3`.
RechercheQuerySchema = type(
    "RechercheQuerySchema",
    (_RechercheFields,),
    {code: fields.List(fields.String(), load_default=list) for code in FACETTES},
)


class _LogementDecritSchema(LogementInSchema):
    """An inline logement: nothing stored, so no reference, bailleur or address needed; its category may be left
    open (`indifferent`: no constraint on the type of dwelling)."""

    reference = fields.String(load_default=None)
    adresse = fields.String(load_default=None)
    type_bien = fields.String(
        required=True,
        validate=validate.OneOf(
            TYPES_BIEN_DECRIT, error=f"Valeur inconnue : valeurs admises {', '.join(TYPES_BIEN_DECRIT)}"
        ),
        metadata={"description": "`indifferent` : pas de contrainte sur le type de bien"},
    )


FiltresSchema = Schema.from_dict({code: fields.List(fields.String()) for code in FACETTES}, name="FiltresSchema")


class RapprochementSchema(_RechercheFields):
    logement = fields.Nested(_LogementDecritSchema, required=True)
    filtres = fields.Nested(FiltresSchema, load_default=dict)


def recherche_depuis(args: dict[str, Any]) -> Recherche:
    filtres = args.get("filtres") or {code: args.get(code) or [] for code in FACETTES}
    return Recherche(
        strategie=args["strategie"],
        taux_effort_max=args.get("taux_effort_max"),
        filtres={k: v for k, v in filtres.items() if v},
        limit=args["limit"],
        suivant=args.get("suivant"),
    )


# --- response (documentation only: the views return the service's dict as is) ----------------------------------


class _ExclusionSchema(Schema):
    code = fields.String()
    libelle = fields.String()
    nombre = fields.Integer()


class CandidatsSchema(Schema):
    """Ranked candidates of a logement, with facets, exclusion counts and the next-page cursor."""

    logement_id = fields.Integer(metadata={"description": "absent pour `POST /rapprochement`"})
    strategie = fields.String()
    taux_effort_max = fields.Float(allow_none=True)
    calcule_le = fields.Date()
    total = fields.Integer()
    candidats = fields.List(fields.Dict(), metadata={"description": "candidats classés et expliqués"})
    facettes = fields.Dict(keys=fields.String(), values=fields.Dict())
    exclusions = fields.List(fields.Nested(_ExclusionSchema))
    exclusions_comptees_le = fields.DateTime(
        metadata={"description": "heure du décompte des exclusions (mis en cache deux minutes au plus)"}
    )
    suivant = fields.String(allow_none=True, metadata={"description": "curseur de la page suivante"})
    took_ms = fields.Integer(allow_none=True)
