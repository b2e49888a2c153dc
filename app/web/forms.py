"""WTForms forms of the pages (Flask-WTF adds the CSRF token to each)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class ConnexionForm(FlaskForm):
    login = StringField("Identifiant", validators=[DataRequired("Saisissez votre identifiant."), Length(max=100)])
    mot_de_passe = PasswordField(
        "Mot de passe", validators=[DataRequired("Saisissez votre mot de passe."), Length(max=200)]
    )
    suivant = HiddenField()


class ActionForm(FlaskForm):
    """A form with nothing but its CSRF token (logout, buttons that post)."""
