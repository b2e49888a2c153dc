"""Benchmark of the indexing pipeline (not a test): database + outbox + Celery + Elasticsearch, end to end.

What it measures, on its own database (`<db>_bench`), Redis database 4, Celery queue and index prefix `fp-bench`:
1. Full pipeline: N generated demandes (app.demo generator, Faker fr_FR) written through the demandes service in
   transactions of `--lot` (each commit enqueues `index_outbox` tasks), consumed by a real Celery worker process;
   time from the first write to the last outbox entry processed → demandes/s.
2. Raw `_bulk` of the same documents, prebuilt (not timed) → documents/s, and the ratio full / raw.
3. Freshness under a steady write rate (`--rate` creations/s for `--duree` s): commit → visible to a search.
4. Peak RSS of the worker (main process + pool children) and of this process (the writer, standing for the web).

Run (services started by `make run`/`make test` or `scripts/services.sh start`):
    .venv/bin/python benchmarks/indexing.py --n 100000
    .venv/bin/python benchmarks/indexing.py --n 1000000 --concurrency 2     # give ES 2 GB first: ES_HEAP=2g
Results go to benchmarks/results/indexing-<date>.md (with the command line and the machine).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def isolate() -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from app.config import load_env_file

    load_env_file()
    url = make_url(os.environ["DATABASE_URL"])
    bench_db = f"{url.database}_bench"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": bench_db}).scalar():
            conn.execute(text(f'CREATE DATABASE "{bench_db}"'))
    admin.dispose()
    os.environ["DATABASE_URL"] = url.set(database=bench_db).render_as_string(hide_password=False)
    os.environ["REDIS_URL"] = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/4"
    os.environ["ES_INDEX_PREFIX"] = "fp-bench"
    os.environ["CELERY_QUEUE"] = "fp-bench"
    os.environ["FP_DEMO"] = "0"


class RssSampler(threading.Thread):
    """Peak resident memory of a process tree, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.stop = pid, 0, threading.Event()

    def run(self) -> None:
        import psutil

        root = psutil.Process(self.pid)
        while not self.stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.2)


def start_worker(app, concurrency: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "workers.main", "worker", "--loglevel", "WARNING",
         "--concurrency", str(concurrency), "-n", "fp-bench@%h", "--without-heartbeat", "--without-mingle",
         "--without-gossip"],
        cwd=ROOT, env=dict(os.environ), start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.extensions["celery"].control.ping(timeout=0.5) or []
        if any("fp-bench" in name for reply in replies for name in reply):
            return proc
    raise RuntimeError("the benchmark worker did not start")


def reset(es) -> None:
    from sqlalchemy import text

    from app.extensions import db
    from indexing import lifecycle

    db.session.execute(text("TRUNCATE outbox, indexing_dead_letters, demandes CASCADE"))
    db.session.commit()
    spec = lifecycle.current_spec()
    existing = list(es.indices.get(index=f"{spec.prefix}-*", expand_wildcards="all").body)
    if existing:
        es.indices.delete(index=",".join(existing))
    lifecycle.create()


def pending() -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.outbox import OutboxEntry

    db.session.rollback()
    return db.session.scalar(select(func.count(OutboxEntry.id)).where(OutboxEntry.processed_at.is_(None))) or 0


def generate_payloads(n: int, path: Path, seed: int) -> None:
    import factory.random

    from app.demo import generator

    factory.random.reseed_random(seed)
    with path.open("w", encoding="utf-8") as out:
        done = 0
        while done < n:
            lot = min(5000, n - done)
            for payload in generator.payloads(lot):
                out.write(json.dumps(payload, default=str, ensure_ascii=False) + "\n")
            done += lot
            print(f"\r  payloads générés : {done}/{n}", end="", flush=True)
    print()


def read_batches(path: Path, size: int):
    batch: list[dict] = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            batch.append(json.loads(line))
            if len(batch) == size:
                yield batch
                batch = []
    if batch:
        yield batch


def full_pipeline(path: Path, n: int, lot: int) -> dict[str, float]:
    from app.demandes import service
    from app.extensions import db

    started = time.perf_counter()
    written = 0
    for batch in read_batches(path, lot):
        service.create_many(batch, source="demo")
        db.session.expunge_all()
        written += len(batch)
        print(f"\r  écrites : {written}/{n}, en attente d'indexation : {pending()}", end="", flush=True)
    writes_done = time.perf_counter()
    while (left := pending()) > 0:
        print(f"\r  écrites : {written}/{n}, en attente d'indexation : {left}        ", end="", flush=True)
        time.sleep(0.5)
    print()
    ended = time.perf_counter()
    return {"seconds": ended - started, "writes_seconds": writes_done - started, "rate": n / (ended - started)}


def raw_bulk(es, n: int) -> dict[str, float]:
    """The same documents, prebuilt from the rows (not timed), bulk-loaded into a fresh index (timed)."""
    from elasticsearch.helpers import parallel_bulk

    from indexing import lifecycle, source

    spec = lifecycle.current_spec()
    name = f"{spec.prefix}-raw-{datetime.now():%H%M%S}"
    body = spec.body()
    es.indices.create(index=name, settings={**body["settings"], "number_of_replicas": 0}, mappings=body["mappings"])
    with tempfile.NamedTemporaryFile("w+", suffix=".ndjson", delete=False) as tmp:
        for row in lifecycle._indexable_rows():
            tmp.write(json.dumps({"_id": row.numero_unique, "v": row.revision, "d": source.build(row)}) + "\n")
        tmp_path = Path(tmp.name)

    def actions():
        with tmp_path.open() as lines:
            for line in lines:
                item = json.loads(line)
                yield {"_index": name, "_id": item["_id"], "version": item["v"], "version_type": "external_gte",
                       "_source": item["d"]}  # fmt: skip

    started = time.perf_counter()
    count = sum(1 for ok, _ in parallel_bulk(es, actions(), thread_count=2, chunk_size=500) if ok)
    seconds = time.perf_counter() - started
    tmp_path.unlink()
    es.indices.delete(index=name)
    return {"seconds": seconds, "rate": count / seconds, "documents": count}


def freshness(es, path: Path, rate: float, duree: float) -> dict[str, float]:
    """Creations at `rate`/s; a poller searches the pending numbers every 20 ms (search visibility, with refresh)."""
    from app.demandes import service
    from indexing import lifecycle

    alias = lifecycle.current_spec().alias
    commits: dict[str, float] = {}
    seen: dict[str, float] = {}
    lock = threading.Lock()
    done = threading.Event()

    def poll() -> None:
        while not done.is_set() or len(seen) < len(commits):
            with lock:
                waiting = [k for k in commits if k not in seen]
            if waiting:
                hits = es.search(index=alias, query={"ids": {"values": waiting}}, size=len(waiting), source=False)
                now = time.perf_counter()
                with lock:
                    for hit in hits["hits"]["hits"]:
                        seen.setdefault(hit["_id"], now)
            time.sleep(0.02)
            if done.is_set() and time.perf_counter() - last_commit[0] > 60:
                return

    last_commit = [time.perf_counter()]
    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    total = int(rate * duree)
    batches = read_batches(path, 1)
    t0 = time.perf_counter()
    for i in range(total):
        target = t0 + i / rate
        if (delay := target - time.perf_counter()) > 0:
            time.sleep(delay)
        payload = next(batches)[0]
        payload.pop("numero_unique", None)
        demande = service.create(payload, source="demo")
        now = time.perf_counter()
        with lock:
            commits[demande.numero_unique] = now
        last_commit[0] = now
    done.set()
    poller.join()
    latencies = sorted(seen[k] - commits[k] for k in seen)
    return {
        "writes": total,
        "achieved_rate": total / (last_commit[0] - t0),
        "p50": statistics.median(latencies),
        "p95": latencies[max(0, round(0.95 * (len(latencies) - 1)))],
        "max": latencies[-1],
        "lost": total - len(latencies),
    }


def machine() -> str:
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as info:
            model = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        model = cpu
    return f"{os.cpu_count()} cœurs ({model}), {mem_gb:.1f} Go de mémoire, {platform.platform()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="demandes générées")
    parser.add_argument("--lot", type=int, default=1000, help="demandes par transaction")
    parser.add_argument("--concurrency", type=int, default=2, help="processus du worker Celery")
    parser.add_argument("--rate", type=float, default=20.0, help="écritures par seconde pour la fraîcheur")
    parser.add_argument("--duree", type=float, default=30.0, help="durée de la mesure de fraîcheur (s)")
    parser.add_argument("--seed", type=int, default=31)
    args = parser.parse_args()

    isolate()
    from flask_migrate import upgrade

    from app import create_app
    from app.referentiel.loader import load_referentiel
    from indexing import lifecycle

    app = create_app()
    with app.app_context():
        upgrade(revision="heads")
        load_referentiel()
        es = app.extensions["elasticsearch"]
        reset(es)
        workdir = Path(tempfile.mkdtemp(prefix="fp-bench-"))
        payloads_path = workdir / "payloads.ndjson"
        extra = int(args.rate * args.duree) + 10
        print(f"Génération de {args.n + extra} payloads (non chronométrée)…")
        generate_payloads(args.n + extra, payloads_path, args.seed)
        main_path, fresh_path = workdir / "main.ndjson", workdir / "fresh.ndjson"
        with payloads_path.open() as src, main_path.open("w") as a, fresh_path.open("w") as b:
            for i, line in enumerate(src):
                (a if i < args.n else b).write(line)

        worker = start_worker(app, args.concurrency)
        sampler = RssSampler(worker.pid)
        sampler.start()
        try:
            print(f"Pipeline complet : {args.n} demandes…")
            full = full_pipeline(main_path, args.n, args.lot)
            es.indices.refresh(index=lifecycle.current_spec().alias)
            diff = lifecycle.reconcile()
            print(f"  {full['rate']:.0f} demandes/s ; réconciliation : {diff.total} écarts")
            print(f"Fraîcheur : {args.rate:g} écritures/s pendant {args.duree:g} s…")
            fresh = freshness(es, fresh_path, args.rate, args.duree)
            print(f"  p50 {fresh['p50']:.3f} s, p95 {fresh['p95']:.3f} s")
        finally:
            sampler.stop.set()
            os.killpg(worker.pid, 15)
            worker.wait(timeout=60)
        print("Bulk brut des mêmes documents…")
        raw = raw_bulk(es, args.n)
        print(f"  {raw['rate']:.0f} documents/s")
        status = lifecycle.status()
    writer_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    command = "python benchmarks/indexing.py " + " ".join(sys.argv[1:])
    pipeline = f"service `create_many` by {args.lot} → outbox → Celery ×{args.concurrency} → `_bulk`"
    rows = [
        ("Demandes (full pipeline: " + pipeline + ")", f"{args.n}"),
        ("Full pipeline, first write → last entry processed",
         f"{full['seconds']:.1f} s → **{full['rate']:.0f} demandes/s**"),
        ("of which database writes (service layer, validation included)",
         f"{full['writes_seconds']:.1f} s ({args.n / full['writes_seconds']:.0f} demandes/s)"),
        ("Raw `_bulk` of the same prebuilt documents (2 threads × 500)",
         f"{raw['seconds']:.1f} s → {raw['rate']:.0f} documents/s"),
        ("Ratio full pipeline / raw bulk", f"**{full['rate'] / raw['rate']:.2f}**"),
        ("Reconcile after the load (missing + orphans + stale)", f"{diff.total}"),
        (f"Freshness commit → searchable, {fresh['writes']} creations at {fresh['achieved_rate']:.1f}/s",
         f"p50 **{fresh['p50']:.3f} s**, p95 **{fresh['p95']:.3f} s**, max {fresh['max']:.3f} s, "
         f"not seen {fresh['lost']}"),
        (f"Peak RSS of the worker (main + {args.concurrency} pool processes)", f"{sampler.peak / 1024**2:.0f} MB"),
        ("Peak RSS of the writer process (stands for the web process)", f"{writer_rss:.0f} MB"),
        ("Index documents / expected at the end", f"{status['documents']} / {status['attendus']}"),
    ]  # fmt: skip
    table = "\n".join(f"| {label} | {value} |" for label, value in rows)
    report = (
        f"# Indexing pipeline benchmark — {date.today().isoformat()}\n\n"
        f"Command: `{command}`\n\nMachine: {machine()}\n\n"
        "Elasticsearch single node (heap from `scripts/services.sh`, `ES_HEAP`), PostgreSQL and Redis on the same "
        "machine.\n\n| Measure | Value |\n|---|---|\n"
        f"{table}\n\n"
        "Targets (issue 3): ≥ 2 000 demandes/s end to end at 1 M, ≥ 0.6 of raw bulk, freshness p95 ≤ 2 s.\n"
    )
    out = ROOT / "benchmarks" / "results" / f"indexing-{date.today().isoformat()}-{args.n}.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(report, encoding="utf-8")
    print(report)
    print(f"Résultats écrits dans {out}")


if __name__ == "__main__":
    main()
