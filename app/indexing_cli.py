"""`flask --app app index create|rebuild|reconcile [--fix]|status|replay-dead-letters`."""

from __future__ import annotations

import sys

import click
from flask import Flask
from tqdm import tqdm

from app.baremes.service import synchroniser
from indexing import lifecycle


def _fail(message: str) -> None:
    click.echo(f"Erreur : {message}", err=True)
    sys.exit(1)


def register(app: Flask) -> None:
    @app.cli.group("index")
    def index_group() -> None:
        """Index Elasticsearch des demandes : création, reconstruction, réconciliation, état."""

    @index_group.command("create")
    def create_cmd() -> None:
        """Crée l'index et son alias s'ils n'existent pas."""
        name, created = lifecycle.create()
        click.echo(f"Index {name} créé." if created else f"L'alias existe déjà et désigne {name}.")

    @index_group.command("upgrade")
    def upgrade_cmd() -> None:
        """Reconstruit l'index si le fichier de mapping a changé de version (sinon ne fait rien)."""
        if not lifecycle.needs_upgrade():
            click.echo(f"L'index est à la version de mapping {lifecycle.current_spec().version} : rien à faire.")
            return
        click.echo(f"Nouvelle version de mapping ({lifecycle.current_spec().version}) : reconstruction de l'index.")
        rebuild_cmd.callback()

    @index_group.command("rebuild")
    def rebuild_cmd() -> None:
        """Reconstruit l'index depuis la base, sans interruption (bascule atomique de l'alias)."""
        synchroniser()  # documents carry the points of the cotation grids in force
        bar = tqdm(desc="Indexation", unit=" demandes", dynamic_ncols=True)

        def on_total(total: int) -> None:
            bar.total = total
            bar.refresh()

        try:
            report = lifecycle.rebuild(progress=bar.update, on_total=on_total)
        except lifecycle.LifecycleError as exc:
            bar.close()
            _fail(str(exc))
            return
        bar.close()
        anciens = ", ".join(report.old_indices) or "aucun"
        click.echo(
            f"Index {report.new_index} en service : {report.indexed} documents ({report.expected} attendus), "
            f"{report.replayed} demandes modifiées pendant la reconstruction rejouées, en {report.seconds:.1f} s. "
            f"Ancien index supprimé : {anciens}."
        )

    @index_group.command("reconcile")
    @click.option("--fix", "do_fix", is_flag=True, help="Corriger les écarts trouvés.")
    @click.option("--details/--no-details", default=True, help="Lister les numéros concernés (20 au plus par type).")
    def reconcile_cmd(do_fix: bool, details: bool) -> None:
        """Compare l'index à la base : documents manquants, orphelins et périmés."""
        synchroniser()
        with tqdm(desc="Lecture de l'index", unit=" documents", dynamic_ncols=True) as bar:
            diff = lifecycle.reconcile(progress=bar.update)
        labels = {
            "manquants": diff.missing,
            "orphelins": diff.orphans,
            "périmés": diff.stale,
            "en avance": diff.ahead,
        }
        for label, numeros in labels.items():
            click.echo(f"{label:>10} : {len(numeros)}")
            if details and numeros:
                click.echo("             " + ", ".join(numeros[:20]) + (" …" if len(numeros) > 20 else ""))
        if diff.total == 0:
            click.echo("Aucun écart entre l'index et la base.")
            return
        if do_fix:
            fixed = lifecycle.fix(diff)
            click.echo(f"{fixed} demandes réindexées ou supprimées de l'index.")
        else:
            click.echo("Relancer avec --fix pour corriger.")
            sys.exit(2)

    @index_group.command("status")
    def status_cmd() -> None:
        """Alias, index, nombre de documents, file d'attente de l'outbox, lettres mortes, fraîcheur."""
        info = lifecycle.status()
        age = info["outbox_plus_ancienne_s"]
        click.echo(f"Alias            : {info['alias']} → {', '.join(info['indices']) or 'aucun index'}")
        click.echo(f"Mapping          : {info['mapping']}")
        click.echo(f"Elasticsearch    : {info['elasticsearch']}")
        click.echo(f"Documents        : {info['documents']} indexés / {info['attendus']} attendus en base")
        click.echo(
            f"Outbox en attente: {info['outbox_en_attente']}"
            + (f" (la plus ancienne depuis {age:.1f} s)" if age is not None else "")
        )
        click.echo(f"File Celery      : {info['file_celery']} messages en attente")
        click.echo(f"Lettres mortes   : {info['lettres_mortes']}")
        fresh = info["fraicheur"]
        if fresh:
            click.echo(
                f"Fraîcheur        : p50 {fresh['p50']:.3f} s, p95 {fresh['p95']:.3f} s, max {fresh['max']:.3f} s "
                f"({fresh['n']} dernières écritures)"
            )

    @index_group.command("replay-dead-letters")
    @click.option("--id", "ids", multiple=True, type=int, help="Rejouer seulement ces lettres mortes.")
    def replay_cmd(ids: tuple[int, ...]) -> None:
        """Remet les lettres mortes dans l'outbox (après correction de la cause)."""
        count = lifecycle.replay_dead_letters(list(ids) or None)
        click.echo(f"{count} lettres mortes remises dans l'outbox.")
