"""Logements, candidats and CAL list pages through the matching and CAL services."""

from __future__ import annotations

import re

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
    numeros = re.findall(r'name="candidat" value="([^"]+)"', page.text)[:3]
    assert len(numeros) == 3
    data = {"csrf_token": csrf_token(page.text), "candidat": numeros, "date_commission": "2026-12-20"}
    data.update({f"ordre-{n}": str(3 - i) for i, n in enumerate(numeros)})  # reversed order
    response = client.post(f"/logements/{logement}/liste-cal", data=data)
    assert response.status_code == 302, response.text[:500]
    liste = client.get(response.headers["Location"])
    assert liste.status_code == 200
    assert _ordre_affiche(liste.text) == list(reversed(numeros))
    pdf = client.get(response.headers["Location"] + "/export.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def _ordre_affiche(html: str) -> list[str]:
    """Numéros in the order of the rows, checked against the rank shown in each row."""
    rangs = re.findall(r'<tr id="candidat-([^"]+)"><td class="nombre">(\d+)', html)
    assert [int(r) for _, r in rangs] == list(range(1, len(rangs) + 1))
    return [n for n, _ in rangs]


def test_move_a_candidate_up_on_the_cal_list(logement, web):
    client = web("agent_bailleur")
    page = client.get(f"/logements/{logement}/candidats")
    numeros = re.findall(r'name="candidat" value="([^"]+)"', page.text)[:3]
    data = {"csrf_token": csrf_token(page.text), "candidat": numeros, "date_commission": "2026-12-20"}
    data.update({f"ordre-{n}": str(i + 1) for i, n in enumerate(numeros)})
    adresse = client.post(f"/logements/{logement}/liste-cal", data=data).headers["Location"]
    liste = client.get(adresse)
    revision = re.search(r'name="revision" value="(\d+)"', liste.text).group(1)
    deplace = client.post(
        adresse + "/ordre",
        data={"csrf_token": csrf_token(liste.text), "numero": numeros[2], "sens": "monter", "revision": revision},
    )
    assert deplace.status_code == 302
    apres = client.get(adresse)
    assert _ordre_affiche(apres.text) == [numeros[0], numeros[2], numeros[1]]
    assert f"Demande {numeros[2]} au rang 2" in apres.text
    # a form sent from the page as it was before the move is refused with a message, not applied
    perime = client.post(
        adresse + "/ordre",
        data={"csrf_token": csrf_token(liste.text), "numero": numeros[0], "sens": "descendre", "revision": revision},
    )
    assert perime.status_code == 412 and "modifiée depuis sa lecture" in perime.text
    assert _ordre_affiche(client.get(adresse).text) == [numeros[0], numeros[2], numeros[1]]


def test_cal_list_form_requires_csrf(logement, web):
    client = web("agent_bailleur")
    assert client.post(f"/logements/{logement}/liste-cal", data={"candidat": ["x"]}).status_code == 400


def test_guichet_cannot_match(logement, web):
    assert web("guichet").get(f"/logements/{logement}/candidats").status_code == 403
