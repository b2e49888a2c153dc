"""Web interface of the agents: session login, CSRF protection, pages, front-end assets.

`init_app` is called by the app factory. CSRF is checked on every unsafe request outside `/api/` (the API uses
bearer tokens, not cookies, so it has no CSRF surface).
"""

from __future__ import annotations

from flask import Flask, g, request
from flask_wtf.csrf import CSRFProtect

from app.web import session as web_session

csrf = CSRFProtect()


def _protect_forms() -> None:
    if request.path.startswith("/api/") or not request.blueprint:
        return
    csrf.protect()


def init_app(app: Flask) -> None:
    from app.web import (
        assets,
        views,  # noqa: F401  (registers the routes)
    )
    from app.web.blueprint import bp
    from app.web.navigation import menu_for

    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked by `_protect_forms`, outside the API only
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the token lives as long as the session
    csrf.init_app(app)
    web_session.init_app(app)
    app.before_request(_protect_forms)
    app.register_blueprint(bp)
    assets.init_app(app)

    @app.context_processor
    def _layout() -> dict:
        actor = g.get("actor") if g.get("web_user") else None
        return {"utilisateur": g.get("web_user"), "acteur": actor, "menu": menu_for(actor)}
