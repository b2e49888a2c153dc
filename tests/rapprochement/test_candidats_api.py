"""Candidates of a logement through the API on a real index: ordering per the rules, explanations, facets that
sum to the total under post_filter, exclusions per rule ("excluded by this rule alone"), deep pages."""

from __future__ import annotations

from datetime import date

import pytest

from tests.rapprochement.fixtures import BLAGNAC, MURET, TOULOUSE, creer_logement, demande, indexer

# Logement (fixtures.LOGEMENT): Toulouse, T2 appartement, 45 m², 2nd floor with lift, PLUS, 400 € + 50 €,
# contingent bailleur, available 2026-03-01 (PLUS 2026 ceiling, one person: 23 403 €, domain.md §4).


@pytest.fixture
def jeu(monde, api):
    """Five eligible households, one that needs an adapted dwelling, and one failing each rule exactly once."""
    demande("D-DALO", date(2025, 6, 1), dalo=True)
    demande("D-PRIO-ANCIEN", date(2023, 1, 1), priorites=["sans_logement"])
    demande("D-AUTRE-ANCIEN", date(2022, 1, 1))
    demande("D-AUTRE-RECENT", date(2024, 1, 1), souhaits={"communes": [BLAGNAC, TOULOUSE]})
    demande("D-PRIO-RECENT", date(2024, 5, 1), priorites=["violences"], logement_actuel="heberge_tiers")
    demande("D-ADAPTE", date(2025, 1, 1), besoin_logement_adapte=True, personnes_handicapees=1)
    # each fails exactly one rule
    demande("X-ETAT", date(2020, 1, 1), etat="radiee")
    demande("X-LOCALISATION", date(2020, 1, 1), souhaits={"communes": [MURET]})
    demande("X-TYPOLOGIE", date(2020, 1, 1), souhaits={"typologies": ["T4"]})
    demande("X-TYPE-BIEN", date(2020, 1, 1), souhaits={"type_bien": "maison"})
    demande("X-RESSOURCES", date(2020, 1, 1), revenu_fiscal_reference=23404)  # one euro above the ceiling
    demande("X-OCCUPATION", date(2020, 1, 1), personnes_a_charge=5)  # 6 persons need 52 m²
    demande("X-LOYER", date(2020, 1, 1), souhaits={"loyer_max": 449})
    # fails two rules: counted in no exclusion
    demande("X-DEUX", date(2020, 1, 1), souhaits={"communes": [MURET], "typologies": ["T4"]})
    demande("OK-PLAFOND", date(2024, 2, 1), revenu_fiscal_reference=23403)  # exactly at the ceiling: eligible
    indexer()
    return creer_logement(api)


ORDRE = ["D-DALO", "D-PRIO-ANCIEN", "D-PRIO-RECENT", "D-AUTRE-ANCIEN", "D-AUTRE-RECENT", "OK-PLAFOND"]


def _candidats(api, logement_id: int, query: str = ""):
    response = api("agent_bailleur").get(f"/api/v1/logements/{logement_id}/candidats{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_order_is_dalo_then_priority_then_others_oldest_first(jeu, api):
    body = _candidats(api, jeu["id"])
    assert body["total"] == 6
    assert [c["numero_unique"] for c in body["candidats"]] == ORDRE
    assert [c["rang"] for c in body["candidats"]] == [1, 2, 3, 4, 5, 6]
    assert body["suivant"] is None


def test_adapted_logement_puts_households_needing_adaptation_first(jeu, api):
    adapte = creer_logement(api, reference="LGT-ADAPTE", adapte_handicap=True)
    body = _candidats(api, adapte["id"])
    assert [c["numero_unique"] for c in body["candidats"]] == ["D-ADAPTE", *ORDRE]


def test_candidate_carries_household_ceiling_margin_effort_and_french_explanation(jeu, api):
    body = _candidats(api, jeu["id"])
    premier = body["candidats"][0]
    assert premier["groupe_priorite"] == {"code": 0, "libelle": "Ménage reconnu prioritaire DALO"}
    assert premier["demandeur"] == {"nom": "Martin", "prenom": "Léa"}
    assert premier["nb_personnes"] == 1 and premier["categorie_menage"]["categorie"] == 1
    assert premier["date_depot"] == "2025-06-01"
    assert premier["plafond"]["montant"] == 23403 and premier["plafond"]["marge"] == 23403 - 15000
    assert premier["taux_effort"] == pytest.approx(450 / 1500)
    assert premier["choix_commune"] == 1
    assert premier["explication"].startswith("Rang 1 : ménage reconnu prioritaire dalo")
    assert "23 403 €" in premier["explication"] and "30,0 %" in premier["explication"]
    assert all(r["ok"] for r in premier["regles"])
    plafond = next(c for c in body["candidats"] if c["numero_unique"] == "OK-PLAFOND")
    assert plafond["plafond"]["marge"] == 0


def test_seniority_in_months_is_computed_at_the_search_date(jeu, api):
    body = _candidats(api, jeu["id"])
    today = date.fromisoformat(body["calcule_le"])
    ancien = next(c for c in body["candidats"] if c["numero_unique"] == "D-AUTRE-ANCIEN")
    # filed on the 1st of a month: full months = calendar-month difference
    assert ancien["anciennete_mois"] == (today.year - 2022) * 12 + today.month - 1


def test_exclusions_count_demandes_failing_exactly_that_rule(jeu, api):
    body = _candidats(api, jeu["id"])
    exclusions = {e["code"]: e["nombre"] for e in body["exclusions"]}
    assert exclusions == {
        "etat": 1,
        "localisation": 1,
        "typologie": 1,
        "type_bien": 1,
        "adaptation": 1,  # D-ADAPTE on a non-adapted logement
        "ressources": 1,
        "occupation": 1,
        "loyer": 1,
    }  # contingent bailleur: open to all, no rule; X-DEUX fails two rules and is in no count
    assert next(e for e in body["exclusions"] if e["code"] == "ressources")["libelle"] == "Plafond de ressources"


def test_exclusion_counts_are_kept_two_minutes_and_say_when_they_were_counted(jeu, api, app):
    premier = _candidats(api, jeu["id"])
    # a new household excluded by the typology alone, indexed right away
    demande("X-TYPO-2", date(2020, 1, 1), souhaits={"typologies": ["T5"]})
    indexer()
    coche = _candidats(api, jeu["id"], "?groupe_priorite=2")  # ticking a facet reuses the counts, with their time
    assert coche["exclusions"] == premier["exclusions"]
    assert coche["exclusions_comptees_le"] == premier["exclusions_comptees_le"]
    # once the two minutes are over (here: the cache emptied), the counts are taken again and see the new household
    redis = app.extensions["redis"]
    for cle in redis.scan_iter(f"{app.config['SETTINGS'].es_index_prefix}:exclusions:*"):
        assert 0 < redis.ttl(cle) <= 120
        redis.delete(cle)
    apres = {e["code"]: e["nombre"] for e in _candidats(api, jeu["id"])["exclusions"]}
    assert apres["typologie"] == 2


def test_facet_counts_sum_to_the_total_and_stay_right_under_a_selection(jeu, api):
    body = _candidats(api, jeu["id"])
    facettes = body["facettes"]
    for code in ("groupe_priorite", "taille_menage", "anciennete", "logement_actuel", "choix_commune"):
        assert sum(v["nombre"] for v in facettes[code]["valeurs"]) == body["total"], code
    groupes = {v["valeur"]: v["nombre"] for v in facettes["groupe_priorite"]["valeurs"]}
    assert groupes == {"0": 1, "1": 2, "2": 3}
    assert {v["valeur"]: v["nombre"] for v in facettes["choix_commune"]["valeurs"]} == {"1": 5, "2": 1}

    filtre = _candidats(api, jeu["id"], "?groupe_priorite=1")
    assert filtre["total"] == 2
    assert [c["numero_unique"] for c in filtre["candidats"]] == ["D-PRIO-ANCIEN", "D-PRIO-RECENT"]
    # the selected facet still shows every group; the other facets count the selection only
    assert {v["valeur"]: v["nombre"] for v in filtre["facettes"]["groupe_priorite"]["valeurs"]} == groupes
    assert sum(v["nombre"] for v in filtre["facettes"]["logement_actuel"]["valeurs"]) == 2
    assert {v["valeur"]: v["nombre"] for v in filtre["facettes"]["logement_actuel"]["valeurs"]} == {
        "locataire_prive": 1,
        "heberge_tiers": 1,
    }
    deux = _candidats(api, jeu["id"], "?groupe_priorite=0,1&choix_commune=1")
    assert deux["total"] == 3


def test_contingent_facet_counts_who_could_take_it_on_each_contingent(jeu, api):
    valeurs = {v["valeur"]: v["nombre"] for v in _candidats(api, jeu["id"])["facettes"]["contingent"]["valeurs"]}
    assert valeurs["prefecture"] == 3 and valeurs["bailleur"] == 6
    assert "action_logement" not in valeurs  # nobody is a private-sector employee: empty buckets are omitted


def test_deep_pages_follow_the_cursor(jeu, api):
    vus, rangs, query = [], [], "?limit=2"
    for _ in range(5):
        body = _candidats(api, jeu["id"], query)
        vus += [c["numero_unique"] for c in body["candidats"]]
        rangs += [c["rang"] for c in body["candidats"]]
        if body["suivant"] is None:
            break
        query = f"?limit=2&suivant={body['suivant']}"
    assert vus == ORDRE and rangs == [1, 2, 3, 4, 5, 6]


def test_a_cursor_of_another_search_is_refused(jeu, api):
    body = _candidats(api, jeu["id"], "?limit=2")
    response = api("agent_bailleur").get(
        f"/api/v1/logements/{jeu['id']}/candidats?limit=2&groupe_priorite=2&suivant={body['suivant']}"
    )
    assert response.status_code == 422 and response.get_json()["erreurs"][0]["champ"] == "suivant"


def test_taux_effort_max_excludes_and_counts(jeu, api):
    demande("D-RICHE", date(2021, 1, 1), ressources_mensuelles=1800)  # 450 / 1800 = 25 % exactly
    indexer()
    body = _candidats(api, jeu["id"], "?taux_effort_max=0.25")
    assert [c["numero_unique"] for c in body["candidats"]] == ["D-RICHE"]
    assert {e["code"]: e["nombre"] for e in body["exclusions"]}["taux_effort"] == 6


def test_cotation_strategy_ranks_by_points_and_explains_them(jeu, api):
    body = _candidats(api, jeu["id"], "?strategie=cotation")
    assert [c["numero_unique"] for c in body["candidats"]] == ORDRE  # Toulouse grid: points follow seniority here
    ancien = next(c for c in body["candidats"] if c["numero_unique"] == "D-AUTRE-ANCIEN")
    today = date.fromisoformat(body["calcule_le"])
    mois = (today.year - 2022) * 12 + today.month - 1
    assert ancien["points"]["grille"] == "243100518"
    assert ancien["points"]["total"] == mois + 20  # 1 point per month, +20 beyond 36 months
    assert {d["code"] for d in ancien["points"]["detail"]} == {"anciennete", "delai_anormal"}
    dalo = body["candidats"][0]
    assert "points de cotation" in dalo["explication"]


@pytest.mark.parametrize(
    ("query", "champ"),
    [
        ("?strategie=loterie", "strategie"),
        ("?taux_effort_max=2", "taux_effort_max"),
        ("?limit=0", "limit"),
        ("?groupe_priorite=9", "groupe_priorite"),
        ("?anciennete=ancien", "anciennete"),
        ("?suivant=pas-un-curseur", "suivant"),
        ("?tri=nom", "tri"),
    ],
)
def test_invalid_parameters_give_422_naming_them(jeu, api, query, champ):
    response = api("agent_bailleur").get(f"/api/v1/logements/{jeu['id']}/candidats{query}")
    assert response.status_code == 422
    assert [e["champ"] for e in response.get_json()["erreurs"]] == [champ]


def test_rapprochement_with_an_inline_logement(jeu, api):
    from tests.rapprochement.fixtures import LOGEMENT

    inline = {k: v for k, v in LOGEMENT.items() if k not in ("reference", "adresse")}
    response = api("reservataire").post("/api/v1/rapprochement", json={"logement": inline, "limit": 3})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["total"] == 6 and [c["numero_unique"] for c in body["candidats"]] == ORDRE[:3]
    filtre = api("reservataire").post(
        "/api/v1/rapprochement", json={"logement": inline, "filtres": {"groupe_priorite": ["2"]}}
    )
    assert filtre.get_json()["total"] == 3
    mauvais = api("reservataire").post(
        "/api/v1/rapprochement", json={"logement": {**inline, "commune": "99999", "typologie": "T9"}}
    )
    assert mauvais.status_code == 422
    assert {e["champ"] for e in mauvais.get_json()["erreurs"]} == {"logement.typologie"}
    commune = api("reservataire").post("/api/v1/rapprochement", json={"logement": {**inline, "commune": "99999"}})
    assert commune.status_code == 422 and commune.get_json()["erreurs"][0]["champ"] == "logement.commune"


def test_inline_logement_of_category_indifferent_keeps_every_wished_type(jeu, api):
    from tests.rapprochement.fixtures import LOGEMENT

    inline = {k: v for k, v in LOGEMENT.items() if k not in ("reference", "adresse")}
    response = api("reservataire").post(
        "/api/v1/rapprochement", json={"logement": {**inline, "type_bien": "indifferent"}, "limit": 50}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    # X-TYPE-BIEN (wishes a maison, the fixture logement is an appartement) is now a candidate, not an exclusion.
    assert body["total"] == 7 and "X-TYPE-BIEN" in [c["numero_unique"] for c in body["candidats"]]
    assert "type_bien" not in [e["code"] for e in body["exclusions"]]
    # A stored logement must still say what it is.
    stored = api("agent_bailleur").post(
        "/api/v1/logements", json={**LOGEMENT, "reference": "LGT-INDIFF", "type_bien": "indifferent"}
    )
    assert stored.status_code == 422 and [e["champ"] for e in stored.get_json()["erreurs"]] == ["type_bien"]


@pytest.fixture
def sans_seuils(monde):
    from sqlalchemy import text

    from app.extensions import db

    db.session.execute(text("TRUNCATE seuils_premier_quartile"))
    db.session.commit()
    yield
    db.session.rollback()
    db.session.execute(text("TRUNCATE seuils_premier_quartile"))
    db.session.commit()


def test_first_quartile_facet_appears_with_the_epci_threshold_of_the_year(sans_seuils, api):
    """Toulouse Métropole, threshold 10 000 € per UC. One person: 9 000 € and 10 000 € (the threshold itself) are
    first quartile, 15 000 € is not; a couple (1.5 UC) with 14 000 € has 9 333 € per UC: first quartile."""
    from decimal import Decimal

    from app.extensions import db
    from app.rapprochement.service import aujourdhui
    from app.statistiques.models import SeuilPremierQuartile
    from tests.rapprochement.fixtures import TOULOUSE_METROPOLE

    co = {"nom": "Ngô", "prenom": "Anh", "date_naissance": "1985-03-03", "lien": "conjoint"}
    demande("Q-9000", date(2023, 1, 1), revenu_fiscal_reference=9000)
    demande("Q-10000", date(2023, 2, 1), revenu_fiscal_reference=10000)
    demande("Q-15000", date(2023, 3, 1), revenu_fiscal_reference=15000)
    demande("Q-COUPLE", date(2023, 4, 1), revenu_fiscal_reference=14000, co_demandeurs=[co])
    indexer()
    logement = creer_logement(api)
    sans = _candidats(api, logement["id"])
    assert sans["total"] == 4
    assert "premier_quartile" not in sans["facettes"]  # no threshold configured: no facet

    annee = aujourdhui().year
    db.session.add(SeuilPremierQuartile(epci=TOULOUSE_METROPOLE, annee=annee, seuil=Decimal(10000), modifie_par="t"))
    db.session.commit()
    tous = _candidats(api, logement["id"])
    assert {v["valeur"]: v["nombre"] for v in tous["facettes"]["premier_quartile"]["valeurs"]} == {"oui": 3, "non": 1}
    choisis = _candidats(api, logement["id"], "?premier_quartile=oui")
    assert [c["numero_unique"] for c in choisis["candidats"]] == ["Q-9000", "Q-10000", "Q-COUPLE"]
