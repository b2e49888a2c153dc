"""Benchmark of the matching (not a test), on the dataset left by `benchmarks/indexing.py` (same database
`<db>_bench`, Redis database 4, index prefix `fp-bench`): run the indexing benchmark first with the wanted N.

What it measures:
1. `GET /api/v1/logements/{id}/candidats` through the Flask test client with a real bearer token (gestionnaire),
   facets and exclusions included, for a set of varied vacant logements (communes of Toulouse Métropole, Sicoval
   and the Muretain, every typology, financing and contingent): p50/p95 end to end, Elasticsearch's own `took`,
   and the ratio.
2. The same eligibility and ranking written as ONE SQL query over `demandes` (JSONB `donnees`, no extra index):
   the first page, the total and the per-rule exclusion counts — p50/p95, ratio to the end-to-end API, and the
   totals compared with Elasticsearch's (they must agree).
3. The nightly shortlist run (`app.shortlists.service.calculer`) for 1 000 and 5 000 vacant logements.

Run:
    .venv/bin/python benchmarks/matching.py                   # after benchmarks/indexing.py --n N
    .venv/bin/python benchmarks/matching.py --nightly 1000,5000 --sql-logements 12
Results go to benchmarks/results/matching-<date>-<N>.md (with the command line and the machine).
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_spec = importlib.util.spec_from_file_location("bench_indexing", ROOT / "benchmarks" / "indexing.py")
bench_indexing = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_indexing)

TM, SICOVAL, MURETAIN = "243100518", "243100633", "200068641"
TYPOLOGIES = ["chambre", "T1", "T2", "T3", "T4", "T5", "T6"]
SURFACES = {"chambre": (12, 18), "T1": (20, 32), "T2": (40, 55), "T3": (58, 72), "T4": (75, 90), "T5": (88, 110),
            "T6": (105, 130)}  # fmt: skip
LOYER_M2 = {"PLAI": 5.6, "PLUS": 6.4, "PLS": 9.5, "PLI": 11.5}
CONTINGENTS = ["bailleur", "prefecture", "action_logement", "collectivite", "prefecture_agents_etat"]
BAILLEUR = "BENCH-BAILLEUR"
REF_PREFIX = "BENCH-"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(q * (len(ordered) - 1)))]


# --- logements -------------------------------------------------------------------------------------------------


def communes_bench() -> list[tuple[str, str]]:
    """(commune, EPCI) of the three EPCIs, Toulouse itself weighted like the demand."""
    from sqlalchemy import select

    from app.extensions import db
    from app.referentiel.models import Commune

    rows = db.session.execute(
        select(Commune.code, Commune.epci_code).where(Commune.epci_code.in_([TM, SICOVAL, MURETAIN]))
    ).all()
    return [(c, e) for c, e in rows]


def logement_rows(count: int, seed: int, start: int = 0) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    communes = communes_bench()
    par_epci = {e: [c for c, ee in communes if ee == e] for e in (TM, SICOVAL, MURETAIN)}
    rows = []
    for i in range(count):
        tirage = rng.random()
        if tirage < 0.40:
            commune = "31555"
        elif tirage < 0.75:
            commune = rng.choice(par_epci[TM])
        elif tirage < 0.88:
            commune = rng.choice(par_epci[SICOVAL])
        else:
            commune = rng.choice(par_epci[MURETAIN])
        typologie = rng.choices(TYPOLOGIES, weights=[2, 10, 30, 30, 18, 8, 2])[0]
        financement = rng.choices(list(LOYER_M2), weights=[30, 50, 15, 5])[0]
        surface = rng.uniform(*SURFACES[typologie])
        etage = rng.choice([0, 0, 1, 2, 3, 4, 5])
        rows.append(
            {
                "reference": f"{REF_PREFIX}{seed}-{start + i:06d}",
                "bailleur": BAILLEUR,
                "adresse": f"{start + i} rue du Banc d'Essai",
                "commune": commune,
                "qpv": rng.random() < 0.2,
                "typologie": typologie,
                "type_bien": "maison" if rng.random() < 0.12 else "appartement",
                "surface": round(surface, 2),
                "etage": etage,
                "ascenseur": etage > 2 or rng.random() < 0.4,
                "adapte_handicap": rng.random() < 0.08,
                "parking": rng.random() < 0.5,
                "financement": financement,
                "loyer": round(surface * LOYER_M2[financement], 2),
                "charges": round(rng.uniform(30, 120), 2),
                "contingent": CONTINGENTS[i % len(CONTINGENTS)] if i < 40 else rng.choice(CONTINGENTS),
                "date_disponibilite": date.today() + timedelta(days=rng.randint(0, 60)),
                "etat": "vacant",
                "revision": 1,
            }
        )
    return rows


def reset_logements() -> None:
    from sqlalchemy import delete

    from app.extensions import db
    from app.logements.models import Logement
    from app.shortlists.models import ShortlistProposition, ShortlistRun

    db.session.execute(delete(ShortlistProposition))
    db.session.execute(delete(ShortlistRun))
    db.session.execute(delete(Logement).where(Logement.bailleur == BAILLEUR))
    db.session.commit()


def insert_logements(rows: list[dict[str, Any]]) -> list[int]:
    from sqlalchemy import insert

    from app.extensions import db
    from app.logements.models import Logement

    ids = list(db.session.scalars(insert(Logement).returning(Logement.id), rows))
    db.session.commit()
    return ids


# --- API client ------------------------------------------------------------------------------------------------


def token(app) -> str:
    from sqlalchemy import select

    from app.auth import service
    from app.auth.models import Utilisateur
    from app.extensions import db

    login, password = "bench-gestionnaire", "mot-de-passe-du-banc-d-essai"
    service.create_organisation(BAILLEUR, "Bailleur du banc d'essai", "bailleur", [])
    service.create_organisation("BENCH-ATLAS", "Gestionnaire du banc d'essai", "gestionnaire", [])
    if db.session.scalar(select(Utilisateur).where(Utilisateur.login == login)) is None:
        service.create_user(login, "BENCH-ATLAS", ["gestionnaire"], password)
    db.session.commit()
    app.extensions["redis"].delete(f"fp:connexion:compte:{login}")
    response = app.test_client().post("/api/v1/auth/token", json={"login": login, "mot_de_passe": password})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["jeton"]


def api_latencies(app, ids: list[int], repetitions: int) -> dict[str, Any]:
    from app.rapprochement import cache_exclusions

    client = app.test_client()
    headers = {"Authorization": f"Bearer {token(app)}"}
    e2e, took, totals, ratios, coche = [], [], {}, [], []
    prefixe = app.config["SETTINGS"].es_index_prefix
    def appel(url: str) -> tuple[float, dict[str, Any]]:
        t0 = time.perf_counter()
        response = client.get(url, headers=headers)
        seconds = time.perf_counter() - t0
        body = response.get_json()
        assert response.status_code == 200, body
        assert "facettes" in body and "exclusions" in body
        return seconds * 1000, body

    for logement_id in ids:  # warm-up: one call per logement (caches of ES filters, Python imports)
        client.get(f"/api/v1/logements/{logement_id}/candidats", headers=headers)
    es = app.extensions["elasticsearch"]
    alias = prefixe + "-demandes"
    for _ in range(repetitions):
        for logement_id in ids:
            # First view of a list, the cold case: the shard request cache (emptied by every refresh with changes on
            # a live index) and the two-minute cache of the exclusion counts are both emptied first.
            es.indices.clear_cache(index=alias, request=True)
            cache_exclusions.vider()
            ms, body = appel(f"/api/v1/logements/{logement_id}/candidats")
            e2e.append(ms)
            took.append(float(body["took_ms"]))
            ratios.append(ms / max(float(body["took_ms"]), 1.0))
            totals[logement_id] = body["total"]
            # Then the agent ticks a facet: same rules, so the exclusion counts come from their cache.
            es.indices.clear_cache(index=alias, request=True)
            ms, _ = appel(f"/api/v1/logements/{logement_id}/candidats?groupe_priorite=2")
            coche.append(ms)
    return {"e2e": e2e, "took": took, "ratios": ratios, "totals": totals, "coche": coche}


# --- the SQL alternative ---------------------------------------------------------------------------------------


def sql_query(lgt, options) -> tuple[str, dict[str, Any], list[str]]:
    """Eligibility + ranking of `matching` as one PostgreSQL query over `demandes.donnees`; also the exclusion
    counts (pass every other rule, fail this one). Ceilings are computed in Python per category and inlined."""
    from app.referentiel.service import referentiel
    from matching.config import parametres
    from matching.occupation import occupants_max, occupants_min
    from matching.plafonds import PlafondInconnu, plafond
    from matching.search import _any_category_known

    ref = referentiel()
    epci = ref.epci_of(lgt.commune)
    dep = ref.departement_of(lgt.commune)
    communes_epci = sorted(c for c, e in ref.epci_par_commune.items() if e == epci) if epci else []
    params: dict[str, Any] = {"commune": lgt.commune, "dep": dep, "epci": epci or "", "communes_epci": communes_epci,
                              "typologie": lgt.typologie, "type_bien": lgt.type_bien, "on": options.on,
                              "cout": lgt.cout_mensuel, "occ_min": occupants_min(lgt.typologie)}  # fmt: skip
    jm = parametres()["jeune_menage"]
    params["liens_couple"] = list(jm["liens_couple"])
    params["somme_ages"] = int(jm["somme_ages_max"])
    rules: dict[str, str] = {
        "etat": "etat = 'active'",
        "localisation": "(souhaits->'communes' ? %(commune)s OR souhaits->'secteurs' ? %(dep)s"
        + (" OR souhaits->'secteurs' ? %(epci)s OR (coalesce((souhaits->>'elargissement')::boolean, false)"
           " AND souhaits->'communes'->>0 = ANY(%(communes_epci)s))" if epci else "") + ")",
        "typologie": "souhaits->'typologies' ? %(typologie)s",
        "type_bien": "coalesce(souhaits->>'type_bien', 'indifferent') IN (%(type_bien)s, 'indifferent')",
    }  # fmt: skip
    if lgt.etage == 0:
        rules["rdc"] = "coalesce((souhaits->>'rdc_accepte')::boolean, true)"
    if lgt.etage > 0 and not lgt.ascenseur:
        rules["ascenseur"] = "coalesce((souhaits->>'sans_ascenseur_accepte')::boolean, true)"
    if not lgt.adapte_handicap:
        rules["adaptation"] = "NOT coalesce((j->>'besoin_logement_adapte')::boolean, false)"
    if _any_category_known(lgt):
        extra_max = options.personnes_supplementaires_max
        branches = []
        for rang in range(1, 7 + extra_max):
            categorie, supp = min(rang, 6), max(rang - 6, 0)
            try:
                montant = plafond(lgt.financement, categorie, supp, lgt.annee_bareme, lgt.commune)
                branches.append(f"WHEN {rang} THEN rfr <= {int(montant)}")
            except PlafondInconnu:
                branches.append(f"WHEN {rang} THEN true")
        rules["ressources"] = f"(CASE rang {' '.join(branches)} ELSE true END)"
    if lgt.contingent == "action_logement":
        rules["contingent"] = "coalesce((j->>'salarie_secteur_prive')::boolean, false)"
    elif lgt.contingent == "prefecture":
        rules["contingent"] = "groupe <= 1"
    elif lgt.contingent == "prefecture_agents_etat":
        rules["contingent"] = "coalesce((j->>'agent_etat')::boolean, false)"
    maximum = occupants_max(lgt.surface)
    rules["occupation"] = "n_occ >= %(occ_min)s" + (f" AND n_occ <= {int(maximum)}" if maximum is not None else "")
    rules["loyer"] = "(souhaits->>'loyer_max' IS NULL OR (souhaits->>'loyer_max')::numeric >= %(cout)s)"
    codes = list(rules)
    # A missing field fails a rule, as a term query on a missing field does in Elasticsearch (no NULL logic).
    conditions = {code: f"coalesce(({expr}), false)" for code, expr in rules.items()}
    eligible = " AND ".join(conditions.values())
    exclusions = ",\n  ".join(
        f"count(*) FILTER (WHERE NOT {conditions[c]} AND {' AND '.join(v for k, v in conditions.items() if k != c)})"
        f" AS excl_{c}"
        for c in codes
    )
    adapt = "coalesce((j->>'besoin_logement_adapte')::boolean, false) DESC, " if lgt.adapte_handicap else ""
    sql = f"""
WITH base AS (
  SELECT d.numero_unique, d.etat, d.date_depot, d.donnees AS j, d.donnees->'souhaits' AS souhaits,
         1 + jsonb_array_length(coalesce(d.donnees->'co_demandeurs', '[]')) AS adultes,
         coalesce((d.donnees->>'personnes_a_charge')::int, 0) AS pac,
         coalesce((d.donnees->>'enfants_droit_visite')::int, 0) + coalesce((d.donnees->>'naissances_attendues')::int, 0)
           AS extra_occ,
         coalesce((d.donnees->>'personnes_handicapees')::int, 0) AS handi,
         coalesce((d.donnees->>'revenu_fiscal_reference')::bigint, 0) AS rfr,
         CASE WHEN coalesce((d.donnees->>'dalo')::boolean, false) THEN 0
              WHEN jsonb_array_length(coalesce(d.donnees->'priorites', '[]')) > 0 THEN 1 ELSE 2 END AS groupe,
         (jsonb_array_length(coalesce(d.donnees->'co_demandeurs', '[]')) = 1
          AND d.donnees->'co_demandeurs'->0->>'lien' = ANY(%(liens_couple)s)
          AND coalesce((d.donnees->>'personnes_a_charge')::int, 0) = 0
          AND date_part('year', age(%(on)s::date, (d.donnees->'demandeur'->>'date_naissance')::date))
            + date_part('year', age(%(on)s::date, (d.donnees->'co_demandeurs'->0->>'date_naissance')::date))
            <= %(somme_ages)s) AS jeune
  FROM demandes d WHERE d.efface_le IS NULL
), m AS (
  SELECT *, adultes + pac AS n, adultes + pac + extra_occ AS n_occ,
         GREATEST(adultes + pac,
                  CASE WHEN adultes = 1 AND pac >= 1 THEN pac + 2 ELSE 0 END,
                  CASE WHEN handi > 0 THEN adultes + pac + 1 ELSE 0 END,
                  CASE WHEN jeune THEN 3 ELSE 0 END) AS rang
  FROM base
), r AS (
  SELECT *, ({eligible}) AS ok FROM m
)
SELECT
  count(*) FILTER (WHERE ok) AS total,
  {exclusions},
  (SELECT array_agg(numero_unique) FROM (
     SELECT numero_unique FROM r WHERE ok
     ORDER BY {adapt}groupe, date_depot, numero_unique LIMIT 20) page) AS page
FROM r
"""
    return sql, params, codes


def sql_latencies(app, logements: list, options, repetitions: int, es_totals: dict[int, int]) -> dict[str, Any]:
    from app.extensions import db

    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        latencies, agree, disagree = [], 0, []
        for logement_id, lgt in logements:
            sql, params, _codes = sql_query(lgt, options)
            for _ in range(repetitions):
                t0 = time.perf_counter()
                cursor.execute(sql, params)
                row = cursor.fetchone()
                latencies.append((time.perf_counter() - t0) * 1000)
            total = int(row[0])
            if total == es_totals.get(logement_id):
                agree += 1
            else:
                disagree.append((logement_id, total, es_totals.get(logement_id)))
        raw.rollback()
    finally:
        raw.close()
    return {"latencies": latencies, "agree": agree, "disagree": disagree}


# --- nightly ---------------------------------------------------------------------------------------------------


def nightly(count: int, seed: int) -> dict[str, Any]:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.shortlists import service as shortlists
    from app.shortlists.models import ShortlistProposition

    reset_logements()
    insert_logements(logement_rows(count, seed=seed))
    vacants = len(shortlists.logements_a_servir())
    t0 = time.perf_counter()
    run = shortlists.calculer(date_run=date.today())
    seconds = time.perf_counter() - t0
    distincts = db.session.scalar(
        select(func.count(func.distinct(ShortlistProposition.numero_unique))).where(
            ShortlistProposition.run_id == run.id, ShortlistProposition.numero_unique.is_not(None)
        )
    )
    return {"logements": vacants, "seconds": seconds, "propositions": run.propositions_count,
            "echecs": run.logements_en_echec, "statut": run.statut, "distincts": distincts,
            "duree_ms": run.duree_ms}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logements", type=int, default=40, help="logements variés pour la latence")
    parser.add_argument("--repetitions", type=int, default=5, help="appels par logement (après un échauffement)")
    parser.add_argument("--sql-logements", type=int, default=12, help="logements mesurés en SQL")
    parser.add_argument("--sql-repetitions", type=int, default=3)
    parser.add_argument("--nightly", default="1000,5000", help="tailles du calcul de nuit ('' : aucun)")
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--suffixe", default="", help="ajouté au nom du fichier de résultats (une variante mesurée)")
    args = parser.parse_args()

    bench_indexing.isolate()
    from app import create_app
    from app.rapprochement.service import Recherche
    from indexing import lifecycle
    from matching.logement import as_logement

    app = create_app()
    app.config["OUTBOX_ENQUEUE_AFTER_COMMIT"] = False  # nothing indexed here; no worker runs
    with app.app_context():
        from flask_migrate import upgrade
        from sqlalchemy import func, select

        upgrade(revision="heads")  # a dataset built by an older checkout lacks the newer tables

        from app.demandes.models import Demande
        from app.extensions import db
        from app.logements.models import Logement

        status = lifecycle.status()
        actives = db.session.scalar(select(func.count()).select_from(Demande).where(Demande.etat == "active"))
        print(f"Index : {status['documents']} documents ; demandes actives en base : {actives}")
        reset_logements()
        ids = insert_logements(logement_rows(args.logements, seed=args.seed))
        print(f"API candidats : {len(ids)} logements × {args.repetitions}…")
        api = api_latencies(app, ids, args.repetitions)
        print(f"  p50 {statistics.median(api['e2e']):.1f} ms, p95 {pct(api['e2e'], 0.95):.1f} ms")
        options = Recherche().options()
        choisis = [(i, as_logement(db.session.get(Logement, i).matching_dict())) for i in ids[: args.sql_logements]]
        print(f"SQL : {len(choisis)} logements × {args.sql_repetitions}…")
        sql = sql_latencies(app, choisis, options, args.sql_repetitions, api["totals"])
        print(f"  p50 {statistics.median(sql['latencies']):.0f} ms ; totaux identiques {sql['agree']}/{len(choisis)}")
        sample_sql = sql_query(choisis[0][1], options)[0]
        runs = []
        for size in [int(s) for s in args.nightly.split(",") if s.strip()]:
            print(f"Calcul de nuit : {size} logements…")
            runs.append(nightly(size, seed=args.seed + size))
            print(f"  {runs[-1]['seconds']:.1f} s")
        reset_logements()

    e2e, took = api["e2e"], api["took"]
    e2e50, e2e95, took50, took95 = statistics.median(e2e), pct(e2e, 0.95), statistics.median(took), pct(took, 0.95)
    sql50, sql95 = statistics.median(sql["latencies"]), pct(sql["latencies"], 0.95)
    with app.app_context():
        typologies = sorted(
            {lg.typologie for lg in map(as_logement, logement_rows(args.logements, args.seed))}, key=TYPOLOGIES.index
        )
    rows = [
        ("Active demandes in the database / documents in the index", f"{actives} / {status['documents']}"),
        (f"`GET /logements/{{id}}/candidats` end to end (test client, real token, facets + exclusions), "
         f"{len(ids)} logements × {args.repetitions} after a warm-up call each; first view of the list (request cache "
         f"and exclusion-count cache emptied)",
         f"p50 **{e2e50:.1f} ms**, p95 **{e2e95:.1f} ms**, max {max(e2e):.1f} ms"),
        ("Elasticsearch `took` of the same calls", f"p50 {took50:.0f} ms, p95 {took95:.0f} ms"),
        ("Then a facet ticked on the same list (exclusion counts from their two-minute cache, request cache emptied)",
         f"p50 **{statistics.median(api['coche']):.1f} ms**, p95 **{pct(api['coche'], 0.95):.1f} ms**"),
        ("Ratio end to end ÷ took (p50 of per-call ratios; p50/p50; p95/p95)",
         f"**{statistics.median(api['ratios']):.2f}**; {e2e50 / max(took50, 1):.2f}; {e2e95 / max(took95, 1):.2f}"),
        (f"Same eligibility + ranking as ONE SQL query on `demandes.donnees` (page of 20, total, exclusion "
         f"counts), {len(choisis)} logements × {args.sql_repetitions}",
         f"p50 **{sql50:.0f} ms**, p95 **{sql95:.0f} ms**"),
        ("Ratio SQL ÷ API end to end (p50; p95)", f"**{sql50 / e2e50:.0f}×**; {sql95 / e2e95:.0f}×"),
        ("SQL totals equal to Elasticsearch totals", f"{sql['agree']}/{len(choisis)}"
         + (f" (differences: {sql['disagree']})" if sql["disagree"] else "")),
    ]  # fmt: skip
    for run in runs:
        rows.append(
            (f"Nightly shortlists (`shortlists.calculer`, N=5, K=1), {run['logements']} vacant logements",
             f"**{run['seconds']:.1f} s** ({run['logements'] / run['seconds']:.0f} logements/s), "
             f"{run['propositions']} proposals, {run['distincts']} distinct households, "
             f"{run['echecs']} failures, status {run['statut']}")
        )  # fmt: skip
    table = "\n".join(f"| {label} | {value} |" for label, value in rows)
    command = "python benchmarks/matching.py " + " ".join(sys.argv[1:])
    report = (
        f"# Matching benchmark — {date.today().isoformat()} — {actives} active demandes\n\n"
        f"Command: `{command}` (after `python benchmarks/indexing.py --n …` built the dataset)\n\n"
        f"Machine: {bench_indexing.machine()}\n\n"
        "Elasticsearch single node (heap from `scripts/services.sh`, `ES_HEAP`), PostgreSQL and Redis on the same "
        "machine; other developers' test suites ran at the same time (load noise).\n\n"
        f"Logements: communes of Toulouse Métropole (40 % Toulouse), Sicoval and the Muretain; typologies "
        f"{', '.join(typologies)}…; PLAI/PLUS/PLS/PLI; the five contingents in turn; 8 % adapted.\n\n"
        "| Measure | Value |\n|---|---|\n"
        f"{table}\n\n"
        "Targets (issue 5): p95 ≤ 100 ms end to end at 1 M, end-to-end ÷ took ≤ 1.5, nightly 5 000 logements "
        "≤ 5 minutes.\n\n"
        "The SQL query (first logement of the set), parameters bound by psycopg:\n\n"
        f"```sql{sample_sql}```\n"
    )
    suffixe = f"-{args.suffixe}" if args.suffixe else ""
    out = ROOT / "benchmarks" / "results" / f"matching-{date.today().isoformat()}-{actives}{suffixe}.md"
    out.write_text(report, encoding="utf-8")
    print(report)
    print(f"Résultats écrits dans {out}")


if __name__ == "__main__":
    main()
