"""Authentication and authorisation of every `/api/v1` request, before the view and its input validation run.

Each API view declares its permission with `@requires(Permission.X)`; the guard authenticates the bearer token,
finds the permission of the view about to run and checks it against the role matrix. A view that declares none is
refused to everyone (least privilege by default). Missing or bad token → 401, not allowed → 403, both with the
API's error body, and both before any input is parsed, so a refused caller learns nothing from validation errors.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Flask, current_app, g, jsonify, request

from app.auth import service
from app.auth.permissions import Permission

PUBLIC_API_PATHS = {"/api/v1/openapi.json", "/api/v1/auth/token"}


def error(status: int, code: str, message: str, headers: dict[str, str] | None = None):
    response = jsonify(code=code, message=message, erreurs=[])
    response.status_code = status
    response.headers.update(headers or {})
    return response


def _unauthenticated(message: str):
    return error(401, "non_authentifie", message, {"WWW-Authenticate": 'Bearer realm="fichier-partage"'})


def authenticate_api_request():
    if not request.path.startswith("/api/v1/"):
        return None
    if request.path in PUBLIC_API_PATHS and not (request.path == "/api/v1/auth/token" and request.method == "DELETE"):
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _unauthenticated("Authentification requise : en-tête « Authorization: Bearer <jeton> » attendu.")
    found = service.user_for_token(token.strip())
    if found is None:
        return _unauthenticated("Jeton invalide, expiré ou révoqué.")
    user, jeton = found
    g.actor = service.actor_of(user, request.remote_addr)
    g.jeton = jeton
    if request.endpoint is None or request.path == "/api/v1/auth/token":
        return None  # 404/405 follow; revoking one's own token needs only authentication
    permission = view_permission(request.endpoint, request.method)
    if permission is None or not g.actor.can(permission):
        return error(403, "interdit", "Votre rôle ne permet pas cette action.")
    return None


def view_permission(endpoint: str, method: str) -> Permission | None:
    """The permission declared by the view function (or MethodView method) serving this endpoint."""
    view = current_app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    handler = getattr(view_class, method.lower(), None) if view_class else view
    if handler is None and method == "HEAD" and view_class:
        handler = getattr(view_class, "get", None)
    return getattr(handler, "permission", None)


def requires(permission: Permission) -> Callable:
    """Decorator of a view: the authenticated actor must hold `permission` through one of its roles."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            actor = g.get("actor")
            if actor is None:
                return _unauthenticated("Authentification requise.")
            if not actor.can(permission):
                return error(403, "interdit", "Votre rôle ne permet pas cette action.")
            return view(*args, **kwargs)

        wrapper.permission = permission  # type: ignore[attr-defined]  (read by the authorisation tests)
        return wrapper

    return decorator


SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.path.startswith("/api/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def init_app(app: Flask) -> None:
    app.before_request(authenticate_api_request)
    app.after_request(add_security_headers)
