"""Stocks at a date and flows over a period, with their breakdowns, in SQL.

* A demande's territory is its first wished commune (and that commune's EPCI and département).
* `organisme` filters stocks on the organisme enregistreur, flows on the organisation that recorded the step.
* A stock at date D counts demandes registered on or before D and not radiated at D; the CAL stocks (validées,
  attribuées en instance, propositions en cours) look at the demande's last CAL step recorded on or before D.
* Flows count the events recorded between `du` and `au` included (dates in Europe/Paris).
* Mixité (domain §7): attributions are the `bail_signe` events of the period whose logement is outside QPV; their
  territory is the logement's commune (and its EPCI); a household is in the first quartile when its resources per
  consumption unit at the signature of the bail (matching.menage.ressources_par_uc, kept in the event's details
  by app.cal.service.signer_bail; unknown RFR → `ressources_inconnues`) are at most the threshold of the
  logement's EPCI for the year of the attribution (app.statistiques.seuils); no threshold → "seuil non configuré",
  never a number.
Observatoire users (and every caller of `masquer`) see counts from 1 to 4 as suppressed (None).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text

from app.extensions import db
from app.statistiques import seuils
from app.statistiques.indicateurs import DIMENSIONS, ENTREE, ETAPES_CAL, FLUX, OBJECTIF_PREMIER_QUARTILE, STOCKS

SEUIL_SECRET = 5
NON_CONFIGURE = "seuil non configuré"
JOUR = "(e.survenu_le AT TIME ZONE 'Europe/Paris')::date"


@dataclass(frozen=True)
class Filtres:
    date: date
    du: date
    au: date
    commune: str | None = None
    epci: str | None = None
    departement: str | None = None
    organisme: str | None = None


@dataclass
class Tableau:
    code: str
    titre: str
    entete: str  # label of the first column
    colonnes: list[tuple[str, str]]  # (code, libellé) of the value columns
    lignes: list[dict[str, Any]]  # {"libelle": ..., code: value}
    graphique: str = "bar"  # bar, line
    note: str | None = None
    masque: bool = field(default=False)
    publiques: tuple[str, ...] = ()  # columns that are not counts of persons (never suppressed)
    graphique_colonnes: tuple[str, ...] | None = None  # the columns drawn (default: all)


def _territoire(f: Filtres, params: dict[str, Any]) -> str:
    clauses = []
    for name, column in (("commune", "c.code"), ("epci", "c.epci_code"), ("departement", "c.departement_code")):
        value = getattr(f, name)
        if value:
            params[name] = value
            clauses.append(f"{column} = :{name}")
    return " AND ".join(clauses) or "TRUE"


_JOIN_COMMUNE = "LEFT JOIN communes c ON c.code = d.donnees #>> '{souhaits,communes,0}'"


def stocks(f: Filtres, dimension: str | None = None) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"date": f.date, "etapes": list(ETAPES_CAL)}
    where = _territoire(f, params)
    if f.organisme:
        params["organisme"] = f.organisme
        where += " AND d.organisme_enregistreur = :organisme"
    dim = DIMENSIONS[dimension][1] if dimension else "'Ensemble'"
    counts = ",\n".join(f"count(*) FILTER (WHERE {s.predicat}) AS {s.code}" for s in STOCKS)
    sql = f"""
        WITH b AS (
            SELECT d.id, {dim} AS libelle,
                   (d.etat <> 'brouillon' AND d.date_depot <= :date
                    AND (d.date_radiation IS NULL OR d.date_radiation > :date)) AS actif,
                   (d.motif_radiation = 'attribution' AND d.date_radiation <= :date) AS satisfait
            FROM demandes d {_JOIN_COMMUNE}
            WHERE {where}
        ), x AS (
            SELECT DISTINCT ON (e.demande_id) e.demande_id, e.type, e.details
            FROM demande_evenements e
            WHERE e.type = ANY(:etapes) AND {JOUR} <= :date
            ORDER BY e.demande_id, e.survenu_le DESC, e.id DESC
        )
        SELECT b.libelle, {counts}
        FROM b LEFT JOIN x ON x.demande_id = b.id
        GROUP BY b.libelle ORDER BY b.libelle
    """
    rows = [dict(row._mapping) for row in db.session.execute(text(sql), params)]
    return rows or ([] if dimension else [{"libelle": "Ensemble", **{s.code: 0 for s in STOCKS}}])


def flux(f: Filtres, dimension: str | None = None) -> list[dict[str, Any]]:
    params: dict[str, Any] = {"du": f.du, "au": f.au}
    where = _territoire(f, params)
    if f.organisme:
        params["organisme"] = f.organisme
        where += " AND e.organisation = :organisme"
    if dimension == "mois":
        dim = f"to_char({JOUR}, 'YYYY-MM')"
    elif dimension:
        dim = DIMENSIONS[dimension][1]
    else:
        dim = "'Ensemble'"
    counts = ",\n".join(
        f"count({'DISTINCT e.demande_id' if x.distinct_demandes else '*'}) FILTER (WHERE {x.predicat}) AS {x.code}"
        for x in FLUX
    )
    sql = f"""
        SELECT {dim} AS libelle, {counts}
        FROM demande_evenements e JOIN demandes d ON d.id = e.demande_id {_JOIN_COMMUNE}
        WHERE {JOUR} BETWEEN :du AND :au AND {where}
        GROUP BY 1 ORDER BY 1
    """
    rows = [dict(row._mapping) for row in db.session.execute(text(sql), params)]
    if dimension == "mois":
        rows = _every_month(rows, f.du, f.au)
    return rows or ([] if dimension else [{"libelle": "Ensemble", **{x.code: 0 for x in FLUX}}])


def _every_month(rows: list[dict[str, Any]], du: date, au: date) -> list[dict[str, Any]]:
    """A month without any event still gets its row of zeros (a time series has no holes)."""
    found = {r["libelle"]: r for r in rows}
    out = []
    year, month = du.year, du.month
    while (year, month) <= (au.year, au.month):
        key = f"{year:04d}-{month:02d}"
        out.append(found.get(key) or {"libelle": key, **{x.code: 0 for x in FLUX}})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def anciennete_satisfaites(f: Filtres) -> list[dict[str, Any]]:
    """Average seniority (months from filing to attribution) of the demandes satisfied in the period."""
    params: dict[str, Any] = {"du": f.du, "au": f.au}
    where = _territoire(f, params)
    if f.organisme:
        params["organisme"] = f.organisme
        where += " AND d.organisme_enregistreur = :organisme"
    sql = f"""
        SELECT {DIMENSIONS["typologie"][1]} AS typologie, coalesce(ep.nom, 'non renseigné') AS secteur,
               count(*) AS nombre,
               round(avg((d.date_radiation - d.date_depot) / 30.4375)::numeric, 1) AS anciennete_mois
        FROM demandes d {_JOIN_COMMUNE} LEFT JOIN epci ep ON ep.code = c.epci_code
        WHERE d.motif_radiation = 'attribution' AND d.date_radiation BETWEEN :du AND :au AND {where}
        GROUP BY 1, 2 ORDER BY 1, 2
    """
    return [dict(row._mapping) for row in db.session.execute(text(sql), params)]


def premier_quartile(f: Filtres) -> list[dict[str, Any]]:
    """First-quartile attributions outside QPV per EPCI and year of the period, against the 25 % objective."""
    params: dict[str, Any] = {"du": f.du, "au": f.au, "entree": ENTREE}
    where = _territoire(f, params)
    if f.organisme:
        params["organisme"] = f.organisme
        where += " AND e.organisation = :organisme"
    sql = f"""
        SELECT c.epci_code AS epci, coalesce(ep.nom, 'EPCI non renseigné') AS nom,
               extract(year FROM {JOUR})::int AS annee,
               e.details->'ressources_par_uc' AS ressources_par_uc
        FROM demande_evenements e
        JOIN logements l ON l.id = (e.details->>'logement_id')::bigint
        LEFT JOIN communes c ON c.code = l.commune
        LEFT JOIN epci ep ON ep.code = c.epci_code
        WHERE e.type = :entree AND NOT l.qpv AND {JOUR} BETWEEN :du AND :au AND {where}
    """
    groupes: dict[tuple[str | None, str, int], list[float | None]] = {}
    for row in db.session.execute(text(sql), params):
        ressources = row.ressources_par_uc if isinstance(row.ressources_par_uc, int | float) else None
        groupes.setdefault((row.epci, row.nom, row.annee), []).append(ressources)
    configures = seuils.par_epci_annee()
    lignes = []
    for (epci, nom, annee), ressources in sorted(groupes.items(), key=lambda item: (item[0][1], item[0][2])):
        seuil = configures.get((epci, annee)) if epci else None
        ligne: dict[str, Any] = {
            "libelle": f"{nom} — {annee}",
            "epci": epci,
            "annee": annee,
            "nombre": len(ressources),
            "ressources_inconnues": sum(1 for r in ressources if r is None),
        }
        if seuil is None:
            ligne.update({code: NON_CONFIGURE for code in ("premier_quartile", "part", "objectif", "seuil")})
        else:
            pq = sum(1 for r in ressources if r is not None and r <= float(seuil))
            atteint = pq * 100 >= OBJECTIF_PREMIER_QUARTILE * len(ressources)
            ligne.update(
                premier_quartile=pq,
                part=round(100 * pq / len(ressources), 1),
                objectif="atteint" if atteint else "non atteint",
                seuil=float(seuil),
            )
        lignes.append(ligne)
    return lignes


def masquer_premier_quartile(tableau: Tableau) -> Tableau:
    """The share and the objective would give away a suppressed first-quartile count: suppressed with it."""
    for ligne in tableau.lignes:
        pq = ligne.get("premier_quartile")
        if isinstance(pq, int) and 0 < pq < SEUIL_SECRET:
            ligne["part"] = ligne["objectif"] = None
    return masquer(tableau)


def masquer(tableau: Tableau) -> Tableau:
    """Statistical secrecy: a count from 1 to 4 is suppressed (None); an average over fewer than 5 too."""
    for ligne in tableau.lignes:
        petit = isinstance(ligne.get("nombre"), int) and 0 < ligne["nombre"] < SEUIL_SECRET
        for code, _ in tableau.colonnes:
            if code in tableau.publiques:
                continue
            value = ligne.get(code)
            if (isinstance(value, int) and 0 < value < SEUIL_SECRET) or (code != "nombre" and petit):
                ligne[code] = None
        if petit:
            ligne["nombre"] = None
    tableau.masque = True
    return tableau


def tableaux(f: Filtres, secret: bool = False) -> list[Tableau]:
    """Every table of the dashboard, in page order."""
    stock_cols = [(s.code, s.libelle) for s in STOCKS]
    flux_cols = [(x.code, x.libelle) for x in FLUX]
    out = [
        Tableau("stocks", f"Stocks au {f.date:%d/%m/%Y}", "", stock_cols, stocks(f)),
    ]
    for dim, (libelle, _) in DIMENSIONS.items():
        out.append(
            Tableau(
                f"stocks_{dim}",
                f"Stocks au {f.date:%d/%m/%Y} par {libelle.lower()}",
                libelle,
                stock_cols,
                stocks(f, dim),
            )
        )
    periode = f"du {f.du:%d/%m/%Y} au {f.au:%d/%m/%Y}"
    out.append(Tableau("flux", f"Flux {periode}", "", flux_cols, flux(f)))
    out.append(Tableau("flux_mois", f"Flux par mois {periode}", "Mois", flux_cols, flux(f, "mois"), "line"))
    for dim in ("typologie", "priorite"):
        libelle = DIMENSIONS[dim][0]
        out.append(Tableau(f"flux_{dim}", f"Flux {periode} par {libelle.lower()}", libelle, flux_cols, flux(f, dim)))
    anc = anciennete_satisfaites(f)
    out.append(
        Tableau(
            "anciennete",
            f"Ancienneté moyenne des demandes satisfaites {periode}",
            "Typologie — secteur",
            [("nombre", "Demandes satisfaites"), ("anciennete_mois", "Ancienneté moyenne (mois)")],
            [
                {
                    "libelle": f"{r['typologie']} — {r['secteur']}",
                    "nombre": r["nombre"],
                    "anciennete_mois": float(r["anciennete_mois"]) if r["anciennete_mois"] is not None else None,
                }
                for r in anc
            ],
        )
    )
    out.append(
        Tableau(
            "premier_quartile",
            f"Attributions hors QPV au premier quartile par EPCI {periode} (objectif : {OBJECTIF_PREMIER_QUARTILE} %)",
            "EPCI — année",
            [
                ("nombre", "Attributions hors QPV"),
                ("premier_quartile", "Dont premier quartile"),
                ("part", "Part du premier quartile (%)"),
                ("objectif", f"Objectif de {OBJECTIF_PREMIER_QUARTILE} %"),
                ("seuil", "Seuil (€ par UC et par an)"),
                ("ressources_inconnues", "Dont ressources non renseignées"),
            ],
            premier_quartile(f),
            note=(
                "Attributions : baux signés sur la période pour un logement hors QPV, rattachées à l'EPCI de la "
                "commune du logement. Premier quartile : revenu fiscal de référence par unité de consommation "
                "(échelle OCDE modifiée) inférieur ou égal au seuil de l'EPCI pour l'année de l'attribution, "
                "saisi en administration."
            ),
            publiques=("seuil",),
            graphique_colonnes=("nombre", "premier_quartile"),
        )
    )
    return [(masquer_premier_quartile(t) if t.code == "premier_quartile" else masquer(t)) if secret else t for t in out]


def tableau(f: Filtres, code: str, secret: bool = False) -> Tableau | None:
    return next((t for t in tableaux(f, secret) if t.code == code), None)
