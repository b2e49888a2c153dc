"""Helpers of the web tests: real users per role, logged in through the real login form (with its CSRF token)."""

from __future__ import annotations

import re

import pytest

from tests.conftest import TEST_ORGANISATIONS, TEST_PASSWORD, ensure_user

ROLES = tuple(TEST_ORGANISATIONS)


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html
    )
    assert found, "no CSRF token in the page"
    return found.group(1)


@pytest.fixture(scope="session")
def web_users(app) -> dict[str, str]:
    with app.app_context():
        for role, organisation in TEST_ORGANISATIONS.items():
            ensure_user(f"test-{role}", role, organisation)
    return {role: f"test-{role}" for role in ROLES}


def clear_throttle(app, login: str) -> None:
    r = app.extensions["redis"]
    for key in r.scan_iter("fp:connexion:*"):
        r.delete(key)


def login(client, app, login: str, password: str = TEST_PASSWORD):
    clear_throttle(app, login)
    page = client.get("/connexion")
    token = csrf_token(page.get_data(as_text=True))
    return client.post("/connexion", data={"login": login, "mot_de_passe": password, "csrf_token": token})


@pytest.fixture
def web(app, web_users):
    """`web("guichet")`: a test client logged in as the test user of that role."""

    def for_role(role: str):
        client = app.test_client()
        response = login(client, app, web_users[role])
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return for_role


@pytest.fixture
def es(app):
    return app.extensions["elasticsearch"]


@pytest.fixture
def fichier(app, es, monkeypatch):
    """A small indexed file of demandes (tests/web/donnees.py), in an app context."""
    from tests.web import donnees

    monkeypatch.setitem(app.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)
    with app.app_context():
        rows = donnees.seed(es)
        yield {k: v.numero_unique for k, v in rows.items()}
