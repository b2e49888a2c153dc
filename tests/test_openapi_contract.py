"""A bounded property-based run (schemathesis) against the OpenAPI spec the service serves at
`/api/v1/openapi.json`, in-process on the real application (real PostgreSQL, Redis and Elasticsearch).

Every operation of the spec is exercised with generated requests — the examples, coverage (boundary and invalid
values) and fuzzing phases, positive and negative data — and every response must be: no 5xx, a documented status,
a documented content type, a body valid against the documented schema, the documented headers.

Each request carries the bearer token of a role the README matrix ("Rôles et droits") allows on that route, the
gestionnaire's first (broad read rights), so that generated requests get past authorisation and reach validation
and the database. `DELETE /api/v1/auth/token` revokes the token it is called with: it gets a fresh throwaway token
per call, never one of the session's shared tokens.

Bounded and deterministic: a fixed number of generated examples per operation, Hypothesis derandomized (its seed is
derived from the test) and without its example database, no deadline (the real services answer in variable time).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.services

README = Path(__file__).resolve().parent.parent / "README.md"
# Preference order when several roles may call a route: the gestionnaire reads everything; the writers come next.
ROLE_PREFERENCE = ["gestionnaire", "guichet", "agent_bailleur", "reservataire", "observatoire"]
MATRIX_ROLES = ["gestionnaire", "agent_bailleur", "reservataire", "guichet", "observatoire"]
# The response-conformance checks. Not run: schemathesis' stateful and behavioural checks (`use_after_free`,
# `ensure_resource_availability`, `ignored_auth`, `negative_data_rejection`, `positive_data_acceptance`...): they
# judge semantics the spec does not carry (it is looser than the server's validation: enums, patterns, row-level
# rights), so they would report the spec's silence, not a contradiction. No operation is excluded.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
MAX_EXAMPLES = 20


def allowed_role_by_route() -> dict[tuple[str, str], str]:
    """(METHOD, /api/v1/path/{param}) -> the preferred role the README matrix allows there."""
    section = README.read_text(encoding="utf-8").split("## Rôles et droits", 1)[1].split("\n## ", 1)[0]
    roles = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        match = re.fullmatch(r"`(GET|POST|PATCH|PUT|DELETE) (/api/v1/\S+)`", cells[0]) if cells else None
        if match and len(cells) == 1 + len(MATRIX_ROLES):
            allowed = {role for role, cell in zip(MATRIX_ROLES, cells[1:], strict=True) if cell == "✓"}
            roles[(match[1], match[2])] = next(role for role in ROLE_PREFERENCE if role in allowed)
    return roles


ROLE_BY_ROUTE = allowed_role_by_route()


def _clear_login_throttling(app) -> None:
    # Generated `POST /auth/token` calls fail logins from the test client's address: its throttling counters must not
    # make other test modules' logins fail with 429.
    redis = app.extensions["redis"]
    for key in redis.scan_iter("fp:connexion:*"):
        redis.delete(key)


# What the generated requests write (CASCADE: the CAL lists and candidates of the logements).
WRITTEN_TABLES = "demandes, demande_evenements, outbox, indexing_dead_letters, imports, import_erreurs, logements"


def _truncate_written_tables(app) -> None:
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        db.session.execute(text(f"TRUNCATE {WRITTEN_TABLES} RESTART IDENTITY CASCADE"))
        db.session.commit()


@pytest.fixture(scope="module", autouse=True)
def _contract_run_state(app):
    """Starts from empty demandes/logements tables (the same run on every machine) and leaves them empty (other
    modules, e.g. the authorisation matrix, take `/logements/1` for an unknown id). The search index exists (as after
    `flask indexing create`); no Celery task is left queued without a worker (outbox indexing after commit is off, as
    in tests/demandes; queued import tasks are dropped); no throttling counter is left behind."""
    from indexing import lifecycle

    with app.app_context():
        lifecycle.create()
    _truncate_written_tables(app)
    _clear_login_throttling(app)
    app.config["OUTBOX_ENQUEUE_AFTER_COMMIT"] = False
    yield
    app.config["OUTBOX_ENQUEUE_AFTER_COMMIT"] = True
    _clear_login_throttling(app)
    app.extensions["redis"].delete(os.environ["CELERY_QUEUE"])
    _truncate_written_tables(app)


def _throwaway_token(app) -> str:
    from sqlalchemy import select

    from app.auth import service
    from app.auth.models import Utilisateur
    from app.extensions import db

    with app.app_context():
        user = db.session.scalar(select(Utilisateur).where(Utilisateur.login == "test-observatoire"))
        token, _ = service.issue_token(user)
        return token


def _headers_for(case, app, api_tokens) -> dict[str, str]:
    method, path = case.operation.method.upper(), case.operation.path
    if (method, path) == ("POST", "/api/v1/auth/token"):
        return {}  # public: the credentials are the generated body
    if (method, path) == ("DELETE", "/api/v1/auth/token"):
        return {"Authorization": f"Bearer {_throwaway_token(app)}"}
    role = ROLE_BY_ROUTE.get((method, path))
    assert role is not None, f"{method} {path} is served but missing from the README matrix"
    return {"Authorization": f"Bearer {api_tokens[role][0]}"}


def _served_schema():
    # The spec is read at collection, from the application the tests drive, as a client reads it: the served
    # `/api/v1/openapi.json`. (Loading it lazily from the `app` fixture, `schemathesis.pytest.from_fixture`, is broken
    # with pytest 9.2: schemathesis 4.32 writes the removed `Node._nodeid`.) The `app` fixture the test requests
    # migrates the test database and loads the referentiel before any call.
    from app import create_app

    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", create_app({"TESTING": True}))


schema = _served_schema()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # The real services are slow next to Hypothesis' expectations, and many operations reject most generated data.
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_openapi_contract(case, app, api_tokens):
    # `app=`: the requests go to the session's application (the one the fixtures configure), not to the instance the
    # spec was read from.
    case.call_and_validate(app=app, headers=_headers_for(case, app, api_tokens), checks=CHECKS)


# --- the hostile inputs the generated run reaches only by chance, pinned -------------------------------------------


def test_a_nul_character_is_refused_with_422_wherever_it_comes(api):
    from tests.factories import DemandePayloadFactory

    guichet, gestionnaire = api("guichet"), api("gestionnaire")
    demande = DemandePayloadFactory()
    demande["demandeur"] = {**demande["demandeur"], "nom": "Mar\x00tin"}
    for response, champ in [
        (guichet.post("/api/v1/demandes", json=demande), "demandeur.nom"),
        (gestionnaire.get("/api/v1/demandes/031%00X"), "url"),
        (gestionnaire.get("/api/v1/referentiel/communes?q=Tou%00"), "q"),
    ]:
        assert response.status_code == 422, response.get_data(as_text=True)
        assert response.get_json()["erreurs"] == [{"champ": champ, "message": "Caractère NUL (\\u0000) interdit"}]


def test_out_of_range_integers_are_refused_before_the_database(api):
    gestionnaire = api("gestionnaire")
    assert gestionnaire.get(f"/api/v1/logements/{2**63}").status_code == 404  # no route: beyond bigint
    assert gestionnaire.get(f"/api/v1/listes-cal/{2**63}").status_code == 404
    response = gestionnaire.get(f"/api/v1/logements?offset={2**63}")
    assert response.status_code == 422
    assert [e["champ"] for e in response.get_json()["erreurs"]] == ["offset"]
