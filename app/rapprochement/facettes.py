"""Facets of the candidate list, declared as configuration (Invenio's practice): one entry per facet with its
French label, its bucket queries and the filter that selecting values applies.

Every facet is expressed as a `filters` aggregation of named queries, so that the same query serves the count
of a bucket and the filter of its selection: counts and filtered results cannot disagree. Selections go to the
`post_filter`; each facet is counted under the selections of the other facets only (disjunctive facets), so a
selected facet keeps showing the counts of its other values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from app.referentiel.service import referentiel
from app.statistiques import seuils
from matching.dates import add_months
from matching.format import euros
from matching.logement import Logement
from matching.ranking import GROUPE_PRIORITAIRE, GROUPES_PRIORITE

Query = dict[str, Any]
TAILLE_MAX = 8  # household sizes beyond this are one bucket "8+"
CHOIX_MAX = 10  # wished-commune ranks shown one by one
BANDES_ANCIENNETE: tuple[tuple[str, str, int, int | None], ...] = (
    ("moins_12", "Moins de 12 mois", 0, 12),
    ("12_24", "De 12 à 24 mois", 12, 24),
    ("24_36", "De 24 à 36 mois", 24, 36),
    ("36_plus", "36 mois et plus", 36, None),
)
LOGEMENTS_ACTUELS_LIBELLES: dict[str, str] = {
    "locataire_hlm": "Locataire HLM",
    "locataire_prive": "Locataire du parc privé",
    "proprietaire": "Propriétaire",
    "heberge_famille": "Hébergé par la famille",
    "heberge_tiers": "Hébergé par un tiers",
    "structure_hebergement": "Structure d'hébergement",
    "logement_temporaire": "Logement temporaire",
    "sans_logement": "Sans logement",
    "autre": "Autre",
    "non_renseigne": "Non renseigné",
}
CONTINGENTS_LIBELLES: dict[str, str] = {
    "prefecture": "Éligible au contingent préfectoral",
    "prefecture_agents_etat": "Éligible au contingent des agents de l'État",
    "action_logement": "Éligible au contingent Action Logement",
    "collectivite": "Éligible au contingent d'une collectivité",
    "bailleur": "Éligible au contingent du bailleur",
}


@dataclass(frozen=True)
class Facette:
    code: str
    libelle: str
    # (logement, date of the run) -> ordered {value: (label, query)}
    buckets: Callable[[Logement, date], dict[str, tuple[str, Query]]]
    exclusive: bool = True  # buckets partition the candidates (their counts sum to the total)


def _groupes(_lgt: Logement, _on: date) -> dict[str, tuple[str, Query]]:
    return {str(g): (lib, {"term": {"groupe_priorite": g}}) for g, lib in GROUPES_PRIORITE.items()}


def _tailles(_lgt: Logement, _on: date) -> dict[str, tuple[str, Query]]:
    out = {str(n): (f"{n} personne{'s' if n > 1 else ''}", {"term": {"nb_personnes": n}}) for n in range(1, TAILLE_MAX)}
    out[f"{TAILLE_MAX}+"] = (f"{TAILLE_MAX} personnes et plus", {"range": {"nb_personnes": {"gte": TAILLE_MAX}}})
    return out


def _anciennete(_lgt: Logement, on: date) -> dict[str, tuple[str, Query]]:
    """Seniority >= m months ⇔ date_depot <= on − m months (the month-end clamp of `add_months` aside)."""
    out: dict[str, tuple[str, Query]] = {}
    for code, libelle, mini, maxi in BANDES_ANCIENNETE:
        bornes: dict[str, str] = {"lte": add_months(on, -mini).isoformat()}
        if maxi is not None:
            bornes["gt"] = add_months(on, -maxi).isoformat()
        out[code] = (libelle, {"range": {"date_depot": bornes}})
    return out


def _logement_actuel(_lgt: Logement, _on: date) -> dict[str, tuple[str, Query]]:
    out = {
        code: (lib, {"term": {"logement_actuel": code}})
        for code, lib in LOGEMENTS_ACTUELS_LIBELLES.items()
        if code != "non_renseigne"
    }
    out["non_renseigne"] = (
        LOGEMENTS_ACTUELS_LIBELLES["non_renseigne"],
        {"bool": {"must_not": [{"terms": {"logement_actuel": [c for c in out]}}]}},
    )
    return out


def _contingents(_lgt: Logement, _on: date) -> dict[str, tuple[str, Query]]:
    tous: Query = {"match_all": {}}
    return {
        "prefecture": (CONTINGENTS_LIBELLES["prefecture"], {"range": {"groupe_priorite": {"lte": GROUPE_PRIORITAIRE}}}),
        "prefecture_agents_etat": (CONTINGENTS_LIBELLES["prefecture_agents_etat"], {"term": {"agent_etat": True}}),
        "action_logement": (CONTINGENTS_LIBELLES["action_logement"], {"term": {"salarie_secteur_prive": True}}),
        "collectivite": (CONTINGENTS_LIBELLES["collectivite"], tous),
        "bailleur": (CONTINGENTS_LIBELLES["bailleur"], tous),
    }


def _choix_commune(lgt: Logement, _on: date) -> dict[str, tuple[str, Query]]:
    out = {
        str(k): (f"Choix n° {k}", {"term": {"souhait_communes_rangs": f"{k}:{lgt.commune}"}})
        for k in range(1, CHOIX_MAX + 1)
    }
    out["secteur"] = (
        "Commune non citée (secteur ou communes voisines)",
        {"bool": {"must_not": [{"term": {"souhait_communes": lgt.commune}}]}},
    )
    return out


def _premier_quartile(lgt: Logement, on: date) -> dict[str, tuple[str, Query]]:
    """Households at or below the first-quartile threshold of the logement's EPCI for the year (mixité, domain §7),
    on resources per consumption unit; no buckets (the facet is not shown) when no threshold is configured."""
    valeur = seuils.seuil(referentiel().epci_of(lgt.commune), on.year)
    if valeur is None:
        return {}
    montant = float(valeur)
    return {
        "oui": (
            f"Premier quartile (au plus {euros(montant)} par UC, seuil {on.year})",
            {"range": {"ressources_par_uc": {"lte": montant}}},
        ),
        "non": ("Au-dessus du seuil", {"range": {"ressources_par_uc": {"gt": montant}}}),
        "inconnu": ("Ressources non renseignées", {"bool": {"must_not": [{"exists": {"field": "ressources_par_uc"}}]}}),
    }


FACETTES: dict[str, Facette] = {
    f.code: f
    for f in (
        Facette("groupe_priorite", "Groupe de priorité", _groupes),
        Facette("taille_menage", "Taille du ménage", _tailles),
        Facette("anciennete", "Ancienneté de la demande", _anciennete),
        Facette("logement_actuel", "Logement actuel", _logement_actuel),
        Facette("contingent", "Éligibilité par contingent", _contingents, exclusive=False),
        Facette("choix_commune", "Rang de la commune dans les souhaits (N° choix)", _choix_commune),
        Facette("premier_quartile", "Premier quartile de ressources", _premier_quartile),
    )
}


Buckets = dict[str, tuple[str, Query]]


def applicables(lgt: Logement, on: date) -> dict[str, Buckets]:
    """The buckets of every facet that applies to this logement at this date (a facet without buckets, such as the
    first quartile without a threshold, is left out). Computed once per request: some read the database."""
    return {code: buckets for code, facette in FACETTES.items() if (buckets := facette.buckets(lgt, on))}


def filtre_selection(buckets: Buckets, valeurs: list[str]) -> Query:
    """OR of the selected buckets of one facet."""
    return {"bool": {"should": [buckets[v][1] for v in valeurs], "minimum_should_match": 1}}
