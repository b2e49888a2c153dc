"""Administration of the barèmes (gestionnaire): resource ceilings per financing and year, cotation grids per
EPCI. The pages collect the input; `app.baremes.service` validates it, writes a new version and audits it."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select

from app.auth.permissions import Permission
from app.baremes import service as baremes
from app.extensions import db
from app.referentiel.models import Epci
from app.web.access import page
from app.web.blueprint import bp
from matching.cotation import GRILLE_PAR_DEFAUT, TYPES_AVEC_MOIS, TYPES_CRITERES

CHAMPS_CRITERE = ("code", "libelle", "type", "points", "mois")


def _page(erreurs: dict[str, Any] | None = None, status: int = 200):
    cotation = baremes.contenu_en_vigueur("cotation")
    plafonds = baremes.contenu_en_vigueur("plafonds")
    epcis = db.session.scalars(select(Epci).order_by(Epci.nom)).all()
    noms_epci = {e.code: e.nom for e in epcis}
    return render_template(
        "administration/baremes.html",
        lignes_plafonds=baremes.tableau_plafonds(),
        financements=plafonds["financements"],
        zones={code: baremes.zones_de(t) for code, t in plafonds["financements"].items() if t.get("par_zone")},
        grilles=cotation["grilles"],
        grille_par_defaut=GRILLE_PAR_DEFAUT,
        types=TYPES_CRITERES,
        types_avec_mois=TYPES_AVEC_MOIS,
        epcis=[e for e in epcis if e.code not in cotation["grilles"]],
        noms_epci=noms_epci,
        historique=baremes.historique(),
        erreurs=erreurs or {},
        saisie=request.form if erreurs else {},
    ), status


def _echec(formulaire: str, exc: baremes.BaremeInvalide, **contexte: Any):
    db.session.rollback()
    return _page({"formulaire": formulaire, "champs": exc.errors, **contexte}, 422)


@bp.route("/administration/baremes")
@page(Permission.ADMINISTRATION)
def baremes_page():
    return _page()


@bp.post("/administration/baremes/plafonds")
@page(Permission.ADMINISTRATION)
def enregistrer_plafonds():
    try:
        version = baremes.enregistrer_plafonds(request.form)
    except baremes.BaremeInvalide as exc:
        return _echec("plafonds", exc)
    flash(f"{version.resume} enregistrés (version {version.id}) : ils s'appliquent dès maintenant.", "succes")
    return redirect(url_for("web.baremes_page") + "#plafonds")


def _criteres_saisis(form) -> list[dict[str, str]]:
    """Rows `critere-<i>-<champ>` of the grid form, in order; a ticked `supprimer` drops the row, and the empty
    "new criterion" row (`nouveau-<champ>`) is ignored."""
    indices = sorted({int(k.split("-")[1]) for k in form if k.startswith("critere-") and k.split("-")[1].isdigit()})
    criteres = [
        {c: form.get(f"critere-{i}-{c}", "") for c in CHAMPS_CRITERE}
        for i in indices
        if form.get(f"critere-{i}-supprimer") != "1"
    ]
    nouveau = {c: form.get(f"nouveau-{c}", "") for c in CHAMPS_CRITERE}
    if any(v.strip() for k, v in nouveau.items() if k != "type"):
        criteres.append(nouveau)
    return criteres


@bp.post("/administration/baremes/cotation/<grille_id>")
@page(Permission.ADMINISTRATION)
def enregistrer_grille(grille_id: str):
    criteres = _criteres_saisis(request.form)
    try:
        version = baremes.enregistrer_grille(grille_id, criteres)
    except baremes.BaremeInvalide as exc:
        return _echec("grille", exc, grille=grille_id, criteres=criteres)
    _apres_cotation(version.resume, version.id)
    return redirect(url_for("web.baremes_page") + f"#grille-{grille_id}")


@bp.post("/administration/baremes/cotation")
@page(Permission.ADMINISTRATION)
def creer_grille():
    try:
        version = baremes.creer_grille(request.form.get("epci", ""))
    except baremes.BaremeInvalide as exc:
        return _echec("nouvelle_grille", exc)
    _apres_cotation(version.resume, version.id)
    return redirect(url_for("web.baremes_page") + f"#grille-{request.form.get('epci', '')}")


def _apres_cotation(resume: str, version: int) -> None:
    if baremes.reindexer_apres_cotation():
        flash(
            f"{resume} (version {version}). Les points de cotation de toutes les demandes sont en cours de recalcul : "
            "suivez l'avancement dans « Suivi des traitements ».",
            "succes",
        )
    else:
        flash(
            f"{resume} (version {version}). Le recalcul des points n'a pas pu être lancé (file de traitements "
            "indisponible) : il sera fait par l'actualisation de la nuit.",
            "erreur",
        )
