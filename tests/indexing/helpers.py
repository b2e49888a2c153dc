"""Helpers of the indexing tests: demandes written straight through the models (with their outbox entries, as the
demandes service does), index reset, waiting, and dedicated worker processes."""

from __future__ import annotations

import copy
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from app.demandes.models import Demande
from app.extensions import db
from app.outbox import OutboxEntry, record
from indexing import lifecycle
from tests.matching.donnees import BASE_DEMANDE

ROOT = Path(__file__).resolve().parents[2]
COLUMNS = {"numero_unique", "etat", "organisme_enregistreur", "date_depot", "date_renouvellement", "revision"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def payload(nom: str = "Martin", prenom: str = "Léa", **champs: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE_DEMANDE)
    souhaits = champs.pop("souhaits", None)
    data.update(champs)
    data["demandeur"] = {**data["demandeur"], "nom": nom, "prenom": prenom}
    if souhaits:
        data["souhaits"].update(souhaits)
    return {k: _jsonable(v) for k, v in data.items() if k not in COLUMNS}


def new_demande(
    numero: str,
    nom: str = "Martin",
    prenom: str = "Léa",
    etat: str = "active",
    organisme: str = "ATLAS",
    date_depot: date = date(2024, 1, 15),
    **champs: Any,
) -> Demande:
    """Add (not commit) a demande and its outbox entry to the session."""
    row = Demande(
        numero_unique=numero,
        etat=etat,
        organisme_enregistreur=organisme,
        date_depot=date_depot,
        complete=True,
        donnees=payload(nom, prenom, **champs),
        revision=1,
    )
    db.session.add(row)
    record("demande", numero, 1)
    return row


def create(numero: str, **kwargs: Any) -> Demande:
    row = new_demande(numero, **kwargs)
    db.session.commit()
    return row


def create_many(count: int, prefix: str = "031-T-", batch: int = 500, **kwargs: Any) -> list[str]:
    numeros = [f"{prefix}{i:07d}" for i in range(count)]
    for start in range(0, count, batch):
        for numero in numeros[start : start + batch]:
            new_demande(numero, nom=f"Nom{numero[-4:]}", **kwargs)
        db.session.commit()
    return numeros


def touch(numero: str, **donnees: Any) -> int:
    """A modification: new revision, payload fields replaced, outbox entry. Returns the new revision."""
    row = db.session.scalar(select(Demande).where(Demande.numero_unique == numero).with_for_update())
    assert row is not None
    row.revision += 1
    row.donnees = {**row.donnees, **_jsonable(donnees)}
    record("demande", numero, row.revision)
    db.session.commit()
    return row.revision


def erase(numero: str) -> None:
    row = db.session.scalar(select(Demande).where(Demande.numero_unique == numero).with_for_update())
    assert row is not None
    row.revision += 1
    row.efface_le = func.now()
    record("demande", numero, row.revision)
    db.session.commit()


def reset(es) -> None:
    """Empty tables and a fresh index behind the test alias (indices named explicitly for the delete)."""
    db.session.rollback()
    db.session.execute(text("TRUNCATE outbox, indexing_dead_letters, demandes CASCADE"))
    db.session.commit()
    spec = lifecycle.current_spec()
    existing = list(es.indices.get(index=spec.pattern, expand_wildcards="all").body)
    if existing:
        es.indices.delete(index=",".join(existing))
    lifecycle.create()


def revisions() -> dict[str, int]:
    db.session.rollback()
    rows = db.session.execute(select(Demande.numero_unique, Demande.revision).where(Demande.efface_le.is_(None)))
    return dict(rows.all())


def pending() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.processed_at.is_(None))) or 0


def processed() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.processed_at.is_not(None))) or 0


def wait_until(predicate: Callable[[], bool], timeout: float = 30.0, every: float = 0.2, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what or predicate}")


def index_in_sync(es) -> bool:
    """Every indexable row is in the index at its revision, and nothing else is."""
    es.indices.refresh(index=lifecycle.current_spec().alias)
    return lifecycle.reconcile().total == 0 and pending() == 0


def start_queue_worker(app, name: str, queue: str, concurrency: int = 2) -> subprocess.Popen:
    """A worker in its own process group (so a SIGKILL takes its pool children too), on a dedicated queue."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workers.main", "worker", "--loglevel", "WARNING",
         "--concurrency", str(concurrency), "-n", f"{name}@%h", "-Q", queue,
         "--without-heartbeat", "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=dict(os.environ), start_new_session=True,
    )  # fmt: skip
    celery = app.extensions["celery"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            replies = celery.control.ping(timeout=0.5) or []
        except Exception:  # a pooled broker connection from before a Redis restart: the next ping reconnects
            replies = []
            time.sleep(0.5)
        if any(name in reply_name for reply in replies for reply_name in reply):
            return proc
        if proc.poll() is not None:
            raise RuntimeError(f"the worker exited with {proc.returncode}")
    kill_group(proc)
    raise RuntimeError("the worker did not answer within 60 s")


def kill_group(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    proc.wait(timeout=30)
