"""Search of demandes, served from the Elasticsearch alias (the database is never scanned for a search).

Search options (filters, facets, sort, page sizes) are declared here as data, not scattered in the view.
Names are matched on the fields folded at index time by `indexing.text.fold` (this cluster has no asciifolding):
exact folded name, one typo (fuzziness 1), and prefix typing. Paging is `search_after` over a stable sort, so
deep pages (beyond 10 000 results) work; the cursor `suivant` is opaque (base64 of the sort values).

Brouillons are indexed but only visible to their registering organisation (`organisation` argument).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch

from matching.search import name_query

# Filter parameter → document fields (several fields: any of them matches).
FILTERS: dict[str, tuple[str, ...]] = {
    "etat": ("etat",),
    "organisme": ("organisme_enregistreur",),
    "commune": ("souhait_communes",),
    "secteur": (
        "souhait_secteurs_epci",
        "souhait_secteurs_departements",
        "souhait_epci_des_communes",
        "souhait_departements_des_communes",
    ),
    "typologie": ("typologies",),
    "priorite": ("priorites",),
    "collecteur": ("collecteur",),
}

# Facet name → (field, number of buckets).
FACETS: dict[str, tuple[str, int]] = {
    "etat": ("etat", 10),
    "typologie": ("typologies", 10),
    "priorite": ("priorites", 30),
    "secteur": ("souhait_epci_des_communes", 50),
    "composition": ("nb_personnes", 20),
}

SORT_SANS_TEXTE: list[dict[str, Any]] = [{"date_depot": "asc"}, {"numero_unique": "asc"}]
SORT_AVEC_TEXTE: list[dict[str, Any]] = [{"_score": "desc"}, *SORT_SANS_TEXTE]

SUMMARY_FIELDS = [
    "numero_unique",
    "etat",
    "demandeur_nom",
    "demandeur_prenom",
    "noms",
    "date_depot",
    "date_renouvellement",
    "souhait_commune_premier_choix",
    "typologies",
    "nb_personnes",
    "organisme_enregistreur",
]

LIMIT_DEFAULT, LIMIT_MAX = 20, 200


class InvalidCursor(ValueError):
    pass


def encode_cursor(sort_values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(sort_values, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, with_score: bool) -> list[Any]:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("curseur illisible") from exc
    expected = len(SORT_AVEC_TEXTE if with_score else SORT_SANS_TEXTE)
    if not isinstance(values, list) or len(values) != expected:
        raise InvalidCursor("curseur ne correspondant pas à cette recherche")
    return values


@dataclass(frozen=True)
class Criteres:
    q: str | None = None
    numero: str | None = None
    etat: tuple[str, ...] = ()
    organisme: tuple[str, ...] = ()
    commune: tuple[str, ...] = ()
    secteur: tuple[str, ...] = ()
    typologie: tuple[str, ...] = ()
    priorite: tuple[str, ...] = ()
    collecteur: tuple[str, ...] = ()
    limit: int = LIMIT_DEFAULT
    suivant: str | None = None


def visibility_filter(organisation: str | None) -> dict[str, Any]:
    """Brouillons only for their registering organisation; every other état for every reader."""
    pas_brouillon: dict[str, Any] = {"bool": {"must_not": [{"term": {"etat": "brouillon"}}]}}
    if not organisation:
        return pas_brouillon
    sien = {"bool": {"filter": [{"term": {"etat": "brouillon"}}, {"term": {"organisme_enregistreur": organisation}}]}}
    return {"bool": {"should": [pas_brouillon, sien], "minimum_should_match": 1}}


def build_query(criteres: Criteres, organisation: str | None) -> dict[str, Any]:
    filters: list[dict[str, Any]] = [visibility_filter(organisation)]
    for param, fields in FILTERS.items():
        values = list(getattr(criteres, param))
        if not values:
            continue
        clauses = [{"terms": {f: values}} for f in fields]
        filters.append(clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}})
    if criteres.numero:
        filters.append({"prefix": {"numero_unique": {"value": criteres.numero.strip(), "case_insensitive": True}}})
    must: list[dict[str, Any]] = []
    if criteres.q and criteres.q.strip():
        must.append(name_query(criteres.q))
    return {"bool": {"filter": filters, "must": must}}


def _summary(source: dict[str, Any]) -> dict[str, Any]:
    return {
        "numero_unique": source.get("numero_unique"),
        "etat": source.get("etat"),
        "demandeur": {"nom": source.get("demandeur_nom"), "prenom": source.get("demandeur_prenom")},
        "noms": source.get("noms") or [],
        "date_depot": source.get("date_depot"),
        "date_renouvellement": source.get("date_renouvellement"),
        "commune": source.get("souhait_commune_premier_choix"),
        "typologies": source.get("typologies") or [],
        "nb_personnes": source.get("nb_personnes"),
        "organisme_enregistreur": source.get("organisme_enregistreur"),
    }


def search(client: Elasticsearch, alias: str, criteres: Criteres, organisation: str | None) -> dict[str, Any]:
    with_score = bool(criteres.q and criteres.q.strip())
    sort = SORT_AVEC_TEXTE if with_score else SORT_SANS_TEXTE
    kwargs: dict[str, Any] = {}
    if criteres.suivant:
        kwargs["search_after"] = decode_cursor(criteres.suivant, with_score)
    limit = max(1, min(criteres.limit, LIMIT_MAX))
    response = client.search(
        index=alias,
        query=build_query(criteres, organisation),
        sort=sort,
        size=limit,
        source_includes=SUMMARY_FIELDS,
        track_total_hits=True,
        aggs={name: {"terms": {"field": field, "size": size}} for name, (field, size) in FACETS.items()},
        **kwargs,
    )
    hits = response["hits"]["hits"]
    facettes = {
        name: {str(b.get("key_as_string", b["key"])): b["doc_count"] for b in response["aggregations"][name]["buckets"]}
        for name in FACETS
    }
    return {
        "total": response["hits"]["total"]["value"],
        "resultats": [_summary(hit["_source"]) for hit in hits],
        "facettes": facettes,
        "suivant": encode_cursor(hits[-1]["sort"]) if len(hits) == limit else None,
    }
