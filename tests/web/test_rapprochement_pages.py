"""Logements, candidats and CAL list pages through the matching and CAL services."""

from __future__ import annotations

import pytest

from tests.web.conftest import csrf_token

pytestmark = pytest.mark.services


@pytest.fixture
def logement(fichier, es):
    from tests.web import donnees

    return donnees.seed_logement(es)


def test_candidats_page_lists_ranked_explained_candidates(logement, web):
    client = web("agent_bailleur")
    assert "LGT-T2-001" in client.get("/logements").text
    response = client.get(f"/logements/{logement}/candidats")
    assert response.status_code == 200, response.text[:300]
    assert 'id="candidats"' in response.text and "Rang 1" in response.text


def test_build_a_cal_list_and_export_its_pdf(logement, web):
    client = web("agent_bailleur")
    page = client.get(f"/logements/{logement}/candidats")
    import re

    numeros = re.findall(r'name="candidat" value="([^"]+)"', page.text)[:3]
    assert len(numeros) == 3
    data = {"csrf_token": csrf_token(page.text), "candidat": numeros, "date_commission": "2026-12-20"}
    data.update({f"ordre-{n}": str(3 - i) for i, n in enumerate(numeros)})  # reversed order
    response = client.post(f"/logements/{logement}/liste-cal", data=data)
    assert response.status_code == 302, response.text[:500]
    liste = client.get(response.headers["Location"])
    assert liste.status_code == 200
    positions = re.findall(r'<td class="nombre">(\d)</td><td>([^<]+)</td>', liste.text)
    assert [n for _, n in positions] == list(reversed(numeros))
    pdf = client.get(response.headers["Location"] + "/export.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_cal_list_form_requires_csrf(logement, web):
    client = web("agent_bailleur")
    assert client.post(f"/logements/{logement}/liste-cal", data={"candidat": ["x"]}).status_code == 400


def test_guichet_cannot_match(logement, web):
    assert web("guichet").get(f"/logements/{logement}/candidats").status_code == 403
