"""Search of demandes, served from the Elasticsearch alias (the database is never scanned for a search).

Search options (filters, facets, sorts, page sizes) are declared here as data, not scattered in the view.
Names are matched on the fields folded at index time by `indexing.text.fold` (this cluster has no asciifolding):
exact folded name, one typo (fuzziness 1), and prefix typing. `%` is a wildcard, as the agents type it: at the end
only it means "starts with" (the prefix typing above); anywhere else the name is matched as a pattern (`DUP%T`,
`%MOND`, `MART%N%`) on the folded keyword names. The web page and the API share these rules (`requete_nom`).

Paging is `search_after` over a stable sort (every sort ends with `numero_unique`), so deep pages (beyond 10 000
results) work; the cursor `suivant` is opaque (base64 of the sort key and the sort values of the last hit), valid
only for the sort it was made with.

Brouillons are indexed but only visible to their registering organisation (`organisation` argument).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from elasticsearch import Elasticsearch

from indexing.text import fold
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

# Sortable columns: `tri` value → indexed fields, ascending; `-value` sorts descending (`tri=-date_depot`). Every sort
# ends with `numero_unique` (unique), so `search_after` never skips nor repeats a demande; absent values come last.
# The name sorts on the folded name (case and accents ignored: « Élise » between « Durand » and « Fabre »).
TRIS: dict[str, tuple[str, ...]] = {
    "numero_unique": ("numero_unique",),
    "date_depot": ("date_depot",),
    "date_renouvellement": ("date_renouvellement",),
    "etat": ("etat",),
    "demandeur": ("demandeur_nom_tri", "demandeur_prenom_tri"),
}
TRIS_ADMIS: tuple[str, ...] = tuple(v for cle in TRIS for v in (cle, f"-{cle}"))
# Without `tri`: oldest filing first (seniority), or, with a name typed, the best match first.
TRI_DEFAUT = "date_depot"
PERTINENCE = "pertinence"

JOKER = "%"

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


class MotifInvalide(ValueError):
    """A name pattern that cannot be searched (message in French, shown to the agent)."""


class TriInconnu(ValueError):
    pass


def encode_cursor(tri: str, sort_values: list[Any]) -> str:
    raw = json.dumps({"tri": tri, "apres": sort_values}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, tri: str, sort: list[dict[str, Any]]) -> list[Any]:
    """The sort values after which the page starts; the cursor must come from a search with the same sort."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("curseur illisible") from exc
    values = data.get("apres") if isinstance(data, dict) else None
    if not isinstance(values, list) or len(values) != len(sort):
        raise InvalidCursor("curseur ne correspondant pas à cette recherche")
    if data.get("tri") != tri:
        raise InvalidCursor("curseur d'un autre tri : relancez la recherche")
    return values


def cle_tri(tri: str | None, avec_texte: bool) -> str:
    """The sort in force: the requested `tri`, else relevance when a name is typed, else the default."""
    if tri is None:
        return PERTINENCE if avec_texte else TRI_DEFAUT
    if tri not in TRIS_ADMIS:
        raise TriInconnu(f"tri inconnu : valeurs admises {', '.join(TRIS_ADMIS)}")
    return tri


def sort_clause(cle: str) -> list[dict[str, Any]]:
    """Elasticsearch sort of a sort key (`cle_tri`), always ending with `numero_unique`."""
    if cle == PERTINENCE:
        return [{"_score": "desc"}, *sort_clause(TRI_DEFAUT)]
    ordre = "desc" if cle.startswith("-") else "asc"
    champs = TRIS[cle.removeprefix("-")]
    sort: list[dict[str, Any]] = [{c: {"order": ordre, "missing": "_last"}} for c in champs if c != "numero_unique"]
    sort.append({"numero_unique": {"order": ordre if "numero_unique" in champs else "asc"}})
    return sort


def _motif(plie: str) -> str:
    """Folded text with `%` → a wildcard pattern: `*` and `?` typed literally are escaped, `%` becomes `*`."""
    pieces = [p.replace("\\", "\\\\").replace("*", "\\*").replace("?", "\\?") for p in plie.split(JOKER)]
    motif = "*".join(pieces)
    while "**" in motif:
        motif = motif.replace("**", "*")
    return motif


def requete_nom(texte: str) -> dict[str, Any]:
    """The name part of the search. `%` at the end only: "starts with", the fuzzy/prefix search of `name_query`;
    `%` anywhere else: a wildcard pattern on the folded names and first names. Only `%`: `MotifInvalide`."""
    brut = texte.strip()
    if not fold(brut.replace(JOKER, "")):
        if JOKER in brut:
            raise MotifInvalide("Saisissez au moins une lettre en plus de « % » (exemple : DUP%T).")
        return name_query(brut)
    debut = brut.rstrip(JOKER).strip()
    if JOKER not in debut:
        return name_query(debut)
    motif = _motif(fold(brut))
    return {
        "bool": {
            "should": [
                {"wildcard": {"noms_plies": {"value": motif, "case_insensitive": True, "boost": 2}}},
                {"wildcard": {"prenoms_plies": {"value": motif, "case_insensitive": True}}},
            ],
            "minimum_should_match": 1,
        }
    }


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
    tri: str | None = None


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
        must.append(requete_nom(criteres.q))
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
    cle = cle_tri(criteres.tri, bool(criteres.q and criteres.q.strip()))
    sort = sort_clause(cle)
    query = build_query(criteres, organisation)
    kwargs: dict[str, Any] = {}
    if criteres.suivant:
        kwargs["search_after"] = decode_cursor(criteres.suivant, cle, sort)
    limit = max(1, min(criteres.limit, LIMIT_MAX))
    response = client.search(
        index=alias,
        query=query,
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
        "tri": cle,
        "suivant": encode_cursor(cle, hits[-1]["sort"]) if len(hits) == limit else None,
    }
