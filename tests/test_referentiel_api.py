"""`/api/v1/referentiel`: the commune type-ahead and EPCI lookup agents use when entering wishes."""

from __future__ import annotations


def test_commune_search_ignores_accents_and_case(api):
    response = api("guichet").get("/api/v1/referentiel/communes?q=CASTANET tolosan&departement=31")
    assert response.status_code == 200
    assert [c["code"] for c in response.get_json()] == ["31113"]
    accents = api("guichet").get("/api/v1/referentiel/communes?q=escalquens&departement=31").get_json()
    assert accents[0]["nom"] == "Escalquens"
    # "Labège" typed without its accent
    labege = api("guichet").get("/api/v1/referentiel/communes?q=labege&departement=31").get_json()
    assert labege[0]["code"] == "31254" and labege[0]["nom"] == "Labège"


def test_commune_search_prefers_prefix_then_population(api):
    results = api("agent_bailleur").get("/api/v1/referentiel/communes?q=toulouse&departement=31").get_json()
    assert results[0]["code"] == "31555"


def test_bad_departement_is_a_422_naming_the_parameter(api):
    response = api("guichet").get("/api/v1/referentiel/communes?departement=xyz")
    assert response.status_code == 422
    assert "departement" in str(response.get_json())


def test_epci_with_its_member_communes(api):
    response = api("observatoire").get("/api/v1/referentiel/epci/243100633")
    assert response.status_code == 200
    body = response.get_json()
    assert body["nom"] == "CA du Sicoval"
    assert len(body["communes"]) == 36
    assert "31113" in {c["code"] for c in body["communes"]}


def test_unknown_epci_is_404(api):
    assert api("guichet").get("/api/v1/referentiel/epci/999999999").status_code == 404
