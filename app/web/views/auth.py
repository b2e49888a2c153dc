"""Connexion and déconnexion. Throttling and the no-enumeration message come from the auth service."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from app.auth.service import AuthError, authenticate
from app.web.access import safe_next
from app.web.blueprint import bp
from app.web.forms import ActionForm, ConnexionForm
from app.web.session import end_session, login_user


@bp.route("/connexion", methods=["GET", "POST"])
def connexion():
    if g.get("web_user") and request.method == "GET":
        return redirect(url_for("web.accueil"))
    form = ConnexionForm()
    if request.method == "GET":
        form.suivant.data = safe_next(request.args.get("suivant")) or ""
    status = 200
    erreur = None
    if form.validate_on_submit():
        try:
            user = authenticate(form.login.data.strip(), form.mot_de_passe.data, request.remote_addr)
        except AuthError as exc:
            erreur = exc.message
            status = 429 if exc.retry_after else 401
        else:
            login_user(user)
            return redirect(safe_next(form.suivant.data) or url_for("web.accueil"))
    elif request.method == "POST":
        status = 400
    return render_template("connexion.html", form=form, erreur=erreur), status


@bp.post("/deconnexion")
def deconnexion():
    ActionForm()  # CSRF checked by CSRFProtect before the view runs
    end_session()
    flash("Vous êtes déconnecté(e).", "info")
    return redirect(url_for("web.connexion"))
