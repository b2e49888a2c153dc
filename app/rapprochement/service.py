"""Candidates of a logement, in one `_msearch` of two searches that Elasticsearch runs in parallel:

* the candidates: `query` = every rule clause of `matching.search` (constant score, filter context), `post_filter`
  = the selected facet values, so the hits and `total` are the eligible candidates of the selection; `aggs` = one
  `filters` aggregation per facet, each under the selections of the *other* facets (disjunctive facets: counts stay
  right when a value is selected); `sort` = the strategy's multi-key sort ending with `numero_unique` (stable),
  paged with `search_after`;
* the exclusion counts (`corps_exclusions`): the demandes passing at least n − 1 of the n rule clauses, and per rule
  a `must_not` of its clause: a demande there fails that rule alone ("pourquoi si peu de candidats ?"). They are
  cached two minutes (`cache_exclusions`): ticking facets or paging does not count them again.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from elasticsearch import ApiError as EsApiError
from elasticsearch import NotFoundError, TransportError
from flask import current_app

from app.logements.errors import DonneesInvalides, RechercheIndisponible
from app.rapprochement import cache_exclusions
from app.rapprochement.facettes import FACETTES, Buckets, applicables, filtre_selection
from app.referentiel.service import referentiel
from indexing.names import demandes_spec
from matching.candidats import expliquer
from matching.logement import Logement, as_logement
from matching.options import MatchingOptions
from matching.rules import LIBELLES
from matching.search import candidate_query, rule_clauses, sort_clause

Query = dict[str, Any]


@dataclass(frozen=True)
class Recherche:
    """What the agent asked: strategy, optional taux d'effort, facet selections, page size and cursor."""

    strategie: str = "priorite_anciennete"
    taux_effort_max: float | None = None
    filtres: dict[str, list[str]] = field(default_factory=dict)
    limit: int = 20
    suivant: str | None = None
    on: date | None = None

    def options(self) -> MatchingOptions:
        return MatchingOptions(
            on=self.on or aujourdhui(),
            taux_effort_max=self.taux_effort_max,
            strategie=self.strategie,  # type: ignore[arg-type]
            size=self.limit,
        )


def aujourdhui() -> date:
    return datetime.now(ZoneInfo(current_app.config["SETTINGS"].timezone)).date()


def alias_demandes() -> str:
    return demandes_spec(current_app.config["SETTINGS"].es_index_prefix).alias


def _es():
    return current_app.extensions["elasticsearch"]


# --- cursor ---------------------------------------------------------------------------------------------------


def _empreinte(lgt: Logement, recherche: Recherche) -> str:
    """The cursor is only valid for the same logement, strategy, taux d'effort and selections."""
    cle = json.dumps([repr(lgt), recherche.strategie, recherche.taux_effort_max, sorted(recherche.filtres.items())])
    return hashlib.sha256(cle.encode()).hexdigest()[:16]


def encoder_curseur(sort_values: list[Any], rang: int, empreinte: str) -> str:
    raw = json.dumps({"a": sort_values, "r": rang, "e": empreinte}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decoder_curseur(curseur: str, empreinte: str) -> tuple[list[Any], int]:
    try:
        raw = base64.urlsafe_b64decode(curseur + "=" * (-len(curseur) % 4))
        data = json.loads(raw)
        after, rang = list(data["a"]), int(data["r"])
    except (ValueError, KeyError, TypeError):
        raise DonneesInvalides.champ("suivant", "Curseur invalide") from None
    if data.get("e") != empreinte:
        raise DonneesInvalides.champ(
            "suivant", "Curseur d'une autre recherche (logement, stratégie ou filtres différents)"
        )
    return after, rang


# --- request body ---------------------------------------------------------------------------------------------


def _selections(facettes: dict[str, Buckets], recherche: Recherche) -> dict[str, Query]:
    selections: dict[str, Query] = {}
    for code, valeurs in recherche.filtres.items():
        if not valeurs:
            continue
        if code not in FACETTES:
            raise DonneesInvalides.champ(code, "Facette inconnue")
        admises = facettes.get(code, {})
        inconnues = [v for v in valeurs if v not in admises]
        if inconnues:
            raise DonneesInvalides.champ(
                code, f"Valeur(s) inconnue(s) : {', '.join(inconnues)} ; valeurs admises {', '.join(admises)}"
            )
        selections[code] = filtre_selection(admises, valeurs)
    return selections


def corps_recherche(
    lgt: Logement, recherche: Recherche, facettes: dict[str, Buckets], search_after: list[Any] | None = None
) -> Query:
    """Ranked eligible candidates (every rule, plus the selected facet values as a post_filter) and the facets
    (`facettes.applicables`), each counted under the other facets' selections."""
    options = recherche.options()
    ref = referentiel()
    tous = list(rule_clauses(lgt, ref, options).values())
    selections = _selections(facettes, recherche)
    aggs: Query = {}
    for code, buckets in facettes.items():
        autres = [q for other, q in selections.items() if other != code]
        filtres = {valeur: q for valeur, (_, q) in buckets.items()}
        aggs[code] = {"filter": {"bool": {"filter": autres}}, "aggs": {"v": {"filters": {"filters": filtres}}}}
    body: Query = {
        "query": {"constant_score": {"filter": {"bool": {"filter": tous}}}},
        "post_filter": {"bool": {"filter": list(selections.values())}},
        "aggs": aggs,
        "sort": sort_clause(lgt, ref, options),
        "size": recherche.limit,
        "track_total_hits": True,
    }
    if search_after is not None:
        body["search_after"] = search_after
    return body


def corps_exclusions(lgt: Logement, recherche: Recherche) -> Query:
    """Per rule, the active demandes that pass every other rule but fail this one ("pourquoi si peu de
    candidats ?"): within the demandes passing at least n−1 of the n rules, failing X means failing only X."""
    clauses = rule_clauses(lgt, referentiel(), recherche.options())
    tous = list(clauses.values())
    return {
        "query": {
            "constant_score": {"filter": {"bool": {"should": tous, "minimum_should_match": max(len(tous) - 1, 0)}}}
        },
        "aggs": {"exclusions": {"filters": {"filters": {c: {"bool": {"must_not": [q]}} for c, q in clauses.items()}}}},
        "size": 0,
        "track_total_hits": False,
    }


def _msearch(*bodies: Query) -> list[dict[str, Any]]:
    """Several searches in one round trip; Elasticsearch runs them in parallel (one core each on one shard)."""
    index = alias_demandes()
    searches: list[Query] = []
    for body in bodies:
        searches += [{"index": index}, body]
    try:
        responses = _es().msearch(searches=searches).body["responses"]
    except (TransportError, EsApiError) as error:
        current_app.logger.warning("rapprochement: msearch failed: %s", error)
        raise RechercheIndisponible() from None
    for response in responses:
        if "error" in response:
            if response.get("status") == 404:
                raise RechercheIndisponible("L'index des demandes n'existe pas encore (reconstruction nécessaire)")
            current_app.logger.warning("rapprochement: search failed: %s", response["error"])
            raise RechercheIndisponible()
    return responses


def _search(body: Query) -> dict[str, Any]:
    try:
        return _es().search(index=alias_demandes(), body=body).body
    except NotFoundError:
        raise RechercheIndisponible("L'index des demandes n'existe pas encore (reconstruction nécessaire)") from None
    except (TransportError, EsApiError) as error:
        current_app.logger.warning("rapprochement: search failed: %s", error)
        raise RechercheIndisponible() from None


# --- response -------------------------------------------------------------------------------------------------


def _facettes(aggs: dict[str, Any], facettes: dict[str, Buckets], recherche: Recherche) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for code, buckets in facettes.items():
        comptes = aggs[code]["v"]["buckets"]
        choisies = set(recherche.filtres.get(code) or [])
        valeurs = []
        for valeur, (libelle, _) in buckets.items():
            nombre = int(comptes[valeur]["doc_count"])
            if nombre or valeur in choisies:
                valeurs.append(
                    {"valeur": valeur, "libelle": libelle, "nombre": nombre, "selectionne": valeur in choisies}
                )
        facette = FACETTES[code]
        out[code] = {"libelle": facette.libelle, "exclusive": facette.exclusive, "valeurs": valeurs}
    return out


def _exclusions(aggs: dict[str, Any]) -> list[dict[str, Any]]:
    buckets = aggs["exclusions"]["buckets"]
    return [{"code": code, "libelle": LIBELLES[code], "nombre": int(b["doc_count"])} for code, b in buckets.items()]


def _maintenant() -> str:
    return datetime.now(ZoneInfo(current_app.config["SETTINGS"].timezone)).isoformat(timespec="seconds")


def candidats(logement: Logement | dict[str, Any], recherche: Recherche) -> dict[str, Any]:
    """Ranked, explained candidates of the logement, with facets, exclusions and the next-page cursor."""
    lgt = as_logement(logement)
    empreinte = _empreinte(lgt, recherche)
    after, rang = (None, 0)
    if recherche.suivant:
        after, rang = decoder_curseur(recherche.suivant, empreinte)
    options = recherche.options()
    facettes = applicables(lgt, options.on)
    corps_ex = corps_exclusions(lgt, recherche)
    comptes = cache_exclusions.lire(corps_ex)
    if comptes is None:
        response, exclusions = _msearch(corps_recherche(lgt, recherche, facettes, after), corps_ex)
        comptes = {"exclusions": _exclusions(exclusions["aggregations"]), "le": _maintenant()}
        cache_exclusions.ecrire(corps_ex, comptes)
        took = max(response.get("took", 0), exclusions.get("took", 0))
    else:
        response = _search(corps_recherche(lgt, recherche, facettes, after))
        took = response.get("took", 0)
    hits = response["hits"]["hits"]
    ref = referentiel()
    liste = [expliquer(hit["_source"], lgt, ref, options, rang + i) for i, hit in enumerate(hits, start=1)]
    total = int(response["hits"]["total"]["value"])
    dernier = rang + len(hits)
    suivant = encoder_curseur(hits[-1]["sort"], dernier, empreinte) if hits and dernier < total else None
    return {
        "strategie": recherche.strategie,
        "taux_effort_max": recherche.taux_effort_max,
        "calcule_le": options.on.isoformat(),
        "total": total,
        "candidats": liste,
        "facettes": _facettes(response["aggregations"], facettes, recherche),
        "exclusions": comptes["exclusions"],
        "exclusions_comptees_le": comptes["le"],
        "suivant": suivant,
        "took_ms": took,
    }


def classement(
    logement: Logement | dict[str, Any], options: MatchingOptions, taille: int = 100, taille_max: int = 2000
) -> Iterator[tuple[int, str]]:
    """(rank, numero_unique) of every eligible candidate in rank order, page after page (no explanation, no
    aggregation, no _source: the numero is the last sort key). Used by the nightly shortlists.

    The first page has `taille` hits; each next one is four times larger, up to `taille_max`: a nightly run that
    passes over households already proposed for older logements reads deep into a list in a few requests
    instead of one request per `taille` skipped households (same order: search_after on the same sort)."""
    lgt = as_logement(logement)
    body: Query = {
        **candidate_query(lgt, referentiel(), options),
        "size": taille,
        "_source": False,
        "track_total_hits": False,
    }
    rang = 0
    while True:
        hits = _search(body)["hits"]["hits"]
        for hit in hits:
            rang += 1
            yield rang, str(hit["sort"][-1])
        if len(hits) < body["size"]:
            return
        body["search_after"] = hits[-1]["sort"]
        body["size"] = max(body["size"], min(body["size"] * 4, taille_max))
