"""Shared fixtures of the logements, rapprochement and CAL tests: clean tables, a fresh demandes index behind
the alias the pipeline uses, demandes written through the models with their outbox entries (as the demandes
service does) and indexed by the real consumer (`indexing.consumer.drain`)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from flask import current_app
from sqlalchemy import text

from app.extensions import db
from indexing import consumer, lifecycle
from tests.indexing.helpers import new_demande

BAILLEUR = "BAILLEUR-31"  # organisation of the test agent_bailleur (tests/conftest.py)
TOULOUSE, BLAGNAC, COLOMIERS, CASTANET, MURET = "31555", "31069", "31149", "31113", "31395"
TOULOUSE_METROPOLE = "243100518"
ON = date(2026, 1, 1)

LOGEMENT: dict[str, Any] = {
    "reference": "LGT-001",
    "adresse": "12 rue des Lilas",
    "commune": TOULOUSE,
    "qpv": False,
    "typologie": "T2",
    "type_bien": "appartement",
    "surface": 45,
    "etage": 2,
    "ascenseur": True,
    "adapte_handicap": False,
    "parking": False,
    "financement": "PLUS",
    "loyer": 400,
    "charges": 50,
    "contingent": "bailleur",
    "date_disponibilite": "2026-03-01",
}

TABLES = "shortlist_propositions, shortlist_runs, candidats_cal, listes_cal, logements, outbox, demandes"


def reset_all(es) -> None:
    db.session.rollback()
    db.session.execute(text(f"TRUNCATE {TABLES} CASCADE"))
    db.session.commit()
    spec = lifecycle.current_spec()
    existing = list(es.indices.get(index=spec.pattern, expand_wildcards="all").body)
    if existing:
        es.indices.delete(index=",".join(existing))
    lifecycle.create()


@pytest.fixture
def es(app_ctx):
    return app_ctx.extensions["elasticsearch"]


@pytest.fixture
def monde(app_ctx, es):
    """Empty tables and index; enqueue-after-commit off (the tests index synchronously with `indexer()`)."""
    previous = app_ctx.config.get("OUTBOX_ENQUEUE_AFTER_COMMIT", True)
    app_ctx.config["OUTBOX_ENQUEUE_AFTER_COMMIT"] = False
    reset_all(es)
    yield app_ctx
    db.session.rollback()
    app_ctx.config["OUTBOX_ENQUEUE_AFTER_COMMIT"] = previous


def demande(numero: str, date_depot: date = date(2024, 1, 15), souhaits: dict | None = None, **champs: Any):
    """A demande (base: one person, Toulouse, T1/T2, RFR 15 000 €) added and committed."""
    row = new_demande(numero, date_depot=date_depot, souhaits=souhaits, **champs)
    db.session.commit()
    return row


def indexer() -> None:
    consumer.drain()
    es = current_app.extensions["elasticsearch"]
    es.indices.refresh(index=lifecycle.current_spec().alias)


def creer_logement(api, **champs: Any) -> dict[str, Any]:
    response = api("agent_bailleur").post("/api/v1/logements", json={**LOGEMENT, **champs})
    assert response.status_code == 201, response.get_json()
    return response.get_json()
