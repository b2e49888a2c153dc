"""Statistics dashboard: stocks at a date, flows over a period, a chart per table, CSV export of each table."""

from __future__ import annotations

from flask import Response, g, render_template, request
from sqlalchemy import select

from app.auth.models import Organisation
from app.auth.permissions import Permission, Role
from app.extensions import db
from app.referentiel.models import Departement, Epci
from app.statistiques import export, filtres, service
from app.web.access import page
from app.web.blueprint import bp


def secret_required() -> bool:
    """Observatoire users get counts below 5 suppressed (they are not allowed individual data)."""
    return Role.OBSERVATOIRE.value in g.actor.roles


def _choices() -> dict:
    return {
        "epcis": _epcis_31(),
        "departements": db.session.scalars(select(Departement).order_by(Departement.code)).all(),
        "organismes": db.session.scalars(select(Organisation).order_by(Organisation.nom)).all(),
    }


def _epcis_31() -> list[Epci]:
    from app.referentiel.models import Commune

    codes = select(Commune.epci_code).where(Commune.departement_code == "31").distinct()
    return list(db.session.scalars(select(Epci).where(Epci.code.in_(codes)).order_by(Epci.nom)))


@bp.route("/statistiques")
@page(Permission.STATISTIQUES)
def statistiques():
    try:
        f = filtres.lire(request.args)
    except filtres.FiltresInvalides as exc:
        return render_template(
            "statistiques/tableau_de_bord.html", erreurs=exc.erreurs, tableaux=[], args=request.args, **_choices()
        ), 400
    tableaux = service.tableaux(f, secret=secret_required())
    graphiques = {t.code: export.chart_data(t) for t in tableaux}
    return render_template(
        "statistiques/tableau_de_bord.html",
        erreurs={},
        tableaux=tableaux,
        graphiques=graphiques,
        filtres=f,
        args=request.args,
        secret=export.SECRET,
        **_choices(),
    )


@bp.route("/statistiques/export/<code>.csv")
@page(Permission.STATISTIQUES)
def statistiques_csv(code: str):
    try:
        f = filtres.lire(request.args)
    except filtres.FiltresInvalides:
        return Response("Filtres invalides", status=400, mimetype="text/plain")
    tableau = service.tableau(f, code, secret=secret_required())
    if tableau is None:
        return Response("Tableau inconnu", status=404, mimetype="text/plain")
    return Response(
        export.to_csv(tableau),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="statistiques-{code}.csv"'},
    )
