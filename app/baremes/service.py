"""The barèmes in force and their changes by the gestionnaire.

* In force: the latest `VersionBareme` of each barème, else the file shipped in `matching/data/`. Every request and
  every task starts with `synchroniser()` (one indexed query), which installs a newer version in `matching.config`:
  a change applies everywhere from the next request or task, without restarting anything.
* A change is an operation (this financing and year, this grid) applied to the version read under a transaction
  advisory lock and written as a new version: two gestionnaires saving at once do not undo each other's change.
* Every change is audited in its transaction. A change of the cotation grids queues an index rebuild, because the
  points per grid are indexed (matching.search sorts on them).
"""

from __future__ import annotations

import copy
import itertools
import logging
import re
from collections.abc import Mapping
from typing import Any

from flask import Flask, current_app, request
from sqlalchemy import func, select, text

from app import audit
from app.auth.context import current_actor
from app.baremes.models import VersionBareme
from app.extensions import db
from app.referentiel.service import get_epci
from matching import config
from matching.cotation import GRILLE_PAR_DEFAUT, TYPES_AVEC_MOIS, TYPES_CRITERES

log = logging.getLogger(__name__)

ANNEE_MIN, ANNEE_MAX = 2000, 2100
MONTANT_MAX = 1_000_000
POINTS_MAX = 1000
MOIS_MAX = 600
CATEGORIES = tuple(str(c) for c in range(1, 7))
CODE_CRITERE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")

Erreurs = dict[str, list[str]]

_installees: dict[str, int | None] = {}
SANS_DONNEES = frozenset({"health", "api-docs"})  # blueprints whose requests read no rule nor data


class BaremeInvalide(ValueError):
    """Field errors (French messages) keyed by the form's field names."""

    def __init__(self, errors: Erreurs):
        super().__init__(errors)
        self.errors = errors


# --- in force --------------------------------------------------------------------------------------------------


def synchroniser() -> None:
    """Install in this process the latest version of each barème (or the shipped file when there is none)."""
    derniers = dict(
        db.session.execute(select(VersionBareme.nom, func.max(VersionBareme.id)).group_by(VersionBareme.nom)).all()
    )
    for nom in ("plafonds", "cotation"):
        version = derniers.get(nom)
        if _installees.get(nom, -1) == version:
            continue
        contenu = db.session.get(VersionBareme, version).contenu if version is not None else None
        config.installer(nom, contenu)
        _installees[nom] = version


def install(app: Flask) -> None:
    """Every request starts with the barèmes in force, except those that read no data: health checks (which must
    answer while the database is down), the OpenAPI document and static files."""

    @app.before_request
    def _baremes_en_vigueur() -> None:
        if request.blueprint not in SANS_DONNEES and request.endpoint != "static":
            synchroniser()


def version_en_vigueur(nom: str) -> VersionBareme | None:
    return db.session.scalars(
        select(VersionBareme).where(VersionBareme.nom == nom).order_by(VersionBareme.id.desc()).limit(1)
    ).first()


def contenu_en_vigueur(nom: str) -> dict[str, Any]:
    """The version in force as this request or task installed it (`synchroniser`); read it again from the database
    only under the lock of a change (`_enregistrer`)."""
    return config.load(nom)


def historique(limit: int = 30) -> list[VersionBareme]:
    return list(db.session.scalars(select(VersionBareme).order_by(VersionBareme.id.desc()).limit(limit)))


def _enregistrer(nom: str, appliquer, resume: str, **audit_details: Any) -> VersionBareme:
    """Apply `appliquer(contenu)` to the version in force, under a lock, as a new version (audited)."""
    actor = current_actor()
    db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:cle))"), {"cle": f"baremes:{nom}"})
    version = version_en_vigueur(nom)  # under the lock: the latest, even if saved since this request began
    contenu = copy.deepcopy(version.contenu if version is not None else config.fichier(nom))
    appliquer(contenu)
    version = VersionBareme(nom=nom, contenu=contenu, resume=resume[:300], modifie_par=actor.login)
    db.session.add(version)
    db.session.flush()
    version.contenu = {**contenu, "version": f"v{version.id}"}  # a new object: JSONB changes in place go unseen
    audit.record("bareme", (), actor=actor, bareme=nom, version=version.id, resume=resume, **audit_details)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    synchroniser()
    return version


# --- parsing of the agents' input --------------------------------------------------------------------------------


def _entier(valeur: Any, champ: str, errors: Erreurs, minimum: int, maximum: int, obligatoire: bool) -> int | None:
    texte = str(valeur if valeur is not None else "").strip().replace("\u00a0", "").replace("\u202f", "")
    texte = texte.replace(" ", "").removesuffix("€")
    if not texte:
        if obligatoire:
            errors.setdefault(champ, []).append("Valeur obligatoire.")
        return None
    if not texte.isdigit():
        errors.setdefault(champ, []).append("Nombre entier attendu (par exemple 23403).")
        return None
    nombre = int(texte)
    if not minimum <= nombre <= maximum:
        errors.setdefault(champ, []).append(
            f"Valeur comprise entre {minimum} et {maximum:_} attendue.".replace("_", " ")
        )
        return None
    return nombre


# --- plafonds ----------------------------------------------------------------------------------------------------


def enregistrer_plafonds(saisie: Mapping[str, Any]) -> VersionBareme:
    """Ceilings of one financing and year (and zone, for PLI): categories 1 to 6 and the amount per extra person.

    A value may be left empty only where the financing publishes none (PLI beyond two persons): the rules then
    report the ceiling as unknown instead of inventing one. Ceilings never decrease with the category.
    """
    errors: Erreurs = {}
    financements = contenu_en_vigueur("plafonds")["financements"]
    financement = str(saisie.get("financement") or "").strip()
    table = financements.get(financement)
    if table is None:
        errors["financement"] = [f"Financement inconnu : choisissez parmi {', '.join(financements)}."]
    annee = _entier(saisie.get("annee"), "annee", errors, ANNEE_MIN, ANNEE_MAX, obligatoire=True)
    par_zone = bool(table and table.get("par_zone"))
    zone = str(saisie.get("zone") or "").strip() or None
    zones = zones_de(table) if par_zone else []
    if par_zone and zone not in zones:
        errors["zone"] = [f"Zone obligatoire pour le {financement} : {', '.join(zones)}."]
    elif not par_zone and zone:
        errors["zone"] = [f"Le {financement} n'a pas de plafonds par zone : laissez la zone vide."]
    valeurs = {
        c: _entier(saisie.get(f"categorie_{c}"), f"categorie_{c}", errors, 1, MONTANT_MAX, obligatoire=not par_zone)
        for c in CATEGORIES
    }
    increment = _entier(
        saisie.get("par_personne_supplementaire"), "par_personne_supplementaire", errors, 1, MONTANT_MAX, True
    )
    connues = [(c, v) for c, v in valeurs.items() if v is not None]
    for (c1, v1), (c2, v2) in itertools.pairwise(connues):
        if v2 < v1:
            errors.setdefault(f"categorie_{c2}", []).append(
                f"Le plafond de la catégorie {c2} ne peut pas être inférieur à celui de la catégorie {c1}."
            )
    if errors or table is None or annee is None or increment is None:
        raise BaremeInvalide(errors)

    def appliquer(contenu: dict[str, Any]) -> None:
        annees = contenu["financements"][financement]["annees"]
        entree = {"categories": valeurs, "par_personne_supplementaire": increment}
        if par_zone:
            annees.setdefault(str(annee), {"zones": {}})["zones"][zone] = entree
        else:
            annees[str(annee)] = entree

    ou = f" zone {zone}" if zone else ""
    return _enregistrer(
        "plafonds",
        appliquer,
        f"Plafonds {financement} {annee}{ou}",
        financement=financement,
        annee=annee,
        zone=zone,
        categories=valeurs,
        par_personne_supplementaire=increment,
    )


def zones_de(table: Mapping[str, Any]) -> list[str]:
    """The ABC zones a financing by zone (PLI) has ceilings for, over all its years."""
    zones: dict[str, None] = {}
    for valeurs in table["annees"].values():
        zones.update(dict.fromkeys(valeurs.get("zones", {})))
    return list(zones)


def tableau_plafonds() -> list[dict[str, Any]]:
    """Rows for the administration screen: financing, year, zone, categories 1-6, extra person (latest first)."""
    lignes = []
    for code, table in contenu_en_vigueur("plafonds")["financements"].items():
        for annee, valeurs in sorted(table["annees"].items(), reverse=True):
            blocs = valeurs["zones"].items() if table.get("par_zone") else [(None, valeurs)]
            for zone, bloc in blocs:
                lignes.append(
                    {
                        "financement": code,
                        "libelle": table.get("libelle", code),
                        "annee": int(annee),
                        "zone": zone,
                        "categories": [bloc["categories"].get(c) for c in CATEGORIES],
                        "par_personne_supplementaire": bloc.get("par_personne_supplementaire"),
                    }
                )
    return lignes


# --- grilles de cotation -----------------------------------------------------------------------------------------


def enregistrer_grille(grille_id: str, criteres: list[Mapping[str, Any]]) -> VersionBareme:
    """Replace the criteria of one grid. Each criterion: code, libelle, type, points, mois (anciennete_superieure).

    Field errors are keyed `criteres.<i>.<champ>`, `i` being the criterion's index in `criteres`."""
    grilles = contenu_en_vigueur("cotation")["grilles"]
    if grille_id not in grilles:
        raise BaremeInvalide({"grille": [f"Grille {grille_id} inconnue."]})
    errors: Erreurs = {}
    propres: list[dict[str, Any]] = []
    vus: set[str] = set()
    for i, critere in enumerate(criteres):
        champ = f"criteres.{i}"
        code = str(critere.get("code") or "").strip()
        if not CODE_CRITERE.match(code):
            errors[f"{champ}.code"] = ["Code en minuscules, chiffres et « _ », de 2 à 40 caractères."]
        elif code in vus:
            errors[f"{champ}.code"] = [f"Le code {code} figure deux fois dans la grille."]
        vus.add(code)
        libelle = str(critere.get("libelle") or "").strip()
        if not 1 <= len(libelle) <= 200:
            errors[f"{champ}.libelle"] = ["Libellé obligatoire (200 caractères au plus)."]
        type_ = str(critere.get("type") or "")
        if type_ not in TYPES_CRITERES:
            errors[f"{champ}.type"] = ["Type de critère inconnu."]
        points = _entier(critere.get("points"), f"{champ}.points", errors, 0, POINTS_MAX, obligatoire=True)
        propre: dict[str, Any] = {"code": code, "type": type_, "points": points, "libelle": libelle}
        if type_ in TYPES_AVEC_MOIS:
            propre["mois"] = _entier(critere.get("mois"), f"{champ}.mois", errors, 1, MOIS_MAX, obligatoire=True)
        elif str(critere.get("mois") or "").strip():
            errors[f"{champ}.mois"] = ["Seul le critère « ancienneté dépassée » prend un nombre de mois."]
        propres.append(propre)
    if not propres:
        errors["criteres"] = ["Une grille garde au moins un critère."]
    if errors:
        raise BaremeInvalide(errors)

    def appliquer(contenu: dict[str, Any]) -> None:
        contenu["grilles"][grille_id]["criteres"] = propres

    version = _enregistrer(
        "cotation",
        appliquer,
        f"Grille de cotation « {grilles[grille_id].get('libelle', grille_id)} » : {len(propres)} critère(s)",
        grille=grille_id,
        criteres=propres,
    )
    return version


def creer_grille(epci: str) -> VersionBareme:
    """A grid of its own for an EPCI, starting as a copy of the default grid."""
    code = (epci or "").strip()
    grilles = contenu_en_vigueur("cotation")["grilles"]
    territoire = get_epci(code) if code else None
    if territoire is None:
        raise BaremeInvalide({"epci": ["Choisissez un EPCI du référentiel territorial."]})
    if code in grilles:
        raise BaremeInvalide({"epci": [f"L'EPCI {territoire.nom} a déjà sa grille."]})

    def appliquer(contenu: dict[str, Any]) -> None:
        contenu["grilles"][code] = {
            "libelle": f"Grille de {territoire.nom}",
            "criteres": copy.deepcopy(contenu["grilles"][GRILLE_PAR_DEFAUT]["criteres"]),
        }

    return _enregistrer("cotation", appliquer, f"Nouvelle grille de cotation pour {territoire.nom}", grille=code)


def reindexer_apres_cotation() -> bool:
    """Queue the rebuild that recomputes the indexed points (False if the broker is unreachable: the nightly
    rebuild will do it)."""
    try:
        current_app.extensions["celery"].send_task("indexing.reconstruire", kwargs={"motif": "cotation"}, retry=False)
    except Exception:
        log.warning("rebuild after a cotation change not queued", exc_info=True)
        return False
    return True
