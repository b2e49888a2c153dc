"""Administration of the barèmes: the gestionnaire changes a resource ceiling or a cotation grid, the change is
validated field by field, versioned, audited, and applies to the matching (ceilings at once; cotation points after
the index rebuild it queues, run by a real worker)."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from flask import current_app
from sqlalchemy import func, select, text

from app.audit import AuditEntry
from app.baremes import service as baremes
from app.baremes.models import VersionBareme
from app.extensions import db
from indexing import lifecycle
from tests.rapprochement.fixtures import TOULOUSE_METROPOLE, creer_logement, demande, indexer, monde  # noqa: F401
from tests.web.conftest import csrf_token

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("monde", "sans_versions")]

# PLUS catégorie 1 (one person): 23 403 € in 2026 (matching/data/plafonds.json, arrêté of 19/12/2025).
PLUS_2027 = {f"categorie_{c}": v for c, v in zip(range(1, 7), [24000, 32000, 38500, 46500, 54700, 61600], strict=True)}


@pytest.fixture
def sans_versions(app_ctx):
    """No edited barème before and after: the shipped files apply to the other tests."""
    db.session.execute(text("TRUNCATE versions_baremes"))
    db.session.commit()
    baremes.synchroniser()
    yield
    db.session.rollback()
    db.session.execute(text("TRUNCATE versions_baremes"))
    db.session.commit()
    baremes.synchroniser()


def _poster(client, url: str, data: dict):
    page = client.get("/administration/baremes")
    assert page.status_code == 200
    return client.post(url, data={"csrf_token": csrf_token(page.text), **data})


def _versions() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(VersionBareme))


def test_new_yearly_ceilings_apply_to_the_next_match(web, api, web_users):
    # 23 800 € for one person: above the 2026 PLUS ceiling (23 403 €), below the one typed for 2027 (24 000 €)
    demande("P-23800", date(2024, 1, 1), revenu_fiscal_reference=23800)
    demande("P-15000", date(2024, 1, 1))
    indexer()
    logement = creer_logement(api, date_disponibilite="2027-02-01")
    avant = api("agent_bailleur").get(f"/api/v1/logements/{logement['id']}/candidats").get_json()
    assert [c["numero_unique"] for c in avant["candidats"]] == ["P-15000"]  # 2026 barème applied to 2027

    client = web("gestionnaire")
    reponse = _poster(
        client,
        "/administration/baremes/plafonds",
        {"financement": "PLUS", "annee": "2027", "par_personne_supplementaire": "6 770", **PLUS_2027},
    )
    assert reponse.status_code == 302, reponse.text[:500]
    page = client.get(reponse.headers["Location"])
    assert "Plafonds PLUS 2027 enregistrés" in page.text
    ligne = re.search(r'<tr id="plafonds-PLUS-2027">(.*?)</tr>', page.text, re.S).group(1)
    assert "24\u202f000" in ligne or "24 000" in ligne or "24\xa0000" in ligne
    assert "gestionnaire" in re.search(r'<table id="historique-baremes">(.*?)</table>', page.text, re.S).group(1)

    apres = api("agent_bailleur").get(f"/api/v1/logements/{logement['id']}/candidats").get_json()
    assert sorted(c["numero_unique"] for c in apres["candidats"]) == ["P-15000", "P-23800"]
    db.session.rollback()
    version = db.session.scalars(select(VersionBareme)).one()
    entree = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "bareme", AuditEntry.details["version"].as_integer() == version.id
        )
    ).one()  # the audit table is append-only: earlier runs' entries stay
    assert (entree.login, entree.details["financement"], entree.details["annee"]) == (
        web_users["gestionnaire"],
        "PLUS",
        2027,
    )


@pytest.mark.parametrize(
    ("saisie", "champs"),
    [
        # catégorie 3 below catégorie 2
        ({"financement": "PLUS", "annee": "2027", **PLUS_2027, "categorie_3": "30000"}, {"categorie_3"}),
        ({"financement": "PLUS", "annee": "vingt", **PLUS_2027}, {"annee"}),
        ({"financement": "PLUS", "annee": "2027", **PLUS_2027, "categorie_1": ""}, {"categorie_1"}),
        ({"financement": "PLI", "annee": "2027", "categorie_1": "44000", "categorie_2": "65000"}, {"zone"}),
        ({"financement": "PLXX", "annee": "2027", **PLUS_2027}, {"financement"}),
    ],
)
def test_ceiling_errors_are_shown_next_to_the_fields_and_nothing_is_saved(web, saisie, champs):
    saisie = {"par_personne_supplementaire": "6770", **saisie}
    reponse = _poster(web("gestionnaire"), "/administration/baremes/plafonds", saisie)
    assert reponse.status_code == 422
    for champ in champs:
        assert f'id="err-plafonds-{champ}"' in reponse.text
    assert _versions() == 0


def test_pli_values_left_empty_stay_unpublished(web):
    saisie = {"financement": "PLI", "annee": "2027", "zone": "A", "categorie_1": "44000", "categorie_2": "65500"}
    reponse = _poster(
        web("gestionnaire"), "/administration/baremes/plafonds", {**saisie, "par_personne_supplementaire": "14000"}
    )
    assert reponse.status_code == 302, reponse.text[:800]
    from matching.plafonds import PlafondInconnu, plafond

    assert plafond("PLI", 2, 0, 2027, "31555") == 65500  # Toulouse: zone A
    with pytest.raises(PlafondInconnu):
        plafond("PLI", 3, 0, 2027, "31555")


def test_only_the_gestionnaire_edits_the_baremes(web):
    agent = web("agent_bailleur")
    assert agent.get("/administration/baremes").status_code == 403
    jeton = csrf_token(agent.get("/logements").text)
    saisie = {
        "csrf_token": jeton,
        "financement": "PLUS",
        "annee": "2027",
        "par_personne_supplementaire": "1",
        **PLUS_2027,
    }
    assert agent.post("/administration/baremes/plafonds", data=saisie).status_code == 403
    assert (
        agent.post("/administration/baremes/cotation", data={"csrf_token": jeton, "epci": "243100518"}).status_code
        == 403
    )
    assert _versions() == 0


def _attendre_reconstruction(client, timeout: float = 90) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        etat = client.get("/suivi/reconstruction.json").get_json()
        if etat["statut"] in ("terminee", "echouee"):
            return etat
        time.sleep(0.5)
    raise AssertionError(f"rebuild not finished: {etat}")


def _points(numero: str) -> dict:
    """The cotation points per grid of a demande, as indexed."""
    client = current_app.extensions["elasticsearch"]
    spec = lifecycle.current_spec()
    client.indices.refresh(index=spec.alias)
    return client.get(index=spec.alias, id=numero)["_source"]["points_cotation"]


def test_a_cotation_change_rebuilds_the_index_with_the_new_points(web, app, celery_worker_process):
    # Deposited more than 36 months before today: Toulouse Métropole gives 1 point per month, 20 beyond 36 months,
    # 50 to a DALO household (matching/data/cotation.json).
    depot = date(2020, 1, 1)
    demande("DALO-1", depot, dalo=True)
    indexer()
    avant = _points("DALO-1")[TOULOUSE_METROPOLE]
    client = web("gestionnaire")
    page = client.get("/administration/baremes")
    grille = re.search(rf'<form[^>]+id="grille-{TOULOUSE_METROPOLE}".*?</form>', page.text, re.S).group(0)
    # the form as the browser sends it: every text field, the selected type, no "supprimer" box ticked
    champs = dict(re.findall(r'name="(critere-\d+-(?:code|libelle|points|mois))" value="([^"]*)"', grille))
    champs.update(
        {
            k: v
            for k, v in re.findall(r'name="(critere-\d+-type)"[^>]*>.*?<option value="([^"]+)" selected', grille, re.S)
        }
    )
    dalo = next(k.split("-")[1] for k, v in champs.items() if k.endswith("-code") and v == "dalo")
    assert champs[f"critere-{dalo}-points"] == "50"
    champs[f"critere-{dalo}-points"] = "150"
    reponse = client.post(
        f"/administration/baremes/cotation/{TOULOUSE_METROPOLE}", data={"csrf_token": csrf_token(page.text), **champs}
    )
    assert reponse.status_code == 302, re.findall(r"(?:erreur-champ|message-erreur)[^>]*>([^<]*)", reponse.text)
    etat = _attendre_reconstruction(client)
    assert etat["statut"] == "terminee", etat
    assert (etat["traites"], etat["total"]) == (1, 1)
    assert _points("DALO-1")[TOULOUSE_METROPOLE] == avant + 100  # 50 → 150 points for DALO
    suivi = client.get("/suivi")
    assert "Modification des grilles de cotation" in suivi.text


def test_grid_errors_name_the_row_and_nothing_is_saved(web):
    client = web("gestionnaire")
    page = client.get("/administration/baremes")
    reponse = client.post(
        "/administration/baremes/cotation/default",
        data={
            "csrf_token": csrf_token(page.text),
            "critere-0-code": "anciennete",
            "critere-0-libelle": "Ancienneté",
            "critere-0-type": "par_mois_anciennete",
            "critere-0-points": "-3",
            "critere-1-code": "seuil",
            "critere-1-libelle": "Au-delà de 24 mois",
            "critere-1-type": "anciennete_superieure",
            "critere-1-points": "10",
            "critere-1-mois": "",
        },
    )
    assert reponse.status_code == 422
    assert 'id="err-grille-criteres-0-points"' in reponse.text
    assert 'id="err-grille-criteres-1-mois"' in reponse.text
    assert _versions() == 0
