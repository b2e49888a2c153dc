"""Listes CAL: list, detail (candidates in order, decisions, proposals, answers) and exports (PDF/XLSX/CSV)."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from app import audit
from app.api_errors import ApiError
from app.auth.permissions import Permission
from app.cal import exports
from app.cal import service as cal
from app.cal.models import OUVERTE, ListeCal
from app.cal.schemas import BailInSchema, DecisionInSchema, PropositionInSchema, ReponseInSchema
from app.extensions import db
from app.logements.errors import Interdit, Introuvable
from app.logements.http import charger
from app.logements.models import Logement
from app.web.access import page
from app.web.blueprint import bp


@bp.route("/listes-cal")
@page(Permission.CAL_LIRE)
def listes_cal():
    rows = db.session.execute(
        select(ListeCal, Logement)
        .join(Logement, Logement.id == ListeCal.logement_id)
        .order_by(ListeCal.date_commission.desc(), ListeCal.id.desc())
        .limit(100)
    ).all()
    return render_template("cal/listes.html", rows=rows)


def _liste(liste_id: int) -> ListeCal:
    try:
        return cal.obtenir_liste(liste_id)
    except Introuvable:
        abort(404)


# One form per workflow step of a candidate: the CAL schemas validate, the CAL service applies its rules.
ETAPES: dict[str, tuple[Any, Any, tuple[str, ...], str]] = {
    "decision": (
        DecisionInSchema,
        cal.decider,
        ("decision", "date_decision", "rang", "piece_manquante", "date_limite", "motif"),
        "Décision enregistrée",
    ),
    "proposition": (
        PropositionInSchema,
        cal.proposer,
        ("date_proposition", "date_limite_reponse"),
        "Proposition enregistrée",
    ),
    "reponse": (ReponseInSchema, cal.repondre, ("reponse", "date_reponse"), "Réponse enregistrée"),
    "bail": (BailInSchema, cal.signer_bail, ("date_signature", "date_entree"), "Bail enregistré"),
}
DECISIONS_LIBELLES = {
    "attribution": "Attribution",
    "attribution_classement": "Attribution par classement",
    "attribution_sous_condition": "Attribution sous condition",
    "non_attribution": "Non-attribution",
    "irrecevabilite": "Irrecevabilité",
}
REPONSES_LIBELLES = {"acceptee": "Acceptée", "refusee": "Refusée", "sans_reponse": "Sans réponse (délai échu)"}


def _etape_possible(liste: ListeCal, candidat) -> str | None:
    """The next step the page offers for a candidate (the service still decides whether it is allowed)."""
    if liste.etat != OUVERTE:
        return None
    if candidat.decision is None:
        return "decision"
    if candidat.decision not in cal.DECISIONS_POSITIVES:
        return None
    if candidat.date_proposition is None:
        return "proposition"
    if candidat.reponse is None:
        return "reponse"
    if candidat.reponse == "acceptee" and candidat.date_signature_bail is None:
        return "bail"
    return None


def _page_liste(liste: ListeCal, erreurs: dict | None = None, status: int = 200):
    logement = db.session.get(Logement, liste.logement_id)
    audit.record_now("lecture", [c.numero_unique for c in liste.candidats], page="liste_cal", liste_id=liste.id)
    peut_ecrire = g.actor.can(Permission.CAL_ECRIRE) and (
        g.actor.is_system or logement.bailleur == g.actor.organisation
    )
    etapes = {c.numero_unique: _etape_possible(liste, c) if peut_ecrire else None for c in liste.candidats}
    # The order can change until the CAL decides on anyone (the service enforces it; the page just hides the buttons).
    ordre_modifiable = peut_ecrire and liste.etat == OUVERTE and all(c.decision is None for c in liste.candidats)
    return render_template(
        "cal/liste.html",
        liste=liste,
        logement=logement,
        etapes=etapes,
        erreurs=erreurs or {},
        saisie=request.form if erreurs else {},
        decisions=DECISIONS_LIBELLES,
        reponses=REPONSES_LIBELLES,
        ordre_modifiable=ordre_modifiable,
    ), status


@bp.route("/listes-cal/<int:liste_id>")
@page(Permission.CAL_LIRE)
def liste_cal(liste_id: int):
    return _page_liste(_liste(liste_id))


@bp.post("/listes-cal/<int:liste_id>/candidats/<numero>/<any(decision, proposition, reponse, bail):etape>")
@page(Permission.CAL_ECRIRE)
def etape_cal(liste_id: int, numero: str, etape: str):
    schema, action, champs, succes = ETAPES[etape]
    data = {k: v.strip() for k in champs if (v := request.form.get(k, "")).strip()}
    try:
        action(liste_id, numero, charger(schema(), data))
    except Interdit:
        db.session.rollback()
        abort(403)
    except Introuvable:
        db.session.rollback()
        abort(404)
    except ApiError as exc:
        db.session.rollback()
        champs_erreurs: dict[str, list[str]] = {}
        for e in exc.erreurs:
            champs_erreurs.setdefault(e.get("champ") or "", []).append(e["message"])
        erreurs = {"numero": numero, "etape": etape, "message": exc.message, "champs": champs_erreurs}
        return _page_liste(_liste(liste_id), erreurs, exc.status)
    flash(f"{succes} pour la demande {numero}.", "succes")
    return redirect(url_for("web.liste_cal", liste_id=liste_id) + f"#candidat-{numero}")


@bp.post("/listes-cal/<int:liste_id>/ordre")
@page(Permission.CAL_ECRIRE)
def ordre_liste_cal(liste_id: int):
    """Move one candidate up or down a rank (buttons, so that it works with the keyboard and without script)."""
    liste = _liste(liste_id)
    numeros = [c.numero_unique for c in liste.candidats]
    numero, sens = request.form.get("numero", ""), request.form.get("sens")
    revision = request.form.get("revision", "")
    if numero not in numeros or sens not in ("monter", "descendre") or not revision.isdigit():
        abort(400)
    i = numeros.index(numero)
    j = min(max(i - 1 if sens == "monter" else i + 1, 0), len(numeros) - 1)  # the first cannot go up, nor the last down
    numeros[i], numeros[j] = numeros[j], numeros[i]
    try:
        cal.reordonner(liste_id, numeros, int(revision))
    except Interdit:
        db.session.rollback()
        abort(403)
    except ApiError as exc:
        db.session.rollback()
        return _page_liste(
            _liste(liste_id), {"numero": numero, "etape": "ordre", "message": exc.message, "champs": {}}, exc.status
        )
    flash(f"Demande {numero} au rang {j + 1}.", "succes")
    return redirect(url_for("web.liste_cal", liste_id=liste_id) + f"#candidat-{numero}")


@bp.route("/listes-cal/<int:liste_id>/impression")
@page(Permission.CAL_LIRE)
def impression_liste_cal(liste_id: int):
    liste = _liste(liste_id)
    logement, lignes = exports.lignes(liste)
    audit.record_now(
        "lecture", [c.numero_unique for c in liste.candidats], page="impression_liste_cal", liste_id=liste_id
    )
    return render_template(
        "cal/impression.html",
        liste=liste,
        logement=logement,
        lignes=lignes,
        colonnes=exports.COLONNES,
        decisions=DECISIONS_LIBELLES,
    )


@bp.route("/listes-cal/<int:liste_id>/export.<any(csv, xlsx, pdf):format_>")
@page(Permission.CAL_LIRE)
def export_liste_cal(liste_id: int, format_: str):
    liste = _liste(liste_id)
    contenu, mimetype = exports.exporter(liste, format_)
    audit.record_now(
        "export", [c.numero_unique for c in liste.candidats], export=f"liste_cal_{format_}", liste_id=liste_id
    )
    return Response(
        contenu,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="liste-cal-{liste_id}.{format_}"'},
    )
