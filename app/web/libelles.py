"""French labels of the codes shown on the pages (the agents' words)."""

from __future__ import annotations

from matching.codes import MOTIFS, PRIORITES

ETATS = {"brouillon": "Brouillon", "active": "Active", "satisfaite": "Satisfaite", "radiee": "Radiée"}
SITUATIONS = {
    "celibataire": "Célibataire",
    "marie": "Marié(e)",
    "pacse": "Pacsé(e)",
    "concubinage": "Concubinage",
    "divorce": "Divorcé(e)",
    "separe": "Séparé(e)",
    "veuf": "Veuf(ve)",
}
LIENS = {
    "conjoint": "Conjoint",
    "pacs": "Partenaire de PACS",
    "concubin": "Concubin",
    "ascendant": "Ascendant",
    "descendant": "Descendant",
    "fratrie": "Frère / sœur",
    "autre": "Autre",
}
LOGEMENTS_ACTUELS = {
    "locataire_hlm": "Locataire HLM",
    "locataire_prive": "Locataire du parc privé",
    "proprietaire": "Propriétaire",
    "heberge_famille": "Hébergé(e) par la famille",
    "heberge_tiers": "Hébergé(e) par un tiers",
    "structure_hebergement": "Structure d'hébergement",
    "logement_temporaire": "Logement temporaire",
    "sans_logement": "Sans logement",
    "autre": "Autre",
}
MOTIFS_RADIATION = {
    "non_renouvellement": "Non-renouvellement",
    "attribution": "Attribution",
    "renonciation": "Renonciation",
    "irrecevabilite": "Irrecevabilité",
    "injoignable": "Injoignable",
    "fusion": "Fusion",
}
EVENEMENTS = {
    "creation": "Création",
    "enregistrement": "Enregistrement",
    "modification": "Modification",
    "renouvellement": "Renouvellement",
    "radiation": "Radiation",
    "reactivation": "Réactivation",
    "designation": "Désignation par un réservataire",
    "cal_inscription": "Inscription sur une liste CAL",
    "cal_ordre": "Changement de rang sur une liste CAL",
    "cal_decision": "Décision de la CAL",
    "proposition": "Proposition",
    "reponse_proposition": "Réponse du demandeur",
    "bail_signe": "Bail signé",
}


def libelle(table: dict[str, str], code: str | None) -> str:
    if code is None:
        return ""
    return table.get(code, code)


def priorite(code: str) -> str:
    return PRIORITES.libelles.get(code, code)


def motif(code: str) -> str:
    return MOTIFS.libelles.get(code, code)


def filters() -> dict:
    """Jinja filters registered by the blueprint."""
    return {
        "etat": lambda c: libelle(ETATS, c),
        "situation": lambda c: libelle(SITUATIONS, c),
        "lien": lambda c: libelle(LIENS, c),
        "logement_actuel": lambda c: libelle(LOGEMENTS_ACTUELS, c),
        "motif_radiation": lambda c: libelle(MOTIFS_RADIATION, c),
        "evenement": lambda c: libelle(EVENEMENTS, c),
        "priorite": priorite,
        "motif": motif,
        "date_fr": date_fr,
        "dict_sans": lambda d, key: {k: v for k, v in d.items() if k != key},
        "dict_avec": lambda d, key, value: {**d, key: value},
        "euros": euros,
    }


def euros(value) -> str:
    if value is None or value == "" or not isinstance(value, int | float | str):
        return ""
    return f"{int(value):,} €".replace(",", "\u202f")


def date_fr(value) -> str:
    """2024-03-05 (str, date or datetime) → 05/03/2024."""
    if not value:
        return ""
    if isinstance(value, str):
        value = value[:10]
        parts = value.split("-")
        return f"{parts[2]}/{parts[1]}/{parts[0]}" if len(parts) == 3 else value
    return value.strftime("%d/%m/%Y")
