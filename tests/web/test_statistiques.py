"""Statistics: stocks and flows from the demandes and their events, consistency with the lists, CSV export,
statistical secrecy for observatoire users, the API."""

from __future__ import annotations

import csv
import io

import pytest

from app.statistiques import service
from app.statistiques.service import Filtres
from tests.web.donnees import JOUR

pytestmark = pytest.mark.services

PERIODE = "date=2025-03-31&du=2025-01-01&au=2025-06-30"


def _filtres(**kw) -> Filtres:
    return Filtres(date=kw.pop("date", JOUR), du=kw.pop("du", JOUR.replace(day=1)), au=kw.pop("au", JOUR), **kw)


def test_stocks_at_a_date(fichier):
    (ligne,) = service.stocks(_filtres())
    assert ligne["actives"] == 9
    assert ligne["satisfaites"] == 1
    assert ligne["validees"] == 1  # accord CAL of Martin
    assert ligne["propositions_en_cours"] == 1  # Martinez
    (avant,) = service.stocks(_filtres(date=JOUR.replace(day=9)))
    assert avant["actives"] == 11 and avant["satisfaites"] == 0 and avant["validees"] == 0


def test_stocks_by_territory_and_typology(fichier):
    (toulouse,) = service.stocks(_filtres(commune="31555"))
    assert toulouse["actives"] == 7
    par_typo = {r["libelle"]: r["actives"] for r in service.stocks(_filtres(), "typologie")}
    assert par_typo == {"T1": 0, "T2": 2, "T3": 7}
    (metropole,) = service.stocks(_filtres(epci="243100518"))
    assert metropole["actives"] == 8  # Toulouse and Blagnac


def test_flows_over_a_period(fichier):
    (ligne,) = service.flux(_filtres())
    assert ligne["modifiees"] == 1  # two modifications of the same demande
    assert ligne["accords_commission"] == 1 and ligne["propositions"] == 1
    assert ligne["non_renouvelees"] == 1 and ligne["annulees"] == 0
    mois = service.flux(_filtres(du=JOUR.replace(month=1, day=1)), "mois")
    assert [m["libelle"] for m in mois] == ["2025-01", "2025-02", "2025-03"]
    assert mois[0]["modifiees"] == 0 and mois[2]["modifiees"] == 1


def test_active_stock_is_consistent_with_the_search_list(fichier, web):
    """Today's stock of actives equals the number of active demandes the search lists."""
    from app.demandes.lifecycle import aujourdhui

    (ligne,) = service.stocks(_filtres(date=aujourdhui()))
    response = web("guichet").get("/demandes?etat=active")
    assert f"<strong>{ligne['actives']}</strong> demande(s)" in response.text


def test_dashboard_page_tables_and_charts(fichier, web):
    response = web("agent_bailleur").get(f"/statistiques?{PERIODE}")
    assert response.status_code == 200
    html = response.text
    assert 'id="tableau-stocks"' in html and 'id="tableau-flux_mois"' in html
    assert html.count("data-graphique=") >= 9
    assert "Secret statistique" not in html


def test_csv_export_of_a_table(fichier, web):
    response = web("agent_bailleur").get(f"/statistiques/export/stocks_typologie.csv?{PERIODE}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:2] == ["Typologie demandée", "Demandes actives"]
    assert rows[-1][:2] == ["T3", "7"]
    assert web("agent_bailleur").get("/statistiques/export/inconnu.csv").status_code == 404


def test_observatoire_sees_counts_below_five_suppressed(fichier, web):
    client = web("observatoire")
    response = client.get(f"/statistiques/export/stocks_typologie.csv?{PERIODE}")
    rows = {r[0]: r for r in csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";")}
    assert rows["T3"][1] == "7"
    assert rows["T2"][1] == "< 5"
    assert rows["T1"][1] == "0"
    page = client.get(f"/statistiques?{PERIODE}")
    assert page.status_code == 200 and "Secret statistique" in page.text


def test_invalid_period_is_reported_in_french(fichier, web):
    response = web("agent_bailleur").get("/statistiques?du=2025-05-01&au=2025-01-01")
    assert response.status_code == 400 and "La fin de la période précède son début." in response.text


def test_statistics_api_for_observatoire(fichier, api):
    response = api("observatoire").get(f"/api/v1/statistiques/stocks?{PERIODE}")
    assert response.status_code == 200
    tables = {t["code"]: t for t in response.get_json()["tableaux"]}
    assert set(tables) == {"stocks", "stocks_typologie", "stocks_taille", "stocks_priorite"}
    typo = {r["libelle"]: r["actives"] for r in tables["stocks_typologie"]["lignes"]}
    assert typo["T3"] == 7 and typo["T2"] is None
    assert tables["stocks"]["secret_statistique"] is True
    full = api("agent_bailleur").get(f"/api/v1/statistiques/stocks?{PERIODE}").get_json()
    (table,) = [t for t in full["tableaux"] if t["code"] == "stocks_typologie"]
    typo = {r["libelle"]: r["actives"] for r in table["lignes"]}
    assert typo["T2"] == 2


def test_statistics_api_requires_a_token_and_valid_filters(fichier, client, api):
    assert client.get("/api/v1/statistiques").status_code == 401
    assert api("observatoire").get("/api/v1/statistiques/flux?du=pas-une-date").status_code == 422
