"""Authentication: bearer tokens, expiry, revocation, throttling, no user enumeration (issue 4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from tests.conftest import TEST_ORGANISATIONS, TEST_PASSWORD, ensure_user

PROTECTED = "/api/v1/referentiel/communes?q=toulouse"


@pytest.fixture
def fresh_user(app):
    """A user of its own, so throttling counters of one test don't leak into another."""
    import uuid

    login = f"agent-{uuid.uuid4().hex[:8]}"
    with app.app_context():
        ensure_user(login, "agent_bailleur", TEST_ORGANISATIONS["agent_bailleur"])
    return login


def _login(client, login, password, address="10.0.0.1"):
    return client.post(
        "/api/v1/auth/token",
        json={"login": login, "mot_de_passe": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_an_api_endpoint_without_token_is_refused_with_401(client):
    response = client.get(PROTECTED)
    assert response.status_code == 401
    assert response.get_json()["code"] == "non_authentifie"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_forged_token_is_refused(client):
    response = client.get(PROTECTED, headers={"Authorization": "Bearer pas-un-vrai-jeton"})
    assert response.status_code == 401


def test_health_and_openapi_need_no_token(client):
    assert client.get("/healthz").status_code == 200
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert spec.get_json()["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_login_gives_a_token_that_opens_the_api(client, fresh_user):
    response = _login(client, fresh_user, TEST_PASSWORD)
    assert response.status_code == 201
    body = response.get_json()
    assert body["type"] == "Bearer" and body["roles"] == ["agent_bailleur"]
    assert client.get(PROTECTED, headers={"Authorization": f"Bearer {body['jeton']}"}).status_code == 200


def test_wrong_password_and_unknown_login_get_the_same_answer(client, fresh_user):
    wrong_password = _login(client, fresh_user, "pas le bon mot de passe", address="10.0.0.2")
    unknown_login = _login(client, "personne-inconnue", "pas le bon mot de passe", address="10.0.0.3")
    assert wrong_password.status_code == unknown_login.status_code == 401
    assert wrong_password.get_json() == unknown_login.get_json()
    assert wrong_password.get_json()["message"] == "Identifiant ou mot de passe incorrect."


def test_revoked_token_is_refused(client, fresh_user):
    token = _login(client, fresh_user, TEST_PASSWORD).get_json()["jeton"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    assert client.get(PROTECTED, headers=headers).status_code == 401


def test_expired_token_is_refused(app, client, fresh_user):
    from app.auth import service
    from app.auth.models import Utilisateur
    from app.extensions import db

    with app.app_context():
        user = db.session.scalar(select(Utilisateur).where(Utilisateur.login == fresh_user))
        token, _ = service.issue_token(user, lifetime=timedelta(seconds=-1))
    assert client.get(PROTECTED, headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_tokens_are_stored_hashed(app, client, fresh_user):
    token = _login(client, fresh_user, TEST_PASSWORD).get_json()["jeton"]
    with app.app_context():
        from app.extensions import db

        stored = db.session.execute(text("SELECT empreinte FROM jetons")).scalars().all()
    assert token not in stored


def test_login_is_throttled_per_account_with_a_french_message(client, fresh_user):
    for attempt in range(5):
        assert _login(client, fresh_user, "mauvais", address=f"10.1.0.{attempt}").status_code == 401
    # Even the right password is refused while the account is throttled, from any address.
    blocked = _login(client, fresh_user, TEST_PASSWORD, address="10.1.1.1")
    assert blocked.status_code == 429
    assert blocked.get_json()["message"].startswith("Trop de tentatives de connexion")
    assert int(blocked.headers["Retry-After"]) > 0


def test_login_is_throttled_per_address(app, client):
    address = "10.2.0.9"
    for attempt in range(20):
        assert _login(client, f"inconnu-{attempt}", "mauvais", address=address).status_code == 401
    assert _login(client, "encore-un-autre", "mauvais", address=address).status_code == 429


def test_disabled_user_cannot_log_in_and_loses_its_tokens(app, client, fresh_user):
    from app.auth import service

    token = _login(client, fresh_user, TEST_PASSWORD).get_json()["jeton"]
    with app.app_context():
        service.disable(fresh_user)
    assert client.get(PROTECTED, headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert _login(client, fresh_user, TEST_PASSWORD).status_code == 401


def test_security_headers_on_every_response(client):
    for path in ("/healthz", PROTECTED):
        headers = client.get(path).headers
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"


def test_passwords_are_hashed_with_argon2(app, fresh_user):
    from app.auth.models import Utilisateur
    from app.extensions import db

    with app.app_context():
        user = db.session.scalar(select(Utilisateur).where(Utilisateur.login == fresh_user))
        assert user.mot_de_passe_hash.startswith("$argon2id$")
