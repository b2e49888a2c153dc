"""Web authentication: login form, session cookie flags, CSRF, idle and absolute expiry, logout, throttling,
role-based access to the pages."""

from __future__ import annotations

import time

from tests.conftest import TEST_PASSWORD
from tests.web.conftest import clear_throttle, csrf_token, login


def test_login_page_is_french_and_has_a_csrf_token(client):
    response = client.get("/connexion")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="fr">' in html and "Identifiant" in html and "Mot de passe" in html
    assert csrf_token(html)
    assert 'href="#contenu"' in html  # skip link


def test_pages_require_login(client):
    response = client.get("/statistiques")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?suivant=/statistiques")


def test_login_sets_a_hardened_session_cookie_and_logout_ends_it(app, web_users):
    client = app.test_client()
    response = login(client, app, web_users["guichet"])
    assert response.status_code == 302 and response.headers["Location"] == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    home = client.get("/")
    assert home.status_code == 200 and "Bonjour test-guichet" in home.get_data(as_text=True)

    token = csrf_token(home.get_data(as_text=True))
    assert client.post("/deconnexion", data={"csrf_token": token}).status_code == 302
    assert client.get("/").status_code == 302


def test_cookie_is_secure_over_https(app, web_users):
    client = app.test_client()
    clear_throttle(app, web_users["guichet"])
    page = client.get("/connexion", base_url="https://localhost")
    data = {"login": web_users["guichet"], "mot_de_passe": TEST_PASSWORD, "csrf_token": csrf_token(page.text)}
    response = client.post(
        "/connexion", data=data, base_url="https://localhost", headers={"Referer": "https://localhost/connexion"}
    )  # Flask-WTF's HTTPS referrer check
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_a_copied_cookie_is_refused_after_logout(app, web):
    client = web("guichet")
    cookie = client.get_cookie("fp_session").value
    token = csrf_token(client.get("/").text)
    client.post("/deconnexion", data={"csrf_token": token})
    other = app.test_client()
    other.set_cookie("fp_session", cookie)
    assert other.get("/").status_code == 302


def test_post_without_csrf_token_is_rejected(app, web_users, web):
    client = app.test_client()
    response = client.post("/connexion", data={"login": web_users["guichet"], "mot_de_passe": TEST_PASSWORD})
    assert response.status_code == 400
    assert "jeton de sécurité" in response.text
    logged = web("guichet")
    assert logged.post("/deconnexion").status_code == 400
    assert logged.get("/").status_code == 200  # still logged in


def test_api_is_not_subject_to_csrf(client, api_tokens):
    response = client.post("/api/v1/auth/token", json={"login": "test-guichet", "mot_de_passe": "faux"})
    assert response.status_code == 401  # refused for the password, not for a missing CSRF token


def test_wrong_password_and_unknown_login_give_the_same_message(app, web_users):
    client = app.test_client()
    clear_throttle(app, "x")
    bad = login(client, app, web_users["guichet"], "mauvais-mot-de-passe")
    unknown = login(client, app, "personne-inconnue", "mauvais-mot-de-passe")
    assert bad.status_code == unknown.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in bad.text
    assert "Identifiant ou mot de passe incorrect." in unknown.text


def test_login_is_throttled_with_a_french_message(app, web_users):
    client = app.test_client()
    clear_throttle(app, web_users["agent_bailleur"])
    last = None
    for _ in range(12):
        page = client.get("/connexion")
        last = client.post(
            "/connexion",
            data={
                "login": web_users["agent_bailleur"],
                "mot_de_passe": "faux-faux",
                "csrf_token": csrf_token(page.text),
            },
        )
        if last.status_code == 429:
            break
    assert last is not None and last.status_code == 429
    assert "Trop de tentatives de connexion" in last.text
    page = client.get("/connexion")  # even the right password is refused while throttled
    right = client.post(
        "/connexion",
        data={"login": web_users["agent_bailleur"], "mot_de_passe": TEST_PASSWORD, "csrf_token": csrf_token(page.text)},
    )
    assert right.status_code == 429
    clear_throttle(app, web_users["agent_bailleur"])


def test_idle_expiry(web):
    client = web("guichet")
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60
    response = client.get("/")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    assert "Votre session a expiré" in client.get("/connexion").text


def test_activity_keeps_the_session_alive(web):
    client = web("guichet")
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 29 * 60
    assert client.get("/").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["seen_at"] < 60


def test_absolute_expiry_despite_activity(web):
    client = web("guichet")
    with client.session_transaction() as session:
        session["auth_at"] = time.time() - 10 * 3600 - 60
        session["seen_at"] = time.time()
    assert client.get("/").status_code == 302


def test_next_parameter_is_local_only(app, web_users):
    client = app.test_client()
    clear_throttle(app, web_users["guichet"])
    page = client.get("/connexion?suivant=//evil.example/")
    data = {
        "login": web_users["guichet"],
        "mot_de_passe": TEST_PASSWORD,
        "csrf_token": csrf_token(page.text),
        "suivant": "https://evil.example/",
    }
    response = client.post("/connexion", data=data)
    assert response.headers["Location"] == "/"


def test_observatoire_home_is_the_statistics(web):
    client = web("observatoire")
    response = client.get("/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/statistiques")


def test_security_headers_on_pages(web):
    response = web("guichet").get("/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
