"""`flask --app app ...` commands."""

from __future__ import annotations

import click
from flask import Flask


def register_cli(app: Flask) -> None:
    from app.auth.cli import register as register_auth_cli

    register_auth_cli(app)

    from app.indexing_cli import register as register_index_cli

    register_index_cli(app)

    from app.demandes.cli import register as register_demandes_cli
    from app.demo.cli import register as register_demo_cli

    register_demandes_cli(app)

    from app.shortlists.cli import register as register_shortlists_cli

    register_shortlists_cli(app)
    register_demo_cli(app)

    @app.cli.command("effacer-donnees-expirees")
    def effacer_donnees_expirees() -> None:
        """Efface les données personnelles des demandes radiées depuis plus d'un an."""
        from app.retention import erase_expired

        erased = erase_expired()
        click.echo(f"{len(erased)} demande(s) pseudonymisée(s).")

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
