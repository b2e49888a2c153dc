"""Long work: an import of demandes (upload, then live progress), the last nightly run of the shortlists and the
last index rebuild run by the workers (gestionnaire).

The page polls two JSON routes (`static/js/suivi.js`, no inline script) with the data of `GET /api/v1/imports/<id>`
(`app.demandes.imports.as_dict`) and the progress counters of the nightly run."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app, flash, g, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from app.api_errors import ApiError
from app.auth.permissions import Permission
from app.demandes import imports
from app.demandes.import_formats import format_from
from app.demandes.imports_api import enqueue
from app.demandes.models import Import
from app.extensions import db
from app.shortlists import service as shortlists
from app.shortlists.models import ShortlistRun
from app.web.access import logged_in, page
from app.web.blueprint import bp
from indexing import reconstruction

ERREURS_AFFICHEES = 20


def _visible(imp: Import) -> bool:
    """Same rule as the API: an agent sees the imports of its own organisation."""
    return g.actor.is_system or not imp.organisation or imp.organisation == g.actor.organisation


def _import_json(imp: Import) -> dict[str, Any]:
    data = imports.as_dict(imp, limit_erreurs=ERREURS_AFFICHEES)
    for key in ("cree_le", "termine_le"):
        data[key] = data[key].isoformat() if data[key] else None
    data["termine"] = imp.etat in (imports.TERMINEE, imports.ECHOUEE)
    return data


def _run_json(run: ShortlistRun | None) -> dict[str, Any]:
    if run is None:
        return {"id": None, "statut": None, "termine": True, "progression": None}
    return {
        "id": run.id,
        "date_run": run.date_run.isoformat(),
        "statut": run.statut,
        "total_logements": run.total_logements,
        "logements_traites": run.logements_traites,
        "propositions": run.propositions_count,
        "echecs": run.logements_en_echec,
        "progression": round(run.logements_traites / run.total_logements, 4) if run.total_logements else 1.0,
        "duree_ms": run.duree_ms,
        "erreur": run.erreur,
        "termine": run.statut != "en_cours",
    }


def _dernier_run() -> ShortlistRun | None:
    runs = shortlists.lister(limit=1)
    return runs[0] if runs else None


def _reconstruction_json() -> dict[str, Any]:
    data = reconstruction.etat()
    if data is None:
        return {"statut": None, "termine": True, "progression": None}
    total = data["total"]
    return {
        **data,
        "libelle_motif": reconstruction.MOTIFS.get(data.get("motif", ""), data.get("motif")),
        "progression": round(min(data["traites"] / total, 1.0), 4) if total else (1.0 if data["fin"] else 0.0),
        "termine": data["statut"] != reconstruction.EN_COURS,
    }


@bp.route("/suivi")
@logged_in
def suivi():
    peut_importer = g.actor.can(Permission.DEMANDES_IMPORTER)
    peut_nuit = g.actor.can(Permission.CANDIDATS_LIRE)
    peut_reconstruire = g.actor.can(Permission.ADMINISTRATION)
    if not (peut_importer or peut_nuit or peut_reconstruire):
        abort(403)
    recents: list[Import] = []
    if peut_importer:
        stmt = select(Import).order_by(Import.cree_le.desc()).limit(10)
        if not g.actor.is_system:
            stmt = stmt.where(Import.organisation == g.actor.organisation)
        recents = list(db.session.scalars(stmt))
    return render_template(
        "suivi.html",
        peut_importer=peut_importer,
        peut_nuit=peut_nuit,
        peut_reconstruire=peut_reconstruire,
        reconstruction=_reconstruction_json() if peut_reconstruire else None,
        imports=recents,
        run=_dernier_run() if peut_nuit else None,
        choisi=request.args.get("import"),
    )


@bp.post("/suivi/imports")
@page(Permission.DEMANDES_IMPORTER)
def deposer_import():
    fichier = request.files.get("fichier")
    if fichier is None or not fichier.filename:
        flash("Choisissez un fichier NDJSON ou CSV à importer.", "erreur")
        return redirect(url_for("web.suivi"))
    try:
        imp = imports.creer_import(fichier.read(), format_from(fichier.mimetype, fichier.filename), fichier.filename)
    except ApiError as exc:
        flash(f"Import refusé : {exc.message}", "erreur")
        return redirect(url_for("web.suivi"))
    enqueue(imp.id)
    flash(f"Import de {fichier.filename} ({imp.lignes} ligne(s)) enregistré : traitement en cours.", "succes")
    return redirect(url_for("web.suivi", **{"import": imp.id}))


@bp.route("/suivi/imports/<import_id>.json")
@page(Permission.DEMANDES_IMPORTER)
def suivi_import(import_id: str):
    imp = db.session.get(Import, import_id)
    if imp is None or not _visible(imp):
        return jsonify({"code": "introuvable", "message": f"Import {import_id} introuvable"}), 404
    return jsonify(_import_json(imp))


@bp.route("/suivi/nuit.json")
@page(Permission.CANDIDATS_LIRE)
def suivi_nuit():
    return jsonify(_run_json(_dernier_run()))


@bp.route("/suivi/reconstruction.json")
@page(Permission.ADMINISTRATION)
def suivi_reconstruction():
    return jsonify(_reconstruction_json())


@bp.post("/suivi/reconstruction")
@page(Permission.ADMINISTRATION)
def lancer_reconstruction():
    try:
        current_app.extensions["celery"].send_task("indexing.reconstruire", kwargs={"motif": "manuelle"}, retry=False)
    except Exception:
        flash("La file de traitements est indisponible : réessayez dans quelques minutes.", "erreur")
    else:
        flash("Reconstruction de l'index demandée : l'avancement s'affiche ci-dessous.", "succes")
    return redirect(url_for("web.suivi") + "#reconstruction")
