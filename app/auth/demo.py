"""Demo accounts, one per role, created by `make run` in demo mode only (FP_DEMO=1)."""

from __future__ import annotations

import os

from flask import current_app
from sqlalchemy import select

from app.auth import service
from app.auth.models import Utilisateur
from app.extensions import db

DEMO_ORGANISATIONS = [
    # (code, nom, type, contingents, login, role)
    (
        "ATLAS",
        "Association ATLAS — gestion du fichier partagé",
        "gestionnaire",
        [],
        "demo-gestionnaire",
        "gestionnaire",
    ),
    ("HABITAT31", "Habitat social 31 (bailleur)", "bailleur", [], "demo-bailleur", "agent_bailleur"),
    (
        "PREF31",
        "Préfecture de la Haute-Garonne",
        "reservataire_etat",
        ["prefecture", "prefecture_agents_etat"],
        "demo-reservataire",
        "reservataire",
    ),
    ("GUICHET-TLSE", "Guichet enregistreur de Toulouse", "guichet", [], "demo-guichet", "guichet"),
    ("OBS-HABITAT", "Observatoire de l'habitat", "observatoire", [], "demo-observatoire", "observatoire"),
]


def create_demo_accounts() -> list[tuple[str, str, str]]:
    """(login, role, organisation) of each demo account; their password is DEMO_PASSWORD from the env file."""
    if not current_app.config["SETTINGS"].demo_mode:
        raise RuntimeError("les comptes de démonstration n'existent qu'en mode démo (FP_DEMO=1)")
    password = os.environ.get("DEMO_PASSWORD")
    if not password:
        raise RuntimeError("DEMO_PASSWORD manquant dans le fichier d'environnement (scripts/services.sh le génère)")
    accounts = []
    for code, nom, type_, contingents, login, role in DEMO_ORGANISATIONS:
        service.create_organisation(code, nom, type_, contingents)
        if db.session.scalar(select(Utilisateur.id).where(Utilisateur.login == login)) is None:
            service.create_user(login, code, [role], password, demo=True)
        accounts.append((login, role, code))
    return accounts
