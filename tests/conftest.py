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
    from app.config import load_env_file

    load_env_file()
    url = make_url(os.environ["DATABASE_URL"])
    test_db = f"{url.database}_test"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": test_db}).scalar():
            conn.execute(text(f'CREATE DATABASE "{test_db}"'))
    admin.dispose()
    os.environ["DATABASE_URL"] = url.set(database=test_db).render_as_string(hide_password=False)
    os.environ["REDIS_URL"] = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/1"
    os.environ["ES_INDEX_PREFIX"] = "fp-test"
    os.environ["CELERY_QUEUE"] = "fp-test"
    os.environ["FP_DEMO"] = "0"


_isolate_environment()


@pytest.fixture(scope="session")
def app():
    from flask_migrate import upgrade

    from app import create_app
    from app.referentiel.loader import load_referentiel

    flask_app = create_app({"TESTING": True})
    with flask_app.app_context():
        upgrade()
        load_referentiel()
    return flask_app


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
        [sys.executable, "-m", "celery", "-A", "workers.main", "worker", "--loglevel", "WARNING",
         "--concurrency", "2", "-n", f"{name}@%h", "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=dict(os.environ),
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
