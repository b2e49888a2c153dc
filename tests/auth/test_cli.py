"""User administration from the command line: the password comes from standard input."""

from __future__ import annotations

import uuid


def test_create_list_disable_a_user(app):
    runner = app.test_cli_runner()
    login = f"cli-{uuid.uuid4().hex[:6]}"
    assert (
        runner.invoke(
            args=["organisations", "creer", "GUICHET-CLI", "--nom", "Guichet CLI", "--type", "guichet"]
        ).exit_code
        == 0
    )
    created = runner.invoke(
        args=["utilisateurs", "creer", login, "--organisation", "GUICHET-CLI", "--role", "guichet"],
        input="un-mot-de-passe-assez-long\n",
    )
    assert created.exit_code == 0, created.output
    listed = runner.invoke(args=["utilisateurs", "lister"])
    assert f"{login}\tGUICHET-CLI\tguichet\tactif" in listed.output
    assert runner.invoke(args=["utilisateurs", "desactiver", login]).exit_code == 0
    assert f"{login}\tGUICHET-CLI\tguichet\tdésactivé" in runner.invoke(args=["utilisateurs", "lister"]).output


def test_a_short_password_is_refused(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["organisations", "creer", "GUICHET-CLI", "--nom", "Guichet CLI", "--type", "guichet"])
    result = runner.invoke(
        args=["utilisateurs", "creer", "trop-court", "--organisation", "GUICHET-CLI", "--role", "guichet"],
        input="court\n",
    )
    assert result.exit_code == 2
    assert "au moins 12 caractères" in result.output
