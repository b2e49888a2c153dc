"""`flask --app app demandes ...`: bulk import and the nightly radiation, by hand (same code as the workers)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask import Flask
from tqdm import tqdm


def register(app: Flask) -> None:
    @app.cli.group("demandes")
    def demandes_group() -> None:
        """Demandes de logement social : import en masse, radiations."""

    @demandes_group.command("importer")
    @click.argument("fichier", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--format", "fmt", type=click.Choice(["ndjson", "csv"]), help="Par défaut : selon l'extension.")
    @click.option("--lot", "batch_size", default=500, show_default=True, help="Lignes par transaction.")
    def importer(fichier: Path, fmt: str | None, batch_size: int) -> None:
        """Importe un fichier NDJSON ou CSV de demandes (même traitement que POST /api/v1/imports)."""
        from app.demandes import imports
        from app.demandes.import_formats import format_from

        fmt = fmt or format_from(None, fichier.name)
        if fmt is None:
            raise click.UsageError("Format inconnu : utilisez --format ndjson|csv")
        imp = imports.creer_import(fichier.read_bytes(), fmt, fichier.name)
        with tqdm(total=imp.lignes, unit="ligne", desc="Import") as bar:
            imp = imports.traiter(imp.id, batch_size=batch_size, progress=bar.update)
        click.echo(
            f"Import {imp.id} : {imp.lignes} lignes, {imp.creees} créées, {imp.modifiees} modifiées, "
            f"{imp.inchangees} inchangées, {imp.erreurs} en erreur."
        )
        for erreur in imports.erreurs_de(imp, limit=20):
            click.echo(f"  ligne {erreur.ligne} — {erreur.champ or '(ligne)'} : {erreur.message}")

    @demandes_group.command("reprendre-imports")
    def reprendre_imports() -> None:
        """Traite les imports restés en attente ou interrompus (broker indisponible, worker arrêté)."""
        from sqlalchemy import select

        from app.demandes import imports
        from app.demandes.models import Import
        from app.extensions import db

        ids = list(db.session.scalars(select(Import.id).where(Import.etat.in_([imports.EN_ATTENTE, imports.EN_COURS]))))
        for import_id in ids:
            imp = imports.traiter(import_id)
            click.echo(f"Import {imp.id} : {imp.etat}")
        click.echo(f"{len(ids)} import(s) repris.")

    @demandes_group.command("radier-non-renouvelees")
    @click.option("--date", "le", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date de référence (aujourd'hui).")
    def radier_non_renouvelees(le) -> None:
        """Radie (motif non_renouvellement) les demandes non renouvelées à l'échéance + 1 mois."""
        from app.demandes import service

        on: date | None = le.date() if le else None
        with tqdm(unit="demande", desc="Radiations") as bar:
            total = service.radier_non_renouvelees(on, progress=bar.update)
        click.echo(f"{total} demande(s) radiée(s) pour non-renouvellement.")
