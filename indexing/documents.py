"""Demande (API JSON dict) -> Elasticsearch document of the `demandes` index.

The document is flat wherever a filter or a sort needs a field, and carries every ranking key precomputed
(category, priority group, seniority, cotation points per grid), because the cluster runs no scripts.
Values that depend on the date (`anciennete_mois`, `points_cotation`, `jeune_menage`) are computed at `on`
and stored with `calcule_le`: the nightly rebuild (`indexing.reconstruction`) refreshes them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from indexing.text import fold
from matching.cotation import points_par_grille
from matching.dates import to_date
from matching.demande import Demande, entier, personnes, souhaits
from matching.menage import (
    categorie_menage,
    jeune_menage,
    nb_personnes,
    nb_personnes_occupation,
    ressources_par_uc,
)
from matching.ranking import anciennete_mois, groupe_priorite
from matching.referentiel import Referentiel
from matching.rules.localisation import epci_premier_choix
from matching.validite import date_fin_validite


def _iso(value: date | str | None) -> str | None:
    parsed = to_date(value)
    return parsed.isoformat() if parsed else None


def _unique(values: Iterable[str | None]) -> list[str]:
    """Non-empty values, first occurrence order kept."""
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


def _identite(demande: Demande) -> dict[str, Any]:
    gens = personnes(demande)
    demandeur = gens[0]
    noms = [p.get("nom") or "" for p in gens]
    prenoms = [p.get("prenom") or "" for p in gens]
    plies = [fold(t) for t in [*noms, *prenoms]]
    return {
        "demandeur_nom": demandeur.get("nom"),
        "demandeur_prenom": demandeur.get("prenom"),
        # Sort keys: folded here because this cluster has no asciifolding filter for a keyword normalizer.
        "demandeur_nom_tri": fold(demandeur.get("nom") or "") or None,
        "demandeur_prenom_tri": fold(demandeur.get("prenom") or "") or None,
        "demandeur_date_naissance": _iso(demandeur.get("date_naissance")),
        "co_demandeurs": [
            {
                "nom": p.get("nom"),
                "prenom": p.get("prenom"),
                "date_naissance": _iso(p.get("date_naissance")),
                "lien": p.get("lien"),
            }
            for p in gens[1:]
        ],
        "noms": _unique(noms),
        "prenoms": _unique(prenoms),
        "noms_plies": _unique(fold(n) for n in noms),
        "prenoms_plies": _unique(fold(p) for p in prenoms),
        "noms_texte": " ".join(_unique(plies)),
        "dates_naissance": _unique(_iso(p.get("date_naissance")) for p in gens),
    }


def _menage(demande: Demande, on: date) -> dict[str, Any]:
    cat = categorie_menage(demande, on)
    return {
        "situation_familiale": demande.get("situation_familiale"),
        "personnes_a_charge": entier(demande, "personnes_a_charge"),
        "enfants_droit_visite": entier(demande, "enfants_droit_visite"),
        "naissances_attendues": entier(demande, "naissances_attendues"),
        "nb_personnes": nb_personnes(demande),
        "nb_personnes_occupation": nb_personnes_occupation(demande),
        "categorie_menage": cat.categorie,
        "personnes_supplementaires": cat.personnes_supplementaires,
        "jeune_menage": jeune_menage(demande, on),
        "personnes_handicapees": entier(demande, "personnes_handicapees"),
        "handicap": entier(demande, "personnes_handicapees") > 0,
        "besoin_logement_adapte": bool(demande.get("besoin_logement_adapte")),
    }


def _ressources_situation(demande: Demande) -> dict[str, Any]:
    fsl: Mapping[str, Any] = demande.get("fsl") or {}
    return {
        "revenu_fiscal_reference": entier(demande, "revenu_fiscal_reference"),
        "annee_revenu": demande.get("annee_revenu"),
        "ressources_mensuelles": entier(demande, "ressources_mensuelles"),
        "ressources_par_uc": ressources_par_uc(demande),  # first-quartile facet (mixité, domain §7)
        "salarie_secteur_prive": bool(demande.get("salarie_secteur_prive")),
        "agent_etat": bool(demande.get("agent_etat")),
        "logement_actuel": demande.get("logement_actuel"),
        "motifs": list(demande.get("motifs") or []),
        "priorites": list(demande.get("priorites") or []),
        "dalo": bool(demande.get("dalo")),
        "date_decision_dalo": _iso(demande.get("date_decision_dalo")),
        "groupe_priorite": groupe_priorite(demande),
        "collecteur": demande.get("collecteur"),
        "caution": demande.get("caution"),
        "fsl_du": _iso(fsl.get("du")),
        "fsl_au": _iso(fsl.get("au")),
    }


def _souhaits(demande: Demande, referentiel: Referentiel) -> dict[str, Any]:
    s = souhaits(demande)
    return {
        "souhait_communes": list(s.communes),
        "souhait_commune_premier_choix": s.communes[0] if s.communes else None,
        # "<rank>:<commune>" (1-based): the "N° choix" facet of a logement's commune, without scripts.
        "souhait_communes_rangs": [f"{rang}:{commune}" for rang, commune in enumerate(s.communes, start=1)],
        "souhait_epci_des_communes": _unique(referentiel.epci_of(c) for c in s.communes),
        "souhait_departements_des_communes": _unique(referentiel.departement_of(c) for c in s.communes),
        "souhait_secteurs_epci": list(s.secteurs_epci),
        "souhait_secteurs_departements": list(s.secteurs_departements),
        "elargissement": s.elargissement,
        "epci_premier_choix": epci_premier_choix(demande, referentiel),
        "typologies": list(s.typologies),
        "type_bien": s.type_bien,
        "rdc_accepte": s.rdc_accepte,
        "sans_ascenseur_accepte": s.sans_ascenseur_accepte,
        "parking": s.parking,
        "loyer_max": s.loyer_max,
    }


def build_document(demande: Demande, referentiel: Referentiel, on: date) -> dict[str, Any]:
    """The `demandes` index document of one demande, computed at date `on`."""
    depot = to_date(demande.get("date_depot"))
    fin = date_fin_validite(demande)
    document: dict[str, Any] = {
        "numero_unique": demande["numero_unique"],
        "etat": demande.get("etat"),
        "revision": int(demande.get("revision") or 0),
        "organisme_enregistreur": demande.get("organisme_enregistreur"),
        "date_depot": _iso(depot),
        "date_renouvellement": _iso(demande.get("date_renouvellement")),
        "date_fin_validite": fin.isoformat() if fin else None,
        "anciennete_mois": anciennete_mois(depot, on) if depot else 0,
        "calcule_le": on.isoformat(),
    }
    document.update(_identite(demande))
    document.update(_menage(demande, on))
    document.update(_ressources_situation(demande))
    document.update(_souhaits(demande, referentiel))
    document["points_cotation"] = points_par_grille(demande, on) if depot else {}
    return document
