"""Home page: what each role does first. Observatoire users go straight to the statistics."""

from __future__ import annotations

from flask import g, redirect, render_template, url_for

from app.auth.permissions import Permission
from app.web.access import logged_in
from app.web.blueprint import bp
from app.web.navigation import menu_for


@bp.route("/")
@logged_in
def accueil():
    actor = g.actor
    if actor.roles == {"observatoire"} or (
        actor.can(Permission.STATISTIQUES)
        and not actor.can(Permission.DEMANDES_LIRE)
        and not actor.can(Permission.LOGEMENTS_LIRE)
    ):
        return redirect(url_for("web.statistiques"))
    return render_template("accueil.html", raccourcis=menu_for(actor))
