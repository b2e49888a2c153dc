"""`flask shortlists calculer|lister|voir`."""

from __future__ import annotations

from datetime import date

import click
from flask import Flask


def register(app: Flask) -> None:
    @app.cli.group("shortlists")
    def shortlists_group() -> None:
        """Shortlists de la nuit (propositions de candidats pour les logements vacants)."""

    @shortlists_group.command("calculer")
    @click.option("--date", "date_run", type=click.DateTime(["%Y-%m-%d"]), default=None, help="AAAA-MM-JJ")
    @click.option("--n", type=int, default=None, help="Candidats proposés par logement (défaut 5).")
    @click.option("--k", type=int, default=None, help="Propositions au plus par ménage dans la nuit (défaut 1).")
    @click.option("--strategie", type=click.Choice(["priorite_anciennete", "cotation"]), default=None)
    def calculer(date_run, n, k, strategie) -> None:
        """Calcule (ou recalcule, à l'identique) les shortlists d'une date."""
        from app.baremes.service import synchroniser
        from app.shortlists.service import calculer as run

        synchroniser()
        result = run(date_run.date() if date_run else None, n=n, k=k, strategie=strategie)
        click.echo(
            f"Calcul {result.id} du {result.date_run} : {result.logements_traites}/{result.total_logements} "
            f"logements, {result.propositions_count} propositions, {result.logements_en_echec} en échec, "
            f"{result.duree_ms} ms."
        )

    @shortlists_group.command("lister")
    def lister() -> None:
        """Derniers calculs."""
        from app.shortlists.service import lister as runs

        for r in runs():
            click.echo(
                f"{r.date_run}  {r.id}  {r.statut:9}  {r.logements_traites}/{r.total_logements} logements  "
                f"{r.propositions_count} propositions  {r.logements_en_echec} échecs  {r.duree_ms} ms"
            )

    @shortlists_group.command("voir")
    @click.argument("jour", type=click.DateTime(["%Y-%m-%d"]))
    def voir(jour) -> None:
        """Propositions d'une nuit, par logement."""
        from sqlalchemy import select

        from app.extensions import db
        from app.shortlists.models import ShortlistRun
        from app.shortlists.service import detail

        run = db.session.scalar(
            select(ShortlistRun).where(ShortlistRun.date_run == date.fromisoformat(jour.date().isoformat()))
        )
        if run is None:
            raise click.ClickException("Aucun calcul pour cette date.")
        for groupe in detail(run):
            numeros = ", ".join(c["numero_unique"] for c in groupe["candidats"]) or (groupe["erreur"] or "aucun")
            click.echo(f"logement {groupe['logement_id']} : {numeros}")
