"""The main menu: one entry per page family, shown only to the roles holding its permission."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from app.auth.context import Actor
from app.auth.permissions import Permission


@dataclass(frozen=True)
class Entree:
    endpoint: str
    libelle: str
    permission: Permission
    description: str


MENU: tuple[Entree, ...] = (
    Entree(
        "web.recherche_demandes",
        "Demandes",
        Permission.DEMANDES_LIRE,
        "Rechercher un demandeur par nom, numéro unique, état, organisme.",
    ),
    Entree(
        "web.logements_vacants",
        "Logements vacants",
        Permission.LOGEMENTS_LIRE,
        "Enregistrer un logement, rechercher ses candidats.",
    ),
    Entree(
        "web.recherche_logement",
        "Recherche par logement",
        Permission.CANDIDATS_LIRE,
        "Décrire le logement recherché et obtenir les candidats classés et expliqués.",
    ),
    Entree(
        "web.listes_cal",
        "Listes CAL",
        Permission.CAL_LIRE,
        "Préparer la commission, saisir décisions, propositions et réponses.",
    ),
    Entree(
        "web.propositions",
        "Propositions de la nuit",
        Permission.CANDIDATS_LIRE,
        "Présélections calculées chaque nuit pour les logements vacants.",
    ),
    Entree("web.suivi", "Suivi", Permission.CANDIDATS_LIRE, "Avancement des imports et du calcul de la nuit."),
    Entree(
        "web.suivi", "Suivi", Permission.DEMANDES_IMPORTER, "Importer des demandes et suivre l'avancement des imports."
    ),
    Entree(
        "web.statistiques",
        "Statistiques",
        Permission.STATISTIQUES,
        "Stocks à une date, flux sur une période, graphiques et exports CSV.",
    ),
    Entree(
        "web.administration",
        "Administration",
        Permission.ADMINISTRATION,
        "Utilisateurs, organisations, grilles de cotation, plafonds.",
    ),
)


def menu_for(actor: Actor | None) -> list[Entree]:
    if actor is None:
        return []
    entrees = [e for e in MENU if e.endpoint in current_app.view_functions and actor.can(e.permission)]
    return [e for i, e in enumerate(entrees) if e.endpoint not in {x.endpoint for x in entrees[:i]}]
