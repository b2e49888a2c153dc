"""Nightly shortlists: pure allocation (no household over K, rank order, oldest logement first, determinism,
a failing logement isolated) and the stored run through the service, API and CLI on a real index."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from matching.shortlists import allouer
from tests.rapprochement.fixtures import creer_logement, demande, indexer

# --- pure algorithm -----------------------------------------------------------------------------------------------

CLASSEMENTS = {
    "L1": ["A", "B", "C", "D", "E", "F"],
    "L2": ["A", "B", "C", "D", "E", "F"],
    "L3": ["B", "A", "G"],
}


def _de(logement):
    return list(enumerate(CLASSEMENTS[logement], start=1))


@pytest.mark.parametrize(
    ("n", "k", "attendu"),
    [
        (2, 1, {"L1": ["A", "B"], "L2": ["C", "D"], "L3": ["G"]}),
        (2, 2, {"L1": ["A", "B"], "L2": ["A", "B"], "L3": ["G"]}),
        (3, 1, {"L1": ["A", "B", "C"], "L2": ["D", "E", "F"], "L3": ["G"]}),
        (5, 3, {"L1": ["A", "B", "C", "D", "E"], "L2": ["A", "B", "C", "D", "E"], "L3": ["B", "A", "G"]}),
    ],
)
def test_first_n_below_k_in_rank_order_oldest_logement_first(n, k, attendu):
    resultats, usage = allouer(["L1", "L2", "L3"], _de, n=n, k=k)
    assert {a.logement: [x for _, x in a.retenus] for a in resultats} == attendu
    assert max(usage.values()) <= k


def test_a_failing_logement_does_not_stop_the_run():
    def candidats(logement):
        if logement == "L2":
            raise RuntimeError("index indisponible")
        return _de(logement)

    resultats, usage = allouer(["L1", "L2", "L3"], candidats, n=2, k=1)
    assert [a.erreur is not None for a in resultats] == [False, True, False]
    assert [x for _, x in resultats[2].retenus] == ["G"]  # L3: A and B already used by L1
    assert usage == Counter({"A": 1, "B": 1, "G": 1})


def test_invalid_n_or_k():
    with pytest.raises(ValueError):
        allouer(["L1"], _de, n=0, k=1)


# --- stored run on a real index -----------------------------------------------------------------------------------


@pytest.fixture
def nuit(monde, api):
    for i in range(7):
        demande(f"S-{i}", date(2020 + i % 4, 1 + i, 1))
    indexer()
    recent = creer_logement(api, reference="RECENT", date_disponibilite="2026-04-01")
    ancien = creer_logement(api, reference="ANCIEN", date_disponibilite="2026-01-15")
    moyen = creer_logement(api, reference="MOYEN", date_disponibilite="2026-02-01")
    return ancien, moyen, recent


def test_nightly_run_respects_k_and_serves_oldest_availability_first(nuit, api, app_ctx):
    from app.shortlists.service import calculer, detail

    run = calculer(date(2026, 1, 20), n=3, k=1)
    assert run.statut == "termine" and run.total_logements == 3 and run.logements_traites == 3
    groupes = detail(run)
    ancien, moyen, recent = nuit
    assert [g["logement_id"] for g in groupes] == [ancien["id"], moyen["id"], recent["id"]]
    tous = [c["numero_unique"] for g in groupes for c in g["candidats"]]
    assert len(tous) == len(set(tous)) == 7  # K = 1: nobody twice; 7 households for 9 places
    # the oldest logement gets the three best-ranked households (oldest date_depot first, same group)
    assert [c["numero_unique"] for c in groupes[0]["candidats"]] == ["S-0", "S-4", "S-1"]
    assert run.propositions_count == 7


def test_rerun_of_the_same_night_is_identical_and_keeps_the_run_id(nuit, api, app_ctx):
    from app.shortlists.service import calculer, detail

    premier = calculer(date(2026, 1, 20), n=2, k=2)
    avant = (premier.id, detail(premier))
    second = calculer(date(2026, 1, 20), n=2, k=2)
    assert (second.id, detail(second)) == avant
    compte = Counter(c["numero_unique"] for g in detail(second) for c in g["candidats"])
    assert max(compte.values()) <= 2


def test_logements_with_an_open_cal_list_are_skipped_and_runs_are_listed(nuit, api, app_ctx):
    from app.shortlists.service import calculer

    ancien = nuit[0]
    ouverte = api("agent_bailleur").post(
        f"/api/v1/logements/{ancien['id']}/listes-cal",
        json={"candidats": ["S-0", "S-1", "S-2"], "date_commission": "2026-02-10"},
    )
    assert ouverte.status_code == 201, ouverte.get_json()
    run = calculer(date(2026, 1, 21), n=2, k=1)
    assert run.total_logements == 2
    listes = api("gestionnaire").get("/api/v1/shortlists").get_json()
    assert [r["date_run"] for r in listes] == ["2026-01-21"]
    body = api("gestionnaire").get(f"/api/v1/shortlists/{run.id}").get_json()
    assert ancien["id"] not in [g["logement_id"] for g in body["logements"]]
    assert body["statut"] == "termine" and body["duree_ms"] is not None
    assert api("gestionnaire").get("/api/v1/shortlists/inconnu").status_code == 404


def test_cli_computes_and_lists(nuit, app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["shortlists", "calculer", "--date", "2026-01-22", "--n", "2"])
    assert result.exit_code == 0, result.output
    assert "3/3 logements, 6 propositions, 0 en échec" in result.output
    listed = runner.invoke(args=["shortlists", "lister"])
    assert "2026-01-22" in listed.output


def test_growing_pages_walk_the_whole_ranking_in_order(nuit, api, app_ctx):
    """`classement` pages grow (1, 4, 16… here): the same ranks and numbers as one page holding everything."""
    from app.extensions import db
    from app.logements.models import Logement
    from app.rapprochement.service import classement
    from matching.options import MatchingOptions

    ancien, _, _ = nuit
    logement = db.session.get(Logement, ancien["id"]).matching_dict()
    options = MatchingOptions(on=date(2026, 1, 20))
    d_un_coup = list(classement(logement, options, taille=100))
    assert len(d_un_coup) == 7
    assert list(classement(logement, options, taille=1, taille_max=3)) == d_un_coup
    assert list(classement(logement, options, taille=2)) == d_un_coup
    assert [rang for rang, _ in d_un_coup] == list(range(1, 8))
