"""A search hit (document of the `demandes` index) → an explained, ranked candidate for a logement.

The index selects and orders; this module explains. The document carries everything the rules read, so the
rules of `matching.rules` run again on it (`demande_depuis_document`) and every line of the explanation comes
from the same code as the eligibility decision.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any

from matching.cotation import grille_pour_epci, points
from matching.dates import to_date
from matching.demande import Demande
from matching.format import euros, pourcent
from matching.logement import Logement
from matching.menage import categorie_menage
from matching.options import MatchingOptions
from matching.plafonds import PlafondInconnu, resoudre_plafond
from matching.ranking import adaptation_prioritaire, anciennete_mois, groupe_priorite, libelle_groupe
from matching.referentiel import Referentiel
from matching.rules import evaluate


def demande_depuis_document(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The demande contract fields the rules read, rebuilt from an index document."""
    return {
        "numero_unique": doc["numero_unique"],
        "etat": doc.get("etat"),
        "date_depot": doc.get("date_depot"),
        "demandeur": {
            "nom": doc.get("demandeur_nom"),
            "prenom": doc.get("demandeur_prenom"),
            "date_naissance": doc.get("demandeur_date_naissance"),
        },
        "co_demandeurs": list(doc.get("co_demandeurs") or []),
        "personnes_a_charge": doc.get("personnes_a_charge") or 0,
        "enfants_droit_visite": doc.get("enfants_droit_visite") or 0,
        "naissances_attendues": doc.get("naissances_attendues") or 0,
        "personnes_handicapees": doc.get("personnes_handicapees") or 0,
        "besoin_logement_adapte": bool(doc.get("besoin_logement_adapte")),
        "revenu_fiscal_reference": doc.get("revenu_fiscal_reference") or 0,
        "ressources_mensuelles": doc.get("ressources_mensuelles") or 0,
        "salarie_secteur_prive": bool(doc.get("salarie_secteur_prive")),
        "agent_etat": bool(doc.get("agent_etat")),
        "logement_actuel": doc.get("logement_actuel"),
        "priorites": list(doc.get("priorites") or []),
        "dalo": bool(doc.get("dalo")),
        "souhaits": {
            "communes": list(doc.get("souhait_communes") or []),
            "secteurs": [*(doc.get("souhait_secteurs_epci") or []), *(doc.get("souhait_secteurs_departements") or [])],
            "elargissement": bool(doc.get("elargissement")),
            "typologies": list(doc.get("typologies") or []),
            "type_bien": doc.get("type_bien") or "indifferent",
            "rdc_accepte": doc.get("rdc_accepte"),
            "sans_ascenseur_accepte": doc.get("sans_ascenseur_accepte"),
            "parking": bool(doc.get("parking")),
            "loyer_max": doc.get("loyer_max"),
        },
    }


def rang_commune(demande: Demande, commune: str) -> int | None:
    """Position (1-based) of the commune among the wished communes: the "N° choix" of the shared-file screens."""
    communes = list((demande.get("souhaits") or {}).get("communes") or [])
    return communes.index(commune) + 1 if commune in communes else None


def taux_effort(logement: Logement, ressources_mensuelles: int) -> float | None:
    if ressources_mensuelles <= 0:
        return None
    return round(float(Fraction(str(logement.cout_mensuel)) / ressources_mensuelles), 4)


def _date_fr(value: date | str | None) -> str:
    parsed = to_date(value)
    return parsed.strftime("%d/%m/%Y") if parsed else "date inconnue"


def _plafond(demande: Demande, logement: Logement, on: date) -> dict[str, Any] | None:
    cat = categorie_menage(demande, on)
    try:
        p = resoudre_plafond(
            logement.financement, cat.categorie, cat.personnes_supplementaires, logement.annee_bareme, logement.commune
        )
    except PlafondInconnu:
        return None
    rfr = int(demande.get("revenu_fiscal_reference") or 0)
    return {"montant": p.montant, "libelle": p.libelle(), "marge": p.montant - rfr, "annee": p.annee_appliquee}


def expliquer(
    doc: Mapping[str, Any],
    logement: Logement,
    referentiel: Referentiel,
    options: MatchingOptions,
    rang: int,
) -> dict[str, Any]:
    """The candidate as the API shows it: identity, household, seniority, group, points, ceiling, explanation."""
    demande = demande_depuis_document(doc)
    on = options.on
    cat = categorie_menage(demande, on)
    groupe = groupe_priorite(demande)
    anciennete = anciennete_mois(demande["date_depot"], on) if demande.get("date_depot") else 0
    grid_id, grid = grille_pour_epci(referentiel.epci_of(logement.commune))
    calcule_le = to_date(doc.get("calcule_le")) or on
    total, detail = points(demande, grid, calcule_le) if demande.get("date_depot") else (0, [])
    indexed = (doc.get("points_cotation") or {}).get(grid_id)
    if indexed is not None:
        total = int(indexed)
    plafond = _plafond(demande, logement, on)
    taux = taux_effort(logement, int(demande["ressources_mensuelles"]))
    eligibility = evaluate(demande, logement, referentiel, options)
    adapte = adaptation_prioritaire(demande, logement)
    choix = rang_commune(demande, logement.commune)

    raisons = []
    if adapte:
        raisons.append("besoin d'un logement adapté, prioritaire sur ce logement adapté")
    raisons.append(libelle_groupe(groupe).lower() if groupe != 2 else "ni DALO ni public prioritaire")
    if options.strategie == "cotation":
        raisons.append(f"{total} points de cotation ({grid['libelle']})")
    raisons.append(f"demande déposée le {_date_fr(demande['date_depot'])}, {anciennete} mois d'ancienneté")
    phrases = [f"Rang {rang} : " + " ; ".join(raisons) + "."]
    if choix:
        phrases.append(f"Commune du logement en choix n° {choix}.")
    if plafond:
        phrases.append(
            f"Ressources : revenu fiscal {euros(demande['revenu_fiscal_reference'])} pour un {plafond['libelle']} "
            f"(marge {euros(plafond['marge'])})."
        )
    if taux is not None:
        phrases.append(f"Taux d'effort {pourcent(taux)} (hors aides au logement).")
    a_verifier = [r for r in eligibility.resultats if r.ok is not True]
    if a_verifier:
        phrases.append("À vérifier : " + " ; ".join(f"{r.libelle} — {r.explication}" for r in a_verifier) + ".")

    return {
        "rang": rang,
        "numero_unique": demande["numero_unique"],
        "demandeur": {"nom": doc.get("demandeur_nom"), "prenom": doc.get("demandeur_prenom")},
        "co_demandeurs": [{"nom": p.get("nom"), "prenom": p.get("prenom")} for p in demande["co_demandeurs"]],
        "nb_personnes": doc.get("nb_personnes"),
        "nb_personnes_occupation": doc.get("nb_personnes_occupation"),
        "categorie_menage": {
            "categorie": cat.categorie,
            "personnes_supplementaires": cat.personnes_supplementaires,
            "libelle": cat.libelle(),
            "motif": cat.motif,
        },
        "date_depot": demande["date_depot"],
        "anciennete_mois": anciennete,
        "groupe_priorite": {"code": groupe, "libelle": libelle_groupe(groupe)},
        "besoin_logement_adapte": demande["besoin_logement_adapte"],
        "dalo": demande["dalo"],
        "priorites": demande["priorites"],
        "points": {
            "grille": grid_id,
            "total": total,
            "detail": [{"code": c, "libelle": lib, "points": v} for c, lib, v in detail],
        },
        "revenu_fiscal_reference": demande["revenu_fiscal_reference"],
        "plafond": plafond,
        "taux_effort": taux,
        "choix_commune": choix,
        "logement_actuel": demande["logement_actuel"],
        "explication": " ".join(phrases),
        "regles": [
            {"code": r.code, "libelle": r.libelle, "ok": r.ok, "explication": r.explication}
            for r in eligibility.resultats
        ],
        "eligible": eligibility.eligible,
    }
