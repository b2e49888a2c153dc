"""Propositions de la nuit (nightly shortlists) and turning one logement's shortlist into a CAL list."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for

from app.api_errors import ApiError
from app.auth.permissions import Permission
from app.cal import service as cal
from app.extensions import db
from app.logements.errors import Interdit, Introuvable
from app.logements.models import Logement
from app.shortlists import service as shortlists
from app.web.access import page
from app.web.blueprint import bp
from app.web.forms import ActionForm


@bp.route("/propositions")
@page(Permission.CANDIDATS_LIRE)
def propositions():
    return render_template("propositions/liste.html", runs=shortlists.lister())


def _run(run_id: str):
    try:
        return shortlists.obtenir(run_id)
    except Introuvable:
        abort(404)


@bp.route("/propositions/<run_id>")
@page(Permission.CANDIDATS_LIRE)
def proposition(run_id: str):
    run = _run(run_id)
    groupes = shortlists.detail(run)
    ids = [gr["logement_id"] for gr in groupes]
    logements = {lg.id: lg for lg in db.session.query(Logement).filter(Logement.id.in_(ids))} if ids else {}
    return render_template(
        "propositions/detail.html",
        run=run,
        groupes=groupes,
        logements=logements,
        form=ActionForm(),
        peut_creer=g.actor.can(Permission.CAL_ECRIRE),
        aujourdhui=date.today().isoformat(),
    )


@bp.post("/propositions/<run_id>/logements/<int:logement_id>/liste-cal")
@page(Permission.CAL_ECRIRE)
def proposition_vers_liste_cal(run_id: str, logement_id: int):
    """The night's shortlist of one logement, in its order, becomes a CAL list (rules of the CAL service)."""
    run = _run(run_id)
    groupe = next((gr for gr in shortlists.detail(run) if gr["logement_id"] == logement_id), None)
    if groupe is None or not groupe["candidats"]:
        abort(404)
    numeros = [c["numero_unique"] for c in sorted(groupe["candidats"], key=lambda c: c["rang"])]
    retour = url_for("web.proposition", run_id=run_id) + f"#logement-{logement_id}"
    try:
        commission = date.fromisoformat(request.form.get("date_commission", ""))
    except ValueError:
        flash(f"Logement {logement_id} : date de commission invalide.", "erreur")
        return redirect(retour)
    try:
        liste = cal.creer_liste(
            logement_id,
            {"candidats": numeros, "date_commission": commission, "motif": request.form.get("motif") or None},
        )
    except Interdit:
        db.session.rollback()
        abort(403)
    except ApiError as exc:
        db.session.rollback()
        flash(f"Logement {logement_id} : {exc.en_clair()}", "erreur")
        return redirect(retour)
    flash(f"Liste CAL créée avec les {len(numeros)} candidat(s) proposé(s) cette nuit.", "succes")
    return redirect(url_for("web.liste_cal", liste_id=liste.id))
