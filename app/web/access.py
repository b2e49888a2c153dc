"""Permission check of every page: `@page(Permission.X)`.

Not logged in → redirect to the login page (with the page to come back to); logged in without the permission →
the French 403 page. Observatoire users hold only `statistiques:lire`, so they reach the statistics pages only.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, flash, g, redirect, request, url_for

from app.auth.permissions import Permission


def page(permission: Permission) -> Callable:
    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any):
            actor = g.get("actor") if g.get("web_user") else None
            if actor is None:
                if g.get("session_expired"):
                    flash("Votre session a expiré : reconnectez-vous.", "info")
                return redirect(url_for("web.connexion", suivant=request.full_path.rstrip("?")))
            if not actor.can(permission):
                abort(403)
            return view(*args, **kwargs)

        wrapper.permission = permission  # type: ignore[attr-defined]
        return wrapper

    return decorator


def logged_in(view: Callable) -> Callable:
    """A page any authenticated user may see (home page)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        if not g.get("web_user"):
            if g.get("session_expired"):
                flash("Votre session a expiré : reconnectez-vous.", "info")
            return redirect(url_for("web.connexion", suivant=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


def safe_next(target: str | None) -> str | None:
    """Only a local path is a valid place to come back to after login (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    if target.startswith("/api/"):
        return None
    return target
