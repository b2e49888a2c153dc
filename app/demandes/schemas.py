"""Marshmallow schemas of the demande API contract (issue 3): what a client may send, what the API returns.

Loading validates everything that needs no database; codes checked against the territorial referential
(communes, secteurs) are checked by `app.demandes.validation` on top. Unknown fields are refused (RAISE, the
marshmallow default, also in nested schemas); read-only fields are `dump_only` and refused on input.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema

from app.demandes.lifecycle import MOTIFS_RADIATION, aujourdhui
from matching.codes import (
    CAUTIONS,
    ETATS,
    LIENS,
    LOGEMENTS_ACTUELS,
    MOTIFS,
    PRIORITES,
    SITUATIONS_FAMILIALES,
    TYPES_BIEN_SOUHAITES,
    TYPOLOGIES,
)


def pas_dans_le_futur(value: date) -> None:
    if value > aujourdhui():
        raise ValidationError("Date dans le futur")


def _choix(choices: Any, quoi: str) -> validate.OneOf:
    return validate.OneOf(list(choices), error=f"{quoi} inconnu(e) : {{input}}")


# Upper bounds: what the search index can hold (mappings/demandes-v2.json: `short` counts, `integer` amounts). A
# larger value was accepted here and then failed to index, leaving the demande out of every search.
COMPTE_MAX = 99
MONTANT_MAX = 2**31 - 1


def _entier_positif(maximum: int, **kwargs: Any) -> fields.Integer:
    borne = validate.Range(min=0, max=maximum, error=f"Doit être un nombre entre 0 et {maximum}")
    return fields.Integer(validate=borne, allow_none=True, **kwargs)


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


class PersonneSchema(StrictSchema):
    nom = fields.String(required=True, validate=validate.Length(min=1, max=100))
    prenom = fields.String(required=True, validate=validate.Length(min=1, max=100))
    date_naissance = fields.Date(required=True, validate=pas_dans_le_futur)


class CoDemandeurSchema(PersonneSchema):
    lien = fields.String(required=True, validate=_choix(LIENS, "Lien"))


class SouhaitsSchema(StrictSchema):
    communes = fields.List(fields.String(), metadata={"description": "codes INSEE, par ordre de préférence"})
    secteurs = fields.List(fields.String(), metadata={"description": "codes SIREN d'EPCI ou codes de département"})
    elargissement = fields.Boolean(metadata={"description": "accepte les communes de l'EPCI du premier choix"})
    typologies = fields.List(fields.String(validate=_choix(TYPOLOGIES, "Typologie")))
    type_bien = fields.String(validate=_choix(TYPES_BIEN_SOUHAITES, "Type de bien"))
    rdc_accepte = fields.Boolean(load_default=True)
    sans_ascenseur_accepte = fields.Boolean(load_default=True)
    parking = fields.Boolean()
    loyer_max = _entier_positif(MONTANT_MAX, metadata={"description": "€ par mois, charges comprises"})


class FslSchema(StrictSchema):
    du = fields.Date(required=True)
    au = fields.Date(allow_none=True)

    @validates_schema
    def _ordre(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("au") and data.get("du") and data["au"] < data["du"]:
            raise ValidationError("Fin du dossier FSL antérieure à son début", field_name="au")


class DemandeSchema(StrictSchema):
    """A demande as sent (load) and as returned (dump, with the read-only fields)."""

    numero_unique = fields.String(
        validate=validate.Regexp(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,63}$", error="Numéro unique invalide"),
        metadata={"description": "généré s'il est absent ; clé opaque"},
    )
    brouillon = fields.Boolean(load_only=True, metadata={"description": "création au brouillon (à enregistrer)"})
    date_depot = fields.Date(required=True, validate=pas_dans_le_futur)
    date_renouvellement = fields.Date(allow_none=True, validate=pas_dans_le_futur)
    organisme_enregistreur = fields.String(required=True, validate=validate.Length(min=1, max=64))
    demandeur = fields.Nested(PersonneSchema, required=True)
    co_demandeurs = fields.List(fields.Nested(CoDemandeurSchema))
    situation_familiale = fields.String(validate=_choix(SITUATIONS_FAMILIALES, "Situation familiale"))
    personnes_a_charge = _entier_positif(COMPTE_MAX)
    enfants_droit_visite = _entier_positif(COMPTE_MAX)
    naissances_attendues = _entier_positif(COMPTE_MAX)
    personnes_handicapees = _entier_positif(COMPTE_MAX)
    besoin_logement_adapte = fields.Boolean()
    revenu_fiscal_reference = _entier_positif(MONTANT_MAX, metadata={"description": "RFR annuel du foyer, €"})
    annee_revenu = fields.Integer(allow_none=True)
    ressources_mensuelles = _entier_positif(MONTANT_MAX, metadata={"description": "€ par mois, hors aides au logement"})
    salarie_secteur_prive = fields.Boolean()
    agent_etat = fields.Boolean()
    logement_actuel = fields.String(validate=_choix(LOGEMENTS_ACTUELS, "Logement actuel"))
    motifs = fields.List(fields.String(validate=_choix(MOTIFS, "Code motif")))
    priorites = fields.List(fields.String(validate=_choix(PRIORITES, "Code priorité")))
    dalo = fields.Boolean()
    date_decision_dalo = fields.Date(allow_none=True, validate=pas_dans_le_futur)
    souhaits = fields.Nested(SouhaitsSchema)
    collecteur = fields.String(allow_none=True, validate=validate.Length(max=64))
    fsl = fields.Nested(FslSchema, allow_none=True)
    caution = fields.String(allow_none=True, validate=_choix(CAUTIONS, "Caution"))

    # Read-only.
    etat = fields.String(dump_only=True, validate=validate.OneOf(ETATS))
    complete = fields.Boolean(dump_only=True)
    motif_radiation = fields.String(dump_only=True, allow_none=True)
    date_radiation = fields.Date(dump_only=True, allow_none=True)
    date_fin_validite = fields.Date(dump_only=True, allow_none=True)
    revision = fields.Integer(dump_only=True)
    nb_personnes = fields.Integer(dump_only=True)
    categorie_menage = fields.Integer(dump_only=True, metadata={"description": "1 à 6 (domain.md §4)"})
    personnes_supplementaires = fields.Integer(dump_only=True, metadata={"description": "au-delà de la catégorie 6"})
    anciennete_mois = fields.Integer(dump_only=True)
    cree_le = fields.DateTime(dump_only=True)
    modifie_le = fields.DateTime(dump_only=True)

    @validates("annee_revenu")
    def _annee(self, value: int | None, **_: Any) -> None:
        if value is not None and not 1990 <= value <= aujourdhui().year:
            raise ValidationError("Année de revenu invalide")

    @validates_schema
    def _dates(self, data: dict[str, Any], **_: Any) -> None:
        depot, renouvellement = data.get("date_depot"), data.get("date_renouvellement")
        if depot and renouvellement and renouvellement < depot:
            raise ValidationError("Date de renouvellement antérieure à la date de dépôt", "date_renouvellement")


READ_ONLY_FIELDS: frozenset[str] = frozenset(name for name, field in DemandeSchema().fields.items() if field.dump_only)


class RenouvellementSchema(StrictSchema):
    date = fields.Date(validate=pas_dans_le_futur, metadata={"description": "aujourd'hui par défaut"})
    commentaire = fields.String(validate=validate.Length(max=2000))


class RadiationSchema(StrictSchema):
    motif = fields.String(required=True, validate=_choix(MOTIFS_RADIATION, "Motif de radiation"))
    date = fields.Date(validate=pas_dans_le_futur, metadata={"description": "aujourd'hui par défaut"})
    commentaire = fields.String(validate=validate.Length(max=2000))


class CommentaireSchema(StrictSchema):
    commentaire = fields.String(validate=validate.Length(max=2000))


class EvenementSchema(Schema):
    type = fields.String()
    revision = fields.Integer()
    auteur = fields.String()
    organisation = fields.String(allow_none=True)
    survenu_le = fields.DateTime()
    champs = fields.List(fields.String(), metadata={"description": "champs modifiés (chemins pointés)"})
    details = fields.Dict()
    commentaire = fields.String(allow_none=True)


class HistoriqueSchema(Schema):
    numero_unique = fields.String()
    evenements = fields.List(fields.Nested(EvenementSchema))


class ImportErreurSchema(Schema):
    ligne = fields.Integer()
    champ = fields.String(allow_none=True)
    message = fields.String()
    numero_unique = fields.String(allow_none=True)


class ImportSchema(Schema):
    id = fields.String()
    etat = fields.String(metadata={"description": "en_attente, en_cours, terminee, echouee"})
    format = fields.String()
    nom_fichier = fields.String(allow_none=True)
    progression = fields.Float(metadata={"description": "0 à 1"})
    lignes = fields.Integer()
    lignes_traitees = fields.Integer()
    creees = fields.Integer()
    modifiees = fields.Integer()
    inchangees = fields.Integer()
    erreurs = fields.Integer()
    details_erreurs = fields.List(fields.Nested(ImportErreurSchema))
    cree_le = fields.DateTime()
    termine_le = fields.DateTime(allow_none=True)
    message = fields.String(allow_none=True)
