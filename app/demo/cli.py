"""`flask --app app demo generer N` and `flask --app app demo initialiser` (called by `make run`)."""

from __future__ import annotations

import click
from flask import Flask
from tqdm import tqdm

INITIAL_DEMANDES = 20_000


def creer_comptes_demo() -> None:
    """Hook of `demo initialiser` for the demo accounts (the authentication module fills it in)."""
    try:
        from app.auth.demo import create_demo_accounts
    except ImportError:
        return
    from flask import current_app

    if not current_app.config["SETTINGS"].demo_mode:
        return
    for login, role, organisation in create_demo_accounts():
        click.echo(f"Compte de démonstration : {login} ({role}, {organisation})")


def generer_avec_barre(n: int, batch_size: int, seed: int | None) -> int:
    from app.demo.generator import generer

    with tqdm(total=n, unit="demande", desc="Demandes de démonstration") as bar:
        return generer(n, batch_size=batch_size, seed=seed, progress=bar.update)


def register(app: Flask) -> None:
    @app.cli.group("demo")
    def demo_group() -> None:
        """Données de démonstration."""

    @demo_group.command("generer")
    @click.argument("n", type=click.IntRange(min=1))
    @click.option("--lot", "batch_size", default=500, show_default=True, help="Demandes par transaction.")
    @click.option("--graine", "seed", type=int, default=None, help="Graine aléatoire (reproductible).")
    def generer(n: int, batch_size: int, seed: int | None) -> None:
        """Génère N demandes réalistes de Haute-Garonne (par le service des demandes)."""
        total = generer_avec_barre(n, batch_size, seed)
        click.echo(f"{total} demandes générées.")

    @demo_group.command("initialiser")
    @click.option("--nombre", "n", default=INITIAL_DEMANDES, show_default=True)
    def initialiser(n: int) -> None:
        """Comptes de démonstration, puis N demandes si la table des demandes est vide."""
        from sqlalchemy import func, select

        from app.demandes.models import Demande
        from app.extensions import db

        creer_comptes_demo()
        existing = db.session.scalar(select(func.count()).select_from(Demande))
        if existing:
            click.echo(f"{existing} demandes déjà présentes : pas de génération.")
            return
        total = generer_avec_barre(n, 500, seed=None)
        click.echo(f"{total} demandes de démonstration générées.")
