"""Propositions de la nuit (nightly shortlists) and a read-only administration overview."""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import select

from app.auth.models import Organisation, Utilisateur
from app.auth.permissions import Permission
from app.extensions import db
from app.logements.errors import Introuvable
from app.shortlists import service as shortlists
from app.web.access import page
from app.web.blueprint import bp
from app.web.forms import ActionForm


@bp.route("/propositions")
@page(Permission.CANDIDATS_LIRE)
def propositions():
    return render_template("propositions/liste.html", runs=shortlists.lister())


@bp.route("/propositions/<run_id>")
@page(Permission.CANDIDATS_LIRE)
def proposition(run_id: str):
    try:
        run = shortlists.obtenir(run_id)
    except Introuvable:
        abort(404)
    return render_template("propositions/detail.html", run=run, groupes=shortlists.detail(run), form=ActionForm())


@bp.route("/administration")
@page(Permission.ADMINISTRATION)
def administration():
    organisations = db.session.scalars(select(Organisation).order_by(Organisation.code)).all()
    utilisateurs = db.session.scalars(select(Utilisateur).order_by(Utilisateur.login)).all()
    return render_template("administration.html", organisations=organisations, utilisateurs=utilisateurs)
