"""End-to-end tests in a real headless Chromium (Debian's `chromium`, driven by the Python `playwright` package
through `executable_path`: no browser download) against a real server started here on a free local port.

Screenshots of each page are saved to `test-artifacts/screenshots/` (git-ignored).
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import TEST_PASSWORD
from tests.web.conftest import clear_throttle

pytestmark = [pytest.mark.browser, pytest.mark.services]

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def serveur(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def navigateur():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(navigateur, serveur):
    context = navigateur.new_context(
        base_url=serveur, viewport={"width": 1024, "height": 900}, locale="fr-FR", accept_downloads=True
    )
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.js_errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()


def screenshot(pg, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def se_connecter(pg, app, role: str) -> None:
    clear_throttle(app, f"test-{role}")
    pg.goto("/connexion")
    pg.get_by_label("Identifiant").fill(f"test-{role}")
    pg.get_by_label("Mot de passe").fill(TEST_PASSWORD)
    pg.get_by_role("button", name="Se connecter").click()
    pg.wait_for_load_state()


def test_login_and_search_a_name_typed_without_accents(app, web_users, fichier, page):
    page.goto("/connexion")
    screenshot(page, "01-connexion")
    se_connecter(page, app, "agent_bailleur")
    assert page.get_by_role("heading", name="Bonjour test-agent_bailleur").is_visible()
    screenshot(page, "02-accueil-agent-bailleur")

    page.get_by_role("link", name="Demandes").first.click()
    page.get_by_label("Nom du demandeur ou co-demandeur").fill("lefevre")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_selector("#resultats")
    assert page.locator("#resultats").get_by_text("Lefèvre Hélène").is_visible()
    screenshot(page, "03-recherche-demandes")

    page.get_by_role("link", name=fichier["lefevre"]).click()
    assert page.locator("#fiche-demandeur").inner_text().startswith("Lefèvre Hélène")
    screenshot(page, "04-fiche-demande")
    assert page.js_errors == []


def test_tick_a_facet_and_see_counts_and_list_change(app, web_users, fichier, page):
    se_connecter(page, app, "guichet")
    page.goto("/demandes?etat=active")
    assert page.locator("#total-resultats").inner_text().startswith("9")
    rows_before = page.locator("#resultats tbody tr").count()
    page.get_by_role("checkbox", name="T3").check()  # auto-submits the form
    page.wait_for_url("**typologie=T3**")
    assert page.locator("#total-resultats").inner_text().startswith("7")
    assert page.locator("#resultats tbody tr").count() == 7 < rows_before
    screenshot(page, "05-recherche-facette")


def test_statistics_show_rendered_charts(app, web_users, fichier, page):
    se_connecter(page, app, "observatoire")
    assert page.url.endswith("/statistiques")
    page.goto("/statistiques?date=2025-03-31&du=2025-01-01&au=2025-06-30")
    page.wait_for_selector("canvas[data-rendu='oui']")
    canvases = page.locator("canvas[data-graphique]")
    assert canvases.count() >= 9
    assert page.locator("canvas[data-rendu='oui']").count() == canvases.count()
    # A drawn canvas has non-blank pixels.
    drawn = page.evaluate("""() => { const c = document.querySelector('#graphique-stocks');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }""")
    assert drawn > 100
    screenshot(page, "06-statistiques")
    with page.expect_download() as download:
        page.locator("#section-stocks").get_by_role("link", name="Exporter en CSV").click()
    assert download.value.suggested_filename == "statistiques-stocks.csv"
    assert page.js_errors == []


def test_observatoire_cannot_reach_a_fiche_demande(app, web_users, fichier, page):
    se_connecter(page, app, "observatoire")
    response = page.goto(f"/demandes/{fichier['lefevre']}")
    assert response is not None and response.status == 403
    assert page.get_by_role("heading", name="Accès refusé").is_visible()
    assert "Lefèvre" not in page.content()
    screenshot(page, "07-observatoire-refus")


def test_keyboard_skip_link(app, web_users, page):
    se_connecter(page, app, "guichet")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Aller au contenu"


def test_match_tick_a_facet_build_a_cal_list_of_three_and_download_its_pdf(app, web_users, fichier, es, page):
    import re

    from tests.web import donnees

    with app.app_context():
        logement_id = donnees.seed_logement(es)
    se_connecter(page, app, "agent_bailleur")
    page.goto("/logements")
    page.get_by_role("link", name="Rechercher les candidats").first.click()
    page.wait_for_selector("#candidats")
    total_before = int(page.locator("#total-candidats strong").inner_text())
    rows_before = page.locator("#candidats tbody tr").count()
    assert total_before >= 3 and rows_before == total_before
    screenshot(page, "08-candidats")

    # Tick the first value of the priority-group facet: the list and the counts change.
    facet = page.locator("fieldset[data-facette='groupe_priorite'] input[type=checkbox]").first
    count_label = page.locator("fieldset[data-facette='groupe_priorite'] .compte-facette").first.inner_text()
    facet.check()
    page.wait_for_url(re.compile(r".*groupe_priorite=.*"))
    total_after = int(page.locator("#total-candidats strong").inner_text())
    assert total_after == int(count_label) < total_before
    assert page.locator("#candidats tbody tr").count() == total_after
    screenshot(page, "09-candidats-facette")

    page.goto(f"/logements/{logement_id}/candidats")
    boxes = page.locator("#candidats input[name=candidat]")
    for i in range(3):
        boxes.nth(i).check()
    page.get_by_label("Date de la commission").fill("2026-12-20")
    page.get_by_role("button", name="Créer la liste CAL").click()
    page.wait_for_selector("#liste-cal")
    assert page.locator("#liste-cal tbody tr").count() == 3
    screenshot(page, "10-liste-cal")
    ordre = page.locator("#liste-cal tbody tr").evaluate_all("rows => rows.map(r => r.id)")
    page.locator("#liste-cal tbody tr").nth(2).get_by_role("button", name=re.compile("Monter")).click()
    page.wait_for_selector("#liste-cal")
    assert page.locator("#liste-cal tbody tr").evaluate_all("rows => rows.map(r => r.id)") == [
        ordre[0],
        ordre[2],
        ordre[1],
    ]
    with page.expect_download() as info:
        page.locator("#export-pdf").click()
    path = info.value.path()
    content = Path(path).read_bytes()
    assert content.startswith(b"%PDF") and len(content) > 1000
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", content))
    assert pages == 3, f"one page per candidate expected, got {pages}"
    (SCREENSHOTS / "liste-cal.pdf").write_bytes(content)
    assert page.js_errors == []


def test_long_work_progress_is_polled_until_the_night_run_ends(app, web_users, page):
    import uuid
    from datetime import date

    from sqlalchemy import delete

    from app.extensions import db
    from app.shortlists.models import ShortlistRun

    run_id = str(uuid.uuid4())
    with app.app_context():
        db.session.execute(delete(ShortlistRun))
        db.session.add(
            ShortlistRun(
                id=run_id,
                date_run=date(2030, 1, 2),
                statut="en_cours",
                parametres={},
                total_logements=10,
                logements_traites=4,
                logements_en_echec=0,
                propositions_count=8,
            )
        )
        db.session.commit()
    try:
        se_connecter(page, app, "agent_bailleur")
        page.goto("/suivi")
        assert page.locator("#suivi-nuit progress").evaluate("p => p.value") == pytest.approx(0.4)
        screenshot(page, "11-suivi-en-cours")
        with app.app_context():
            run = db.session.get(ShortlistRun, run_id)
            run.statut, run.logements_traites, run.propositions_count = "termine", 10, 20
            db.session.commit()
        page.wait_for_selector("#suivi-nuit[data-etat='termine']", timeout=10_000)
        assert page.locator("#suivi-nuit [data-champ=statut]").inner_text() == "termine"
        assert page.locator("#suivi-nuit [data-champ=logements_traites]").inner_text() == "10"
        assert page.locator("#suivi-nuit progress").evaluate("p => p.value") == 1
        screenshot(page, "12-suivi-termine")
        assert page.js_errors == []
    finally:
        with app.app_context():
            db.session.execute(delete(ShortlistRun))
            db.session.commit()


def test_search_by_logement_multiselect_filters_and_ticks_a_whole_epci(app, web_users, page):
    se_connecter(page, app, "agent_bailleur")
    page.goto("/recherche-logement")
    page.get_by_label("Filtrer la liste").fill("blagn")
    assert page.locator("label[data-commune='blagnac']").is_visible()
    assert not page.locator("label[data-commune='toulouse']").is_visible()
    page.get_by_label("Filtrer la liste").fill("")
    epci = page.locator("input[data-epci]").first
    epci.check()
    membres = page.locator(f"input[data-membre='{epci.get_attribute('value')}']")
    assert membres.count() > 0 and all(membres.nth(i).is_checked() for i in range(membres.count()))
    screenshot(page, "13-recherche-logement")
    assert page.js_errors == []


def test_gestionnaire_sees_a_ceiling_error_next_to_its_field(app, web_users, page):
    se_connecter(page, app, "gestionnaire")
    page.goto("/administration")
    page.locator("#lien-baremes").click()
    page.wait_for_selector("#table-plafonds")
    page.get_by_label("Financement").select_option("PLUS")
    page.get_by_label("Année").fill("2027")
    for categorie, montant in enumerate(["24000", "32000", "30000", "46500", "54700", "61600"], start=1):
        page.get_by_label(f"Catégorie {categorie} (€)").fill(montant)
    page.get_by_label("Par personne supplémentaire (€)").fill("6770")
    page.get_by_role("button", name="Enregistrer les plafonds").click()
    page.wait_for_selector("#err-plafonds-categorie_3")
    assert "inférieur à celui de la catégorie 2" in page.locator("#err-plafonds-categorie_3").inner_text()
    assert page.get_by_label("Catégorie 3 (€)").get_attribute("aria-invalid") == "true"
    assert page.get_by_label("Catégorie 1 (€)").input_value() == "24000"  # what was typed is kept
    screenshot(page, "14-administration-baremes")
    # the browser logs the 422 of the refused form itself; no script error beyond that
    assert [e for e in page.js_errors if "status of 422" not in e] == []
