"""Logements vacants, their candidats (ranked, explained, with facets and exclusions) and the creation of a CAL
list from the chosen candidates. Matching and CAL rules stay in their services."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, g, redirect, render_template, request, url_for

from app import audit
from app.api_errors import ApiError
from app.auth.permissions import Permission
from app.cal import designations
from app.cal import service as cal
from app.extensions import db
from app.logements import service as logements
from app.logements.errors import Interdit, Introuvable
from app.logements.http import charger
from app.logements.models import ETATS_LOGEMENT, Logement
from app.logements.schemas import LogementInSchema
from app.rapprochement import service as rapprochement
from app.rapprochement.facettes import FACETTES
from app.web.access import page
from app.web.blueprint import bp
from app.web.forms import ActionForm, LogementForm

PAR_PAGE = 50


@bp.route("/logements")
@page(Permission.LOGEMENTS_LIRE)
def logements_vacants():
    etat = [e for e in request.args.getlist("etat") if e in ETATS_LOGEMENT] or ["vacant"]
    filtres = {
        "etat": etat,
        "commune": [c for c in request.args.getlist("commune") if c],
        "typologie": [t for t in request.args.getlist("typologie") if t],
        "limit": PAR_PAGE,
        "offset": max(0, request.args.get("offset", 0, type=int)),
    }
    total, rows = logements.lister(filtres)
    return render_template(
        "logements/liste.html",
        total=total,
        logements=rows,
        etats=ETATS_LOGEMENT,
        etat=etat,
        args=request.args,
        peut_ecrire=g.actor.can(Permission.LOGEMENTS_ECRIRE),
    )


def _formulaire(form: LogementForm, logement: Logement | None, erreurs: list[str], status: int = 200):
    return render_template("logements/formulaire.html", form=form, logement=logement, erreurs=erreurs), status


def _enregistrer(form: LogementForm, logement: Logement | None):
    """Validate through the logements service (its schema, then creer/modifier); its 422 become field errors."""
    if logement is not None and form.revision.data != str(logement.revision):
        return _formulaire(
            form,
            logement,
            ["Le logement a été modifié depuis son ouverture : rechargez la page puis recommencez."],
            409,
        )
    try:
        data = charger(LogementInSchema(), form.donnees())
        if logement is None:
            logement = logements.creer(data)
            flash(f"Logement {logement.reference} enregistré.", "succes")
        else:
            logement = logements.modifier(logements.obtenir_pour_ecriture(logement.id), data)
            flash(f"Logement {logement.reference} modifié.", "succes")
    except Interdit:
        db.session.rollback()
        abort(403)
    except ApiError as exc:
        db.session.rollback()
        autres = form.erreurs_service(exc.erreurs)
        return _formulaire(form, logement, [exc.message, *autres], exc.status)
    return redirect(url_for("web.logements_vacants", etat=logement.etat))


@bp.route("/logements/nouveau", methods=["GET", "POST"])
@page(Permission.LOGEMENTS_ECRIRE)
def nouveau_logement():
    form = LogementForm()
    if request.method == "POST":
        return _enregistrer(form, None)
    return _formulaire(form, None, [])


@bp.route("/logements/<int:logement_id>/modifier", methods=["GET", "POST"])
@page(Permission.LOGEMENTS_ECRIRE)
def modifier_logement(logement_id: int):
    logement = _logement(logement_id)
    if not g.actor.is_system and logement.bailleur != g.actor.organisation:
        abort(403)  # the service's row-level rule, checked before showing the form
    if request.method == "POST":
        return _enregistrer(LogementForm(), logement)
    form = LogementForm(obj=logement)
    for name in ("surface", "loyer", "charges"):
        form[name].data = f"{float(getattr(logement, name)):g}"
    form.etage.data = str(logement.etage)
    form.date_disponibilite.data = logement.date_disponibilite.isoformat()
    form.revision.data = str(logement.revision)
    return _formulaire(form, logement, [])


def _logement(logement_id: int):
    """The logement under the row-level read rule (its candidates carry names)."""
    try:
        return logements.obtenir_pour_lecture(logement_id)
    except Introuvable:
        abort(404)
    except Interdit:
        abort(403)


@bp.route("/logements/<int:logement_id>/candidats")
@page(Permission.CANDIDATS_LIRE)
def candidats(logement_id: int):
    logement = _logement(logement_id)
    filtres = {code: [v for v in request.args.getlist(code) if v] for code in FACETTES}
    recherche = rapprochement.Recherche(
        strategie=request.args.get("strategie")
        if request.args.get("strategie") == "cotation"
        else "priorite_anciennete",
        filtres={k: v for k, v in filtres.items() if v},
        limit=50,
        suivant=request.args.get("suivant") or None,
    )
    try:
        resultat = rapprochement.candidats(logement.matching_dict(), recherche)
    except ApiError as exc:
        flash(exc.message, "erreur")
        return redirect(url_for("web.candidats", logement_id=logement_id))
    designes = designations.du_logement(logement_id) if g.actor.can(Permission.CAL_LIRE) else []
    numeros = list(
        dict.fromkeys([c["numero_unique"] for c in resultat["candidats"]] + [d.numero_unique for d in designes])
    )
    if numeros:
        audit.record_now("recherche", numeros, page="candidats", logement_id=logement_id)
    par_numero: dict[str, list[str]] = {}
    for d in designes:
        par_numero.setdefault(d.numero_unique, []).append(f"{d.organisation} (choix n° {d.position})")
    return render_template(
        "logements/candidats.html",
        logement=logement,
        resultat=resultat,
        args=request.args,
        designations=designes,
        designe_par=par_numero,
        peut_designer=g.actor.can(Permission.CAL_PROPOSER),
        peut_creer=g.actor.can(Permission.CAL_ECRIRE),
        form=ActionForm(),
        aujourdhui=date.today().isoformat(),
    )


def _candidats_choisis() -> list[str]:
    """The ticked candidates of the candidats page, in the order typed next to them (ties: page order)."""
    choisis = request.form.getlist("candidat")
    ordre = {n: request.form.get(f"ordre-{n}", type=int) or 999 for n in choisis}
    return sorted(choisis, key=lambda n: (ordre[n], choisis.index(n)))


@bp.post("/logements/<int:logement_id>/designations")
@page(Permission.CAL_PROPOSER)
def designer_candidats(logement_id: int):
    """The réservataire's designation: the ticked candidates, in the order typed next to them."""
    numeros = _candidats_choisis()
    if not numeros:
        flash("Cochez au moins un candidat à désigner.", "erreur")
        return redirect(url_for("web.candidats", logement_id=logement_id))
    try:
        designations.designer(logement_id, numeros)
    except Interdit:
        db.session.rollback()
        abort(403)
    except ApiError as exc:
        db.session.rollback()
        flash(exc.en_clair(), "erreur")
        return redirect(url_for("web.candidats", logement_id=logement_id))
    flash(f"{len(numeros)} candidat(s) désigné(s) au bailleur.", "succes")
    return redirect(url_for("web.candidats", logement_id=logement_id) + "#designations")


@bp.post("/logements/<int:logement_id>/liste-cal")
@page(Permission.CAL_ECRIRE)
def creer_liste_cal(logement_id: int):
    ActionForm()
    numeros = _candidats_choisis()
    try:
        commission = date.fromisoformat(request.form.get("date_commission", ""))
    except ValueError:
        flash("Date de commission invalide.", "erreur")
        return redirect(url_for("web.candidats", logement_id=logement_id))
    try:
        liste = cal.creer_liste(
            logement_id,
            {"candidats": numeros, "date_commission": commission, "motif": request.form.get("motif") or None},
        )
    except ApiError as exc:
        flash(exc.en_clair(), "erreur")
        return redirect(url_for("web.candidats", logement_id=logement_id))
    flash(f"Liste CAL créée avec {len(numeros)} candidat(s).", "succes")
    return redirect(url_for("web.liste_cal", liste_id=liste.id))
