"""JSON look-ups for the pickers of the pages (session-authenticated, same data as the API's referential)."""

from __future__ import annotations

from flask import jsonify, request

from app.auth.permissions import Permission
from app.referentiel.service import search_communes
from app.web.access import page
from app.web.blueprint import bp


@bp.route("/referentiel/communes")
@page(Permission.REFERENTIEL_LIRE)
def communes():
    q = request.args.get("q", "")[:100]
    found = search_communes(q, departement=request.args.get("departement") or None, limit=20)
    return jsonify(
        [{"code": c.code, "nom": c.nom, "epci": c.epci_code, "departement": c.departement_code} for c in found]
    )
