"""`flask --app app ...` commands."""

from __future__ import annotations

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    from app.auth.cli import register as register_auth_cli

    register_auth_cli(app)

    @app.cli.group("referentiel")
    def referentiel_group() -> None:
        """Référentiel territorial (communes, EPCI, départements)."""

    @referentiel_group.command("charger")
    @click.option("--force", is_flag=True, help="Recharger même si cette version est déjà chargée.")
    def charger(force: bool) -> None:
        """Charge le référentiel depuis le paquet npm @etalab/decoupage-administratif épinglé."""
        from app.referentiel.loader import load_referentiel

        counts = load_referentiel(force=force)
        if counts is None:
            click.echo("Référentiel déjà à jour.")
        else:
            click.echo(
                f"Référentiel chargé : {counts['communes']} communes, {counts['epci']} EPCI, "
                f"{counts['departements']} départements."
            )
