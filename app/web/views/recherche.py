"""Recherche par logement recherché: the agent describes the logement sought (financement, contingent, catégorie,
typologie, communes and secteurs, accessibility, rent) and the matching engine (`app.rapprochement`, the same
search as `POST /api/v1/rapprochement`: nothing is stored) returns the ranked, explained candidates with facets.

The engine matches one logement at a time: with several communes (or a whole EPCI / the département in one click)
the page shows one tab per commune with its count, and the full ranked list of the commune of the active tab.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import g, render_template, request
from sqlalchemy import select

from app import audit
from app.api_errors import ApiError
from app.auth.permissions import Permission
from app.extensions import db
from app.logements import service as logements
from app.logements.http import charger
from app.logements.schemas import FINANCEMENTS_LOGEMENT
from app.rapprochement import service as rapprochement
from app.rapprochement.facettes import FACETTES
from app.rapprochement.schemas import STRATEGIES, TYPES_BIEN_DECRIT, RapprochementSchema, recherche_depuis
from app.referentiel.models import Commune, Epci
from app.web.access import page
from app.web.blueprint import bp
from app.web.forms import CONTINGENTS_LIBELLES, TYPES_BIEN_LIBELLES
from matching.codes import CONTINGENTS, TYPOLOGIES

DEPARTEMENT = "31"
COMPTES_MAX = 15  # communes whose candidate count is shown in the tabs (one engine run each)
PAR_PAGE = 50
CHAMPS_LOGEMENT = (
    "financement",
    "contingent",
    "type_bien",
    "typologie",
    "surface",
    "etage",
    "loyer",
    "charges",
    "date_disponibilite",
)
CASES_LOGEMENT = ("ascenseur", "adapte_handicap", "parking", "qpv")
TYPES = [(t, "Chambre" if t == "chambre" else f"{t} et plus" if t == TYPOLOGIES[-1] else t) for t in TYPOLOGIES]


@dataclass(frozen=True)
class Secteur:
    code: str
    nom: str
    communes: list[Commune]


def secteurs() -> list[Secteur]:
    """The département's EPCIs with their communes (the multi-select of the form)."""
    communes = db.session.scalars(
        select(Commune).where(Commune.departement_code == DEPARTEMENT).order_by(Commune.nom)
    ).all()
    par_epci: dict[str | None, list[Commune]] = {}
    for commune in communes:
        par_epci.setdefault(commune.epci_code, []).append(commune)
    noms = {e.code: e.nom for e in db.session.scalars(select(Epci).where(Epci.code.in_([c for c in par_epci if c])))}
    out = [Secteur(code, noms.get(code, code), rows) for code, rows in par_epci.items() if code]
    if None in par_epci:
        out.append(Secteur("", "Communes hors EPCI", par_epci[None]))
    return sorted(out, key=lambda s: s.nom)


def communes_choisies(args, tous: list[Secteur]) -> list[str]:
    """Ticked communes, plus every commune of a ticked EPCI or of the whole département; biggest first."""
    par_code = {c.code: c for s in tous for c in s.communes}
    voulues: dict[str, None] = {}
    if args.get("departement") == DEPARTEMENT:
        voulues.update(dict.fromkeys(par_code))
    epcis = set(args.getlist("epci"))
    for s in tous:
        if s.code and s.code in epcis:
            voulues.update(dict.fromkeys(c.code for c in s.communes))
    for code in args.getlist("commune"):
        if code in par_code:
            voulues[code] = None
    return sorted(voulues, key=lambda c: (-(par_code[c].population or 0), par_code[c].nom))


def _logement(args, commune: str) -> dict[str, Any]:
    data: dict[str, Any] = {"commune": commune}
    for name in CHAMPS_LOGEMENT:
        value = (args.get(name) or "").strip()
        if value:
            data[name] = value.replace(",", ".") if name in ("surface", "loyer", "charges") else value
    for name in CASES_LOGEMENT:
        data[name] = args.get(name) == "1"
    return data


def _corps(args, commune: str, limit: int, suivant: str | None) -> dict[str, Any]:
    filtres = {code: [v for v in args.getlist(code) if v] for code in FACETTES}
    corps: dict[str, Any] = {
        "logement": _logement(args, commune),
        "strategie": args.get("strategie") if args.get("strategie") in STRATEGIES else STRATEGIES[0],
        "filtres": {k: v for k, v in filtres.items() if v},
        "limit": limit,
        "suivant": suivant,
    }
    if taux := (args.get("taux_effort_max") or "").strip():
        corps["taux_effort_max"] = taux.replace(",", ".")
    return corps


def rechercher(args, commune: str, limit: int = PAR_PAGE, suivant: str | None = None) -> dict[str, Any]:
    """One run of the matching engine for the logement described in `args`, located in `commune`."""
    parametres = charger(RapprochementSchema(), _corps(args, commune, limit, suivant))
    logements.verifier_commune(parametres["logement"], champ="logement.commune")
    return rapprochement.candidats(parametres["logement"], recherche_depuis(parametres))


def erreurs_par_champ(erreurs: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """`logement.surface` → `surface`, `filtres.x` / `taux_effort_max` → as is."""
    out: dict[str, list[str]] = {}
    for e in erreurs:
        champ = (e.get("champ") or "").removeprefix("logement.").split(".")[0]
        out.setdefault(champ, []).append(e["message"])
    return out


@bp.route("/recherche-logement")
@page(Permission.CANDIDATS_LIRE)
def recherche_logement():
    args = request.args
    tous = secteurs()
    choisies = communes_choisies(args, tous)
    noms = {c.code: c.nom for s in tous for c in s.communes}
    contexte: dict[str, Any] = {
        "args": args,
        "secteurs": tous,
        "choisies": choisies,
        "noms": noms,
        "resultat": None,
        "onglets": [],
        "active": None,
        "erreurs": {},
        "message": None,
        "lancee": args.get("lancer") == "1",
        "financements": [(f, f) for f in FINANCEMENTS_LOGEMENT],
        "contingents": [(c, CONTINGENTS_LIBELLES[c]) for c in CONTINGENTS],
        "types_bien": [(t, TYPES_BIEN_LIBELLES[t]) for t in TYPES_BIEN_DECRIT],
        "typologies": TYPES,
        "facettes": FACETTES,
        "comptes_max": COMPTES_MAX,
        "aujourdhui": rapprochement.aujourdhui().isoformat(),
    }
    status = 200
    if contexte["lancee"]:
        if not choisies:
            contexte["erreurs"] = {"communes": ["Choisissez au moins une commune, un EPCI ou le département."]}
            status = 422
        else:
            active = args.get("active") if args.get("active") in choisies else choisies[0]
            contexte["active"] = active
            try:
                resultat = rechercher(args, active, suivant=args.get("suivant") or None)
                onglets = []
                for code in choisies[:COMPTES_MAX]:
                    total = resultat["total"] if code == active else rechercher(args, code, limit=1)["total"]
                    onglets.append((code, total))
            except ApiError as exc:
                contexte["erreurs"] = erreurs_par_champ(exc.erreurs)
                contexte["message"] = exc.message
                status = exc.status
            else:
                contexte["resultat"], contexte["onglets"] = resultat, onglets
                numeros = [c["numero_unique"] for c in resultat["candidats"]]
                if numeros:
                    audit.record_now("recherche", numeros, page="recherche_logement", commune=active)
    contexte["peut_lire_fiche"] = g.actor.can(Permission.DEMANDES_LIRE)
    return render_template("logements/recherche.html", **contexte), status
