"""Liveness and readiness probes: the only endpoints served without authentication."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app.extensions import db
from indexing.client import server_version

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


def _database() -> dict[str, Any]:
    version = db.session.execute(text("SHOW server_version")).scalar_one()
    return {"version": version}


def _redis() -> dict[str, Any]:
    current_app.extensions["redis"].ping()
    return {}


def _elasticsearch() -> dict[str, Any]:
    es = current_app.extensions["elasticsearch"].options(request_timeout=3, max_retries=0)
    health = es.cluster.health()
    return {"version": server_version(es), "cluster_status": health["status"]}


def _celery() -> dict[str, Any]:
    celery = current_app.extensions["celery"]
    # A connection of its own: a pooled one may date from before a Redis restart and fail once.
    with celery.connection_for_write() as connection:
        replies = celery.control.ping(timeout=1.0, connection=connection)
    if not replies:
        raise RuntimeError("aucun worker Celery ne répond")
    return {"workers": sorted(name for reply in replies for name in reply)}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": _database,
    "redis": _redis,
    "elasticsearch": _elasticsearch,
    "celery": _celery,
}


@bp.get("/readyz")
def readyz():
    components: dict[str, dict[str, Any]] = {}
    for name, check in CHECKS.items():
        try:
            components[name] = {"status": "ok", **check()}
        except Exception as exc:  # a probe reports every failure instead of raising
            if name == "database":
                db.session.rollback()
            components[name] = {"status": "error", "error": f"{type(exc).__name__}: {exc}"[:300]}
    failing = [name for name, c in components.items() if c["status"] != "ok"]
    body = {"status": "ok" if not failing else "error", "failing": failing, "components": components}
    return jsonify(body), 200 if not failing else 503
