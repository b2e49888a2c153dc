"""WTForms forms of the pages (Flask-WTF adds the CSRF token to each)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from app.auth.models import ORGANISATION_TYPES
from app.auth.permissions import Role
from app.logements.schemas import FINANCEMENTS_LOGEMENT
from matching.codes import CONTINGENTS, TYPES_BIEN_LOGEMENT, TYPOLOGIES


class ConnexionForm(FlaskForm):
    login = StringField("Identifiant", validators=[DataRequired("Saisissez votre identifiant."), Length(max=100)])
    mot_de_passe = PasswordField(
        "Mot de passe", validators=[DataRequired("Saisissez votre mot de passe."), Length(max=200)]
    )
    suivant = HiddenField()


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token (logout, buttons that post)."""


# --- logement vacant -----------------------------------------------------------------------------------------------
# The fields carry no validators of their own: the logements service's schema validates, and its 422 errors (one
# per dotted field) are shown next to the fields of the same name.


def _choix(valeurs: tuple[str, ...], libelles: dict[str, str] | None = None) -> list[tuple[str, str]]:
    return [("", "—")] + [(v, (libelles or {}).get(v, v)) for v in valeurs]


TYPES_BIEN_LIBELLES = {"appartement": "Appartement", "maison": "Maison", "indifferent": "Indifférent"}
CONTINGENTS_LIBELLES = {
    "prefecture": "Préfecture",
    "prefecture_agents_etat": "Préfecture (agents de l'État)",
    "action_logement": "Action Logement",
    "collectivite": "Collectivité",
    "bailleur": "Bailleur",
}


class LogementForm(FlaskForm):
    reference = StringField("Référence du logement")
    adresse = StringField("Adresse")
    commune = StringField("Commune (code INSEE)")
    qpv = BooleanField("En quartier prioritaire de la ville (QPV)")
    typologie = SelectField("Typologie", choices=_choix(TYPOLOGIES), validate_choice=False)
    type_bien = SelectField(
        "Type de bien", choices=_choix(TYPES_BIEN_LOGEMENT, TYPES_BIEN_LIBELLES), validate_choice=False
    )
    surface = StringField("Surface (m²)")
    etage = StringField("Étage (0 = rez-de-chaussée)")
    ascenseur = BooleanField("Ascenseur")
    adapte_handicap = BooleanField("Adapté au handicap")
    parking = BooleanField("Parking")
    financement = SelectField("Financement", choices=_choix(FINANCEMENTS_LOGEMENT), validate_choice=False)
    loyer = StringField("Loyer (€ / mois)")
    charges = StringField("Charges (€ / mois)")
    contingent = SelectField("Contingent", choices=_choix(CONTINGENTS, CONTINGENTS_LIBELLES), validate_choice=False)
    programme = StringField("Programme")
    date_disponibilite = StringField("Disponible le")
    revision = HiddenField()

    CHAMPS_TEXTE = (
        "reference",
        "adresse",
        "commune",
        "typologie",
        "type_bien",
        "surface",
        "etage",
        "financement",
        "loyer",
        "charges",
        "contingent",
        "programme",
        "date_disponibilite",
    )
    CHAMPS_BOOLEENS = ("qpv", "ascenseur", "adapte_handicap", "parking")

    def donnees(self) -> dict[str, Any]:
        """The payload of the logements service: empty text fields are left out (the schema says which are
        required), numbers and dates go as typed (the schema parses them and names the faulty field)."""
        data: dict[str, Any] = {}
        for name in self.CHAMPS_TEXTE:
            value = (self[name].data or "").strip()
            if value:
                data[name] = value.replace(",", ".") if name in ("surface", "loyer", "charges") else value
        for name in self.CHAMPS_BOOLEENS:
            data[name] = bool(self[name].data)
        return data

    def erreurs_service(self, erreurs: list[dict[str, Any]]) -> list[str]:
        """Attach the service's field errors to the fields; return those that name no field of the form."""
        autres = []
        for erreur in erreurs:
            champ = (erreur.get("champ") or "").split(".")[0]
            if champ in self._fields and champ not in ("csrf_token", "revision"):
                self[champ].errors = [*self[champ].errors, erreur["message"]]
            else:
                autres.append(f"{champ} : {erreur['message']}" if champ else erreur["message"])
        return autres


# --- administration ----------------------------------------------------------------------------------------------


class UtilisateurForm(FlaskForm):
    login = StringField("Identifiant", validators=[DataRequired("Saisissez un identifiant."), Length(max=100)])
    organisation = SelectField("Organisation", validate_choice=False)
    roles = SelectMultipleField("Rôle(s)", choices=[(r.value, r.value) for r in Role], validate_choice=False)
    mot_de_passe = PasswordField("Mot de passe initial", validators=[DataRequired("Saisissez un mot de passe.")])


class OrganisationForm(FlaskForm):
    code = StringField("Code", validators=[DataRequired("Saisissez un code."), Length(max=64)])
    nom = StringField("Nom", validators=[DataRequired("Saisissez un nom."), Length(max=200)])
    type = SelectField("Type", choices=[(t, t) for t in ORGANISATION_TYPES], validate_choice=False)
    contingents = SelectMultipleField(
        "Contingents", choices=[(c, CONTINGENTS_LIBELLES[c]) for c in CONTINGENTS], validate_choice=False
    )


class SeuilPremierQuartileForm(FlaskForm):
    """Validated by `app.statistiques.seuils.enregistrer` (French messages attached to the fields)."""

    epci = SelectField("EPCI", validate_choice=False)
    annee = StringField("Année")
    seuil = StringField("Seuil (€ par unité de consommation et par an)")
