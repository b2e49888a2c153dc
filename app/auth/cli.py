"""`flask --app app utilisateurs ...` and `flask --app app organisations ...`."""

from __future__ import annotations

import sys

import click
from flask import Flask
from sqlalchemy import select

from app.auth import service
from app.auth.models import ORGANISATION_TYPES, Utilisateur
from app.auth.permissions import Role
from app.extensions import db


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\n")


def _fail(exc: service.InvalidUser) -> None:
    for field, messages in exc.errors.items():
        for message in messages:
            click.echo(f"{field} : {message}", err=True)
    raise SystemExit(2)


def register(app: Flask) -> None:
    @app.cli.group("utilisateurs")
    def utilisateurs() -> None:
        """Comptes des agents (le mot de passe est lu sur l'entrée standard)."""

    @utilisateurs.command("creer")
    @click.argument("login")
    @click.option("--organisation", required=True, help="Code de l'organisation.")
    @click.option("--role", "roles", multiple=True, required=True, type=click.Choice([r.value for r in Role]))
    def creer(login: str, organisation: str, roles: tuple[str, ...]) -> None:
        """Crée un utilisateur."""
        try:
            service.create_user(login, organisation, list(roles), _read_password())
        except service.InvalidUser as exc:
            _fail(exc)
        click.echo(f"Utilisateur {login} créé ({', '.join(roles)}, organisation {organisation}).")

    @utilisateurs.command("lister")
    def lister() -> None:
        """Liste les utilisateurs."""
        for user in db.session.scalars(select(Utilisateur).order_by(Utilisateur.login)):
            state = "actif" if user.actif else "désactivé"
            click.echo(f"{user.login}\t{user.organisation.code}\t{','.join(user.roles)}\t{state}")

    @utilisateurs.command("desactiver")
    @click.argument("login")
    def desactiver(login: str) -> None:
        """Désactive un utilisateur et révoque ses jetons."""
        try:
            service.disable(login)
        except service.InvalidUser as exc:
            _fail(exc)
        click.echo(f"Utilisateur {login} désactivé.")

    @utilisateurs.command("reinitialiser")
    @click.argument("login")
    def reinitialiser(login: str) -> None:
        """Change le mot de passe (lu sur l'entrée standard) et révoque les jetons."""
        try:
            service.set_password(login, _read_password())
        except service.InvalidUser as exc:
            _fail(exc)
        click.echo(f"Mot de passe de {login} réinitialisé.")

    @app.cli.group("organisations")
    def organisations() -> None:
        """Organisations membres du fichier partagé."""

    @organisations.command("creer")
    @click.argument("code")
    @click.option("--nom", required=True)
    @click.option("--type", "type_", required=True, type=click.Choice(ORGANISATION_TYPES))
    @click.option("--contingent", "contingents", multiple=True, help="Contingent(s) d'un réservataire.")
    def creer_organisation(code: str, nom: str, type_: str, contingents: tuple[str, ...]) -> None:
        """Crée ou met à jour une organisation."""
        service.create_organisation(code, nom, type_, list(contingents))
        click.echo(f"Organisation {code} enregistrée.")
