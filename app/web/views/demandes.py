"""Recherche de demandes and fiche demande. Both write exactly one audit entry when they show names."""

from __future__ import annotations

from typing import Any

from elasticsearch import ApiError as EsApiError
from elasticsearch import ConnectionError as EsConnectionError
from flask import abort, current_app, g, render_template, request

from app import audit
from app.auth.permissions import Permission
from app.demandes import search as demandes_search
from app.demandes import service as demandes_service
from app.demandes.errors import DemandeIntrouvable
from app.demandes.lifecycle import aujourdhui
from app.demandes.representation import representation
from app.web import fiche
from app.web.access import page
from app.web.blueprint import bp
from indexing.names import demandes_spec

ETATS = ("active", "brouillon", "satisfaite", "radiee")
FACETTES_PAGE = ("etat", "typologie", "priorite", "secteur")
PAR_PAGE = 25


def tri_de(args) -> str | None:
    """The requested column sort; an unknown value is ignored (default sort)."""
    tri = args.get("tri") or None
    return tri if tri in demandes_search.TRIS_ADMIS else None


def criteres_de(args) -> tuple[demandes_search.Criteres, dict[str, Any]]:
    # `%` (wildcard) is interpreted by the search itself, identically for the API.
    q = args.get("q", "").strip()[:100]
    etat = tuple(v for v in args.getlist("etat") if v in ETATS)
    organisme = tuple(v for v in args.getlist("organisme") if v)[:20]
    mes_brouillons = args.get("mes_brouillons") == "1"
    if mes_brouillons:
        etat, organisme = ("brouillon",), (g.actor.organisation or "",)
    criteres = demandes_search.Criteres(
        q=q or None,
        numero=(args.get("numero") or "").strip()[:64] or None,
        etat=etat,
        organisme=organisme,
        collecteur=tuple(v for v in args.getlist("collecteur") if v)[:20],
        typologie=tuple(args.getlist("typologie"))[:10],
        priorite=tuple(args.getlist("priorite"))[:30],
        secteur=tuple(args.getlist("secteur"))[:50],
        limit=PAR_PAGE,
        suivant=args.get("suivant") or None,
        tri=tri_de(args),
    )
    return criteres, {"mes_brouillons": mes_brouillons}


@bp.route("/demandes")
@page(Permission.DEMANDES_LIRE)
def recherche_demandes():
    args = request.args
    lancee = any(
        args.get(k)
        for k in (
            "q",
            "numero",
            "etat",
            "organisme",
            "collecteur",
            "mes_brouillons",
            "typologie",
            "priorite",
            "secteur",
        )
    )
    contexte: dict[str, Any] = {
        "args": args,
        "lancee": lancee,
        "resultat": None,
        "erreur": None,
        "erreur_q": None,
        "lignes": [],
        "tri": tri_de(args),
    }
    if lancee:
        criteres, extra = criteres_de(args)
        contexte.update(extra)
        alias = demandes_spec(current_app.config["SETTINGS"].es_index_prefix).alias
        try:
            resultat = demandes_search.search(
                current_app.extensions["elasticsearch"], alias, criteres, g.actor.organisation
            )
        except demandes_search.MotifInvalide as exc:
            contexte["erreur"] = contexte["erreur_q"] = str(exc)
        except demandes_search.InvalidCursor:
            contexte["erreur"] = "Lien de page invalide : relancez la recherche."
        except (EsConnectionError, EsApiError):
            contexte["erreur"] = "La recherche est momentanément indisponible. Réessayez dans un instant."
        else:
            numeros = [r["numero_unique"] for r in resultat["resultats"]]
            rows = demandes_service.load_many(numeros)
            contexte["resultat"] = resultat
            contexte["lignes"] = [(r, rows.get(r["numero_unique"])) for r in resultat["resultats"]]
            if numeros:
                audit.record_now("recherche", numeros, page="recherche_demandes", total=resultat["total"])
    return render_template("demandes/recherche.html", etats=ETATS, facettes_page=FACETTES_PAGE, **contexte)


@bp.route("/demandes/<numero>")
@page(Permission.DEMANDES_LIRE)
def fiche_demande(numero: str):
    try:
        demande = demandes_service.get(numero, g.actor)
    except DemandeIntrouvable:
        abort(404)
    on = aujourdhui()
    data = representation(demande, on)
    historique = demandes_service.historique(numero, g.actor)
    derive = {
        "marges": fiche.marges(data, on),
        "points": fiche.points(data, on),
        "groupe": fiche.groupe(data),
    }
    audit.record_now("lecture", [demande.numero_unique], page="fiche_demande")
    return render_template("demandes/fiche.html", d=data, historique=historique, derive=derive)
