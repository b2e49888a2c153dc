"""Where Elasticsearch spends a `candidats` request (not a test): `took` of the two searches that
`app.rapprochement.service` sends in one `_msearch` (candidates + facets, exclusion counts) and of the candidates
alone, with the shard request cache off (the cold case). Runs on the dataset of `benchmarks/indexing.py` (like
`benchmarks/matching.py`), for the first `--logements` logements that `benchmarks/matching.py` generates.

    .venv/bin/python benchmarks/matching_breakdown.py --logements 12
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_spec = importlib.util.spec_from_file_location("bench_matching", ROOT / "benchmarks" / "matching.py")
bench_matching = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_matching)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--logements", type=int, default=12)
    parser.add_argument("--repetitions", type=int, default=2)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    bench_matching.bench_indexing.isolate()
    from app import create_app

    app = create_app()
    with app.app_context():
        from app.rapprochement.facettes import applicables
        from app.rapprochement.service import Recherche, alias_demandes, corps_exclusions, corps_recherche
        from matching.logement import as_logement

        es = app.extensions["elasticsearch"]
        took: dict[str, list[int]] = {}
        for row in bench_matching.logement_rows(args.logements, seed=args.seed):
            logement = as_logement(row)
            body = corps_recherche(logement, Recherche(), applicables(logement, Recherche().options().on))
            sans_facettes = copy.deepcopy(body)
            del sans_facettes["aggs"]
            variants = {"candidates + facets": body, "candidates only": sans_facettes,
                        "exclusion counts": corps_exclusions(logement, Recherche())}  # fmt: skip
            for name, variant in variants.items():

                def run(body: dict) -> int:
                    return es.search(index=alias_demandes(), body=body, request_cache=False)["took"]

                run(variant)  # warm-up
                for _ in range(args.repetitions):
                    took.setdefault(name, []).append(run(variant))
        for name, values in took.items():
            p50, top = statistics.median(values), max(values)
            print(f"{name:34s} took p50 {p50:5.0f} ms, max {top:5.0f} ms (n={len(values)})")


if __name__ == "__main__":
    main()
