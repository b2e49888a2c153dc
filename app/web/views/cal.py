"""Listes CAL: list, detail (candidates in order, decisions, proposals, answers) and exports (PDF/XLSX/CSV)."""

from __future__ import annotations

from flask import Response, abort, render_template
from sqlalchemy import select

from app import audit
from app.auth.permissions import Permission
from app.cal import exports
from app.cal import service as cal
from app.cal.models import ListeCal
from app.extensions import db
from app.logements.errors import Introuvable
from app.logements.models import Logement
from app.web.access import page
from app.web.blueprint import bp


@bp.route("/listes-cal")
@page(Permission.CAL_LIRE)
def listes_cal():
    rows = db.session.execute(
        select(ListeCal, Logement).join(Logement, Logement.id == ListeCal.logement_id)
        .order_by(ListeCal.date_commission.desc(), ListeCal.id.desc()).limit(100)
    ).all()
    return render_template("cal/listes.html", rows=rows)


def _liste(liste_id: int) -> ListeCal:
    try:
        return cal.obtenir_liste(liste_id)
    except Introuvable:
        abort(404)


@bp.route("/listes-cal/<int:liste_id>")
@page(Permission.CAL_LIRE)
def liste_cal(liste_id: int):
    liste = _liste(liste_id)
    logement = db.session.get(Logement, liste.logement_id)
    audit.record_now("lecture", [c.numero_unique for c in liste.candidats], page="liste_cal", liste_id=liste_id)
    return render_template("cal/liste.html", liste=liste, logement=logement)


@bp.route("/listes-cal/<int:liste_id>/export.<any(csv, xlsx, pdf):format_>")
@page(Permission.CAL_LIRE)
def export_liste_cal(liste_id: int, format_: str):
    liste = _liste(liste_id)
    contenu, mimetype = exports.exporter(liste, format_)
    audit.record_now("export", [c.numero_unique for c in liste.candidats], export=f"liste_cal_{format_}",
                     liste_id=liste_id)
    return Response(contenu, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="liste-cal-{liste_id}.{format_}"'})
