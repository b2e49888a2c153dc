"""Elasticsearch request bodies for a vacant logement (rule clauses, candidates, sort) and the name search.

Every eligibility rule that can be expressed on the indexed document becomes one filter clause, keyed by the
rule code (`rule_clauses`); a rule always satisfied for this logement (e.g. `rdc` on an upper floor) has no
clause. The cluster runs no scripts, so:

* ressources: the index stores the household's category, not its ceiling (ceilings depend on the financing,
  the year of availability and, for PLI, the zone of the logement). The clause is a bool/should over
  categories: ``categorie_menage == c AND revenu_fiscal_reference <= plafond(c)`` for c = 1..5, and for
  category 6 one branch per extra-person count up to `options.personnes_supplementaires_max`. Larger
  households, and categories whose ceiling is unknown (PLI beyond two persons), are kept without a resource
  bound: `rules.evaluate` then reports them as "à vérifier". When no ceiling at all is known for the
  financing and year, the clause is absent.
* ranking keys (priority group, adaptation need, cotation points per grid) are precomputed fields, so the
  sort is a plain multi-key sort.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from indexing.text import fold
from matching.cotation import grille_pour_epci
from matching.logement import Logement, as_logement
from matching.occupation import occupants_max, occupants_min
from matching.options import MatchingOptions
from matching.plafonds import PlafondInconnu, plafond
from matching.ranking import GROUPE_PRIORITAIRE
from matching.referentiel import Referentiel
from matching.rules import codes_actifs
from matching.rules.etat import ETAT_CANDIDAT
from matching.rules.loyer import ressources_minimales

Query = dict[str, Any]
CATEGORIE_MAX = 6


def _term(field: str, value: Any) -> Query:
    return {"term": {field: value}}


def _all(*clauses: Query) -> Query:
    return {"bool": {"filter": list(clauses)}}


def _any(*clauses: Query) -> Query:
    return {"bool": {"should": list(clauses), "minimum_should_match": 1}}


def clause_localisation(lgt: Logement, referentiel: Referentiel) -> Query:
    epci = referentiel.epci_of(lgt.commune)
    branches = [
        _term("souhait_communes", lgt.commune),
        _term("souhait_secteurs_departements", referentiel.departement_of(lgt.commune)),
    ]
    if epci is not None:
        branches.append(_term("souhait_secteurs_epci", epci))
        branches.append(_all(_term("elargissement", True), _term("epci_premier_choix", epci)))
    return _any(*branches)


def _branche_ressources(lgt: Logement, categorie: int, supplementaires: int | None) -> Query:
    """Category branch; `supplementaires` None for categories 1-5 (no extra-person condition)."""
    conditions = [_term("categorie_menage", categorie)]
    if supplementaires is not None:
        conditions.append(_term("personnes_supplementaires", supplementaires))
    try:
        montant = plafond(lgt.financement, categorie, supplementaires or 0, lgt.annee_bareme, lgt.commune)
    except PlafondInconnu:
        return _all(*conditions)  # unknown ceiling: kept, checked by rules.evaluate
    return _all(*conditions, {"range": {"revenu_fiscal_reference": {"lte": montant}}})


def clause_ressources(lgt: Logement, options: MatchingOptions) -> Query | None:
    if not _any_category_known(lgt):
        return None
    branches = [_branche_ressources(lgt, c, None) for c in range(1, CATEGORIE_MAX)]
    extra_max = options.personnes_supplementaires_max
    branches += [_branche_ressources(lgt, CATEGORIE_MAX, k) for k in range(extra_max + 1)]
    branches.append({"range": {"personnes_supplementaires": {"gt": extra_max}}})
    return _any(*branches)


def _any_category_known(lgt: Logement) -> bool:
    for categorie in range(1, CATEGORIE_MAX + 1):
        try:
            plafond(lgt.financement, categorie, 0, lgt.annee_bareme, lgt.commune)
        except PlafondInconnu:
            continue
        return True
    return False


def clause_contingent(lgt: Logement) -> Query | None:
    if lgt.contingent == "action_logement":
        return _term("salarie_secteur_prive", True)
    if lgt.contingent == "prefecture":
        return {"range": {"groupe_priorite": {"lte": GROUPE_PRIORITAIRE}}}
    if lgt.contingent == "prefecture_agents_etat":
        return _term("agent_etat", True)
    return None


def clause_occupation(lgt: Logement) -> Query:
    bornes: dict[str, int] = {"gte": occupants_min(lgt.typologie)}
    maximum = occupants_max(lgt.surface)
    if maximum is not None:
        bornes["lte"] = maximum
    return {"range": {"nb_personnes_occupation": bornes}}


def clause_loyer(lgt: Logement) -> Query:
    return _any(
        {"bool": {"must_not": [{"exists": {"field": "loyer_max"}}]}},
        {"range": {"loyer_max": {"gte": lgt.cout_mensuel}}},
    )


def clause_taux_effort(lgt: Logement, taux_max: float) -> Query:
    """Resources >= cost / max (integer euros, rounded up); at least 1 € since zero resources always fail."""
    minimum = max(math.ceil(ressources_minimales(lgt.cout_mensuel, taux_max)), 1)
    return {"range": {"ressources_mensuelles": {"gte": minimum}}}


def rule_clauses(
    logement: Logement | Mapping[str, Any], referentiel: Referentiel, options: MatchingOptions | None = None
) -> dict[str, Query]:
    """Filter clause per rule code, in rule order; rules that cannot exclude anyone here are left out."""
    opts = options or MatchingOptions()
    lgt = as_logement(logement)
    clauses: dict[str, Query | None] = {
        "etat": _term("etat", ETAT_CANDIDAT),
        "localisation": clause_localisation(lgt, referentiel),
        "typologie": _term("typologies", lgt.typologie),
        "type_bien": {"terms": {"type_bien": [lgt.type_bien, "indifferent"]}} if lgt.type_bien_impose else None,
        "rdc": _term("rdc_accepte", True) if lgt.etage == 0 else None,
        "ascenseur": (_term("sans_ascenseur_accepte", True) if lgt.etage > 0 and not lgt.ascenseur else None),
        "adaptation": None if lgt.adapte_handicap else _term("besoin_logement_adapte", False),
        "ressources": clause_ressources(lgt, opts),
        "contingent": clause_contingent(lgt),
        "occupation": clause_occupation(lgt),
        "loyer": clause_loyer(lgt),
        "taux_effort": (clause_taux_effort(lgt, opts.taux_effort_max) if opts.taux_effort_max is not None else None),
    }
    actifs = codes_actifs(opts)
    return {code: q for code, q in clauses.items() if q is not None and code in actifs}


def sort_clause(
    logement: Logement | Mapping[str, Any], referentiel: Referentiel, options: MatchingOptions | None = None
) -> list[Query]:
    """Multi-key sort of the strategy (see matching.ranking and matching.cotation)."""
    opts = options or MatchingOptions()
    lgt = as_logement(logement)
    keys: list[Query] = []
    if lgt.adapte_handicap:
        keys.append({"besoin_logement_adapte": {"order": "desc"}})
    keys.append({"groupe_priorite": {"order": "asc"}})
    if opts.strategie == "cotation":
        grid_id, _ = grille_pour_epci(referentiel.epci_of(lgt.commune))
        keys.append({f"points_cotation.{grid_id}": {"order": "desc", "missing": "_last", "unmapped_type": "integer"}})
    keys.append({"date_depot": {"order": "asc"}})
    keys.append({"numero_unique": {"order": "asc"}})
    return keys


def candidate_query(
    logement: Logement | Mapping[str, Any], referentiel: Referentiel, options: MatchingOptions | None = None
) -> Query:
    """Search body: eligible demandes for the logement, ranked by the chosen strategy."""
    opts = options or MatchingOptions()
    return {
        "query": {"bool": {"filter": list(rule_clauses(logement, referentiel, opts).values())}},
        "sort": sort_clause(logement, referentiel, opts),
        "size": opts.size,
        "track_total_hits": True,
    }


def name_query(texte: str) -> Query:
    """Search by name or numero: folded exact terms first, then fuzzy (1 edit) and prefix typing."""
    plie = fold(texte)
    brut = texte.strip()
    numero = {"value": brut, "case_insensitive": True, "boost": 5}
    should: list[Query] = [{"prefix": {"numero_unique": numero}}]
    if plie:
        should += [
            {"term": {"noms_plies": {"value": plie, "boost": 4}}},
            {"term": {"prenoms_plies": {"value": plie, "boost": 2}}},
            {"match": {"noms_texte": {"query": plie, "operator": "and", "boost": 3}}},
            {"match": {"noms_texte": {"query": plie, "fuzziness": 1, "operator": "and"}}},
            {"match_bool_prefix": {"noms_texte": {"query": plie, "operator": "and"}}},
        ]
    return {"bool": {"should": should, "minimum_should_match": 1}}
