"""Administration (gestionnaire): users and organisations, through `app.auth.service` (create_user,
create_organisation, disable); first-quartile thresholds per EPCI and year, through `app.statistiques.seuils`.
Every action is audited."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from sqlalchemy import select

from app import audit
from app.auth import service as auth
from app.auth.models import Organisation, Utilisateur
from app.auth.permissions import Permission
from app.extensions import db
from app.referentiel.models import Epci
from app.statistiques import seuils
from app.web.access import page
from app.web.blueprint import bp
from app.web.forms import ActionForm, OrganisationForm, SeuilPremierQuartileForm, UtilisateurForm


def _page(
    utilisateur_form: UtilisateurForm | None = None,
    organisation_form: OrganisationForm | None = None,
    seuil_form: SeuilPremierQuartileForm | None = None,
    status: int = 200,
):
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.code)).all()
    utilisateurs = db.session.scalars(select(Utilisateur).order_by(Utilisateur.login)).all()
    utilisateur_form = utilisateur_form or UtilisateurForm(formdata=None)
    utilisateur_form.organisation.choices = [("", "—")] + [(o.code, f"{o.code} — {o.nom}") for o in organisations]
    epcis = db.session.scalars(select(Epci).order_by(Epci.nom)).all()
    seuil_form = seuil_form or SeuilPremierQuartileForm(formdata=None)
    seuil_form.epci.choices = [("", "—")] + [(e.code, f"{e.nom} ({e.code})") for e in epcis]
    return render_template(
        "administration.html",
        sform=seuil_form,
        seuils=seuils.lister(),
        noms_epci={e.code: e.nom for e in epcis},
        organisations=organisations,
        utilisateurs=utilisateurs,
        uform=utilisateur_form,
        oform=organisation_form or OrganisationForm(formdata=None),
        action=ActionForm(formdata=None),
    ), status


def _erreurs_service(form, erreurs: dict[str, list[str]]) -> None:
    for champ, messages in erreurs.items():
        cible = form[champ] if champ in form._fields else None
        if cible is not None:
            cible.errors = [*cible.errors, *messages]
        else:
            flash(" ".join(messages), "erreur")


@bp.route("/administration")
@page(Permission.ADMINISTRATION)
def administration():
    return _page()


@bp.post("/administration/utilisateurs")
@page(Permission.ADMINISTRATION)
def creer_utilisateur():
    form = UtilisateurForm()
    if not form.validate():
        return _page(utilisateur_form=form, status=422)
    try:
        user = auth.create_user(
            form.login.data.strip(), form.organisation.data or "", form.roles.data or [], form.mot_de_passe.data
        )
    except auth.InvalidUser as exc:
        db.session.rollback()
        _erreurs_service(form, exc.errors)
        return _page(utilisateur_form=form, status=422)
    audit.record_now("creation_utilisateur", (), login=user.login, roles=user.roles)
    flash(f"Utilisateur {user.login} créé.", "succes")
    return redirect(url_for("web.administration"))


@bp.post("/administration/organisations")
@page(Permission.ADMINISTRATION)
def creer_organisation():
    form = OrganisationForm()
    if not form.validate():
        return _page(organisation_form=form, status=422)
    try:
        org = auth.create_organisation(
            form.code.data.strip(), form.nom.data.strip(), form.type.data, form.contingents.data or []
        )
    except auth.InvalidUser as exc:
        db.session.rollback()
        _erreurs_service(form, exc.errors)
        return _page(organisation_form=form, status=422)
    audit.record_now("organisation", (), code=org.code, type=org.type)
    flash(f"Organisation {org.code} enregistrée.", "succes")
    return redirect(url_for("web.administration"))


@bp.post("/administration/utilisateurs/<login>/desactiver")
@page(Permission.ADMINISTRATION)
def desactiver_utilisateur(login: str):
    if login == g.actor.login:
        flash("Vous ne pouvez pas désactiver votre propre compte.", "erreur")
        return redirect(url_for("web.administration"))
    try:
        auth.disable(login)
    except auth.InvalidUser as exc:
        flash(" ".join(m for ms in exc.errors.values() for m in ms), "erreur")
        return redirect(url_for("web.administration"))
    audit.record_now("desactivation_utilisateur", (), login=login)
    flash(f"Utilisateur {login} désactivé : ses jetons sont révoqués.", "succes")
    return redirect(url_for("web.administration"))


@bp.post("/administration/seuils-premier-quartile")
@page(Permission.ADMINISTRATION)
def enregistrer_seuil_premier_quartile():
    form = SeuilPremierQuartileForm()
    if not form.validate():  # the CSRF token (the service validates the fields)
        return _page(seuil_form=form, status=422)
    try:
        seuil = seuils.enregistrer(form.epci.data, form.annee.data, form.seuil.data)
    except seuils.SeuilInvalide as exc:
        db.session.rollback()
        _erreurs_service(form, exc.errors)
        return _page(seuil_form=form, status=422)
    flash(f"Seuil du premier quartile {seuil.annee} de l'EPCI {seuil.epci} enregistré.", "succes")
    return redirect(url_for("web.administration"))
