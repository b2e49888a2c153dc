"""Test configuration: every test runs against the real PostgreSQL, Redis and Elasticsearch started by
`scripts/services.sh` (make test does it), isolated from the `make run` data by its own database, Redis database,
Celery queue and index prefix.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent


def _isolate_environment() -> None:
    # This module is imported twice (as the `conftest` plugin and as `tests.conftest` by test modules): isolate once.
    if os.environ.get("FP_TESTS_ISOLATED"):
        return
    os.environ["FP_TESTS_ISOLATED"] = "1"
    from app.config import load_env_file

    load_env_file()
    url = make_url(os.environ["DATABASE_URL"])
    # FP_TEST_SLOT lets several suites run side by side on one machine (developers' parallel runs): each slot has
    # its own database, Redis database, index prefix and queue. CI runs one suite, slot 0.
    slot = int(os.environ.get("FP_TEST_SLOT", "0"))
    suffix = f"_{slot}" if slot else ""
    test_db = f"{url.database}_test{suffix}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": test_db}).scalar():
            conn.execute(text(f'CREATE DATABASE "{test_db}"'))
    admin.dispose()
    os.environ["DATABASE_URL"] = url.set(database=test_db).render_as_string(hide_password=False)
    os.environ["REDIS_URL"] = os.environ["REDIS_URL"].rsplit("/", 1)[0] + f"/{1 + slot}"
    os.environ["ES_INDEX_PREFIX"] = f"fp-test{slot or ''}"
    os.environ["CELERY_QUEUE"] = f"fp-test{slot or ''}"
    os.environ["FP_DEMO"] = "0"


_isolate_environment()


@pytest.fixture(scope="session")
def app():
    from flask_migrate import upgrade

    from app import create_app
    from app.referentiel.loader import load_referentiel

    flask_app = create_app({"TESTING": True})
    # The test Redis database holds only test state (queue, throttling counters): start each session clean.
    flask_app.extensions["redis"].flushdb()
    with flask_app.app_context():
        upgrade(revision="heads")
        load_referentiel()
    return flask_app


@pytest.fixture(autouse=True)
def sans_exclusions_en_cache(request):
    """Exclusion counts are cached two minutes (app.rapprochement.cache_exclusions): a test must not read the
    counts an earlier test computed on another file for an identical logement."""
    if "app" in request.fixturenames:
        from app.rapprochement import cache_exclusions

        with request.getfixturevalue("app").app_context():
            cache_exclusions.vider()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def services(*args: str) -> None:
    """Drive the real services (stop/start one of them) through the project's own script."""
    subprocess.run([str(ROOT / "scripts" / "services.sh"), *args], check=True, capture_output=True)


@pytest.fixture(scope="session")
def celery_worker_process(app) -> Iterator[subprocess.Popen]:
    """A real Celery worker process consuming the test queue (no eager mode)."""
    proc = start_worker("fp-test-worker")
    yield proc
    stop_worker(proc)


def start_worker(name: str) -> subprocess.Popen:
    from app import create_app

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "workers.main",
            "worker",
            "--loglevel",
            "WARNING",
            "--concurrency",
            "2",
            "-n",
            f"{name}@%h",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=dict(os.environ),
    )
    celery = create_app().extensions["celery"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = celery.control.ping(timeout=0.5) or []
        if any(name in reply_name for reply in replies for reply_name in reply):
            return proc
        if proc.poll() is not None:
            raise RuntimeError(f"the Celery worker exited with {proc.returncode}")
    proc.kill()
    raise RuntimeError("the Celery worker did not answer within 60 s")


def stop_worker(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


# --- authenticated API clients, one real user and token per role -------------------------------------------------

TEST_ORGANISATIONS = {
    # role: (organisation code, name, type, contingents)
    "gestionnaire": ("ATLAS", "Association ATLAS (gestionnaire du fichier)", "gestionnaire", []),
    "agent_bailleur": ("BAILLEUR-31", "Bailleur social test", "bailleur", []),
    "reservataire": ("PREF31", "Préfecture de la Haute-Garonne", "reservataire_etat", ["prefecture"]),
    "guichet": ("GUICHET-31", "Guichet enregistreur test", "guichet", []),
    "observatoire": ("OBS31", "Observatoire de l'habitat", "observatoire", []),
}
TEST_PASSWORD = "mot-de-passe-de-test-solide"


class ApiClient:
    """A Flask test client that sends a real bearer token of a real user."""

    def __init__(self, client, token: str, login: str, organisation: str):
        self._client = client
        self.token = token
        self.login = login
        self.organisation = organisation

    def _call(self, method: str, path: str, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        return getattr(self._client, method)(path, headers=headers, **kwargs)

    def get(self, path, **kw):
        return self._call("get", path, **kw)

    def post(self, path, **kw):
        return self._call("post", path, **kw)

    def patch(self, path, **kw):
        return self._call("patch", path, **kw)

    def put(self, path, **kw):
        return self._call("put", path, **kw)

    def delete(self, path, **kw):
        return self._call("delete", path, **kw)


def ensure_user(login: str, role: str, organisation: tuple) -> None:
    from sqlalchemy import select

    from app.auth import service
    from app.auth.models import Utilisateur
    from app.extensions import db

    code, nom, type_, contingents = organisation
    service.create_organisation(code, nom, type_, contingents)
    if db.session.scalar(select(Utilisateur).where(Utilisateur.login == login)) is None:
        service.create_user(login, code, [role], TEST_PASSWORD)


@pytest.fixture(scope="session")
def api_tokens(app) -> dict[str, tuple[str, str, str]]:
    """role -> (token, login, organisation code), issued through the real token endpoint."""
    tokens = {}
    with app.app_context():
        for role, organisation in TEST_ORGANISATIONS.items():
            ensure_user(f"test-{role}", role, organisation)
    client = app.test_client()
    for role, organisation in TEST_ORGANISATIONS.items():
        app.extensions["redis"].delete(f"fp:connexion:compte:test-{role}")
        response = client.post("/api/v1/auth/token", json={"login": f"test-{role}", "mot_de_passe": TEST_PASSWORD})
        assert response.status_code == 201, response.get_json()
        tokens[role] = (response.get_json()["jeton"], f"test-{role}", organisation[0])
    return tokens


@pytest.fixture
def api(app, api_tokens):
    """`api("guichet").post(...)`: an authenticated client for a role."""

    def for_role(role: str) -> ApiClient:
        token, login, organisation = api_tokens[role]
        return ApiClient(app.test_client(), token, login, organisation)

    return for_role
