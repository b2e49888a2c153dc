"""Session authentication of the web pages.

The Flask session cookie (signed, HttpOnly, SameSite=Lax, Secure when the request came over HTTPS) carries a random
session id, the user id and two timestamps. Expiry is enforced here on every request, server-side:
* idle: no request for `WEB_SESSION_IDLE_MINUTES` (30) → logged out;
* absolute: `WEB_SESSION_ABSOLUTE_HOURS` (10) after login → logged out, whatever the activity.
The session id is also kept in Redis with the idle lifetime, so a logout (or an expiry) invalidates the cookie
even if someone kept a copy of it.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from flask import Flask, current_app, g, request, session
from flask.sessions import SecureCookieSessionInterface

from app.auth import service
from app.auth.models import Utilisateur
from app.extensions import db

IDLE_MINUTES = 30
ABSOLUTE_HOURS = 10
_KEY = "fp:web:session:{}"


class SessionInterface(SecureCookieSessionInterface):
    """The default signed-cookie session, with the Secure flag set whenever the request itself is HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def _idle() -> timedelta:
    return timedelta(minutes=int(current_app.config.get("WEB_SESSION_IDLE_MINUTES", IDLE_MINUTES)))


def _absolute() -> timedelta:
    return timedelta(hours=int(current_app.config.get("WEB_SESSION_ABSOLUTE_HOURS", ABSOLUTE_HOURS)))


def _redis():
    return current_app.extensions["redis"]


def login_user(user: Utilisateur) -> None:
    """Start a fresh session (new id: no fixation of a session opened before login)."""
    end_session()
    sid = secrets.token_urlsafe(24)
    now = time.time()
    session.clear()
    session.permanent = True
    session.update(sid=sid, uid=user.id, auth_at=now, seen_at=now)
    _redis().set(_KEY.format(sid), user.id, ex=int(_idle().total_seconds()))


def end_session() -> None:
    sid = session.get("sid")
    if sid:
        _redis().delete(_KEY.format(sid))
    session.clear()


def load_session_actor() -> None:
    """before_request: set `g.actor` / `g.web_user` from a valid session; clear an expired or revoked one."""
    if request.path.startswith(("/api/", "/static/")):
        return
    # Never inherit an identity from an outer application context (tests push one around several requests).
    for name in ("web_user", "actor", "session_expired", "csrf_token"):
        g.pop(name, None)
    if "uid" not in session:
        return
    now = time.time()
    auth_at, seen_at = float(session.get("auth_at", 0)), float(session.get("seen_at", 0))
    expired = now - seen_at > _idle().total_seconds() or now - auth_at > _absolute().total_seconds()
    sid = session.get("sid")
    if expired or not sid or not _redis().exists(_KEY.format(sid)):
        end_session()
        g.session_expired = True
        return
    user = db.session.get(Utilisateur, session["uid"])
    if user is None or not user.actif:
        end_session()
        return
    session["seen_at"] = now
    _redis().expire(_KEY.format(sid), int(_idle().total_seconds()))
    g.web_user = user
    g.actor = service.actor_of(user, request.remote_addr)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["SESSION_COOKIE_NAME"] = "fp_session"
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=ABSOLUTE_HOURS)
    app.before_request(load_session_actor)
