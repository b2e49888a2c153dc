"""Forms of the pages: logement vacant, CAL workflow steps, shortlist → CAL list, administration. Each form
works, shows the services' field errors in French next to the fields, requires its CSRF token and refuses the
roles without its permission."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import csrf_token

pytestmark = pytest.mark.services

LOGEMENT = {
    "reference": "LGT-WEB-001",
    "adresse": "3 allée des Formulaires",
    "commune": "31555",
    "typologie": "T3",
    "type_bien": "appartement",
    "surface": "62,5",
    "etage": "1",
    "ascenseur": "y",
    "financement": "PLUS",
    "loyer": "480",
    "charges": "60",
    "contingent": "bailleur",
    "date_disponibilite": "2026-05-01",
}


@pytest.fixture
def logements_vides(app):
    from sqlalchemy import text

    from app.extensions import db

    with app.app_context():
        db.session.execute(text("TRUNCATE logements CASCADE"))
        db.session.commit()


def _logement_en_base(app, reference: str):
    from sqlalchemy import select

    from app.extensions import db
    from app.logements.models import Logement

    with app.app_context():
        return db.session.scalar(select(Logement).where(Logement.reference == reference))


# --- logement vacant ---------------------------------------------------------------------------------------------


def test_register_a_logement_then_edit_it(app, web, logements_vides):
    client = web("agent_bailleur")
    page = client.get("/logements/nouveau")
    assert page.status_code == 200 and "data-communes" in page.text and 'list="liste-communes"' in page.text
    response = client.post("/logements/nouveau", data={**LOGEMENT, "csrf_token": csrf_token(page.text)})
    assert response.status_code == 302, response.text[:800]
    logement = _logement_en_base(app, "LGT-WEB-001")
    assert logement.bailleur == "BAILLEUR-31" and float(logement.surface) == 62.5 and logement.ascenseur
    assert "LGT-WEB-001" in client.get("/logements").text

    form = client.get(f"/logements/{logement.id}/modifier")
    assert form.status_code == 200 and 'value="480"' in form.text
    revision = re.search(r'name="revision" type="hidden" value="(\d+)"', form.text).group(1)
    data = {**LOGEMENT, "loyer": "500", "revision": revision, "csrf_token": csrf_token(form.text)}
    assert client.post(f"/logements/{logement.id}/modifier", data=data).status_code == 302
    assert float(_logement_en_base(app, "LGT-WEB-001").loyer) == 500
    # The same form posted again carries a stale revision: refused, nothing overwritten silently.
    stale = client.post(f"/logements/{logement.id}/modifier", data={**data, "loyer": "510"})
    assert stale.status_code == 409 and "modifié depuis son ouverture" in stale.text


def test_logement_form_shows_the_service_errors_next_to_the_fields(web, logements_vides):
    client = web("agent_bailleur")
    page = client.get("/logements/nouveau")
    data = {
        **LOGEMENT,
        "csrf_token": csrf_token(page.text),
        "surface": "beaucoup",
        "commune": "99999",
        "adresse": "",
        "typologie": "T9",
    }
    response = client.post("/logements/nouveau", data=data)
    assert response.status_code == 422
    html = response.text
    assert 'id="erreurs-formulaire"' in html

    def erreur(champ: str) -> str:
        found = re.search(rf'<p class="erreur-champ" id="err-{champ}">([^<]+)</p>', html)
        assert found, f"no error next to {champ}"
        return found.group(1)

    assert erreur("surface") == "Nombre attendu"
    assert erreur("adresse") == "Champ obligatoire"
    assert "Valeur inconnue" in erreur("typologie")
    assert 'aria-describedby="err-surface"' in html and 'aria-invalid="true"' in html
    # Unknown commune: the service's referential check, once the schema passes.
    data.update(surface="50", adresse="1 rue X", typologie="T2")
    response = client.post("/logements/nouveau", data=data)
    assert response.status_code == 422
    assert "inconnue du référentiel" in re.search(r'id="err-commune">([^<]+)<', response.text).group(1)


def test_logement_form_requires_csrf(web, logements_vides):
    assert web("agent_bailleur").post("/logements/nouveau", data=LOGEMENT).status_code == 400


@pytest.mark.parametrize("role", ["guichet", "reservataire", "observatoire", "gestionnaire"])
def test_only_bailleur_agents_register_logements(web, role, logements_vides):
    client = web(role)
    assert client.get("/logements/nouveau").status_code == 403
    token = csrf_token(client.get("/", follow_redirects=True).text)
    assert client.post("/logements/nouveau", data={**LOGEMENT, "csrf_token": token}).status_code == 403


# --- liste CAL: decisions, proposition, réponse, bail, print view -----------------------------------------------


@pytest.fixture
def logement(fichier, es):
    from tests.web import donnees

    return donnees.seed_logement(es)


@pytest.fixture
def liste(logement, web):
    """A CAL list of three candidates built through the candidats page; returns (client, url, numeros)."""
    client = web("agent_bailleur")
    page = client.get(f"/logements/{logement}/candidats")
    numeros = re.findall(r'name="candidat" value="([^"]+)"', page.text)[:3]
    data = {"csrf_token": csrf_token(page.text), "candidat": numeros, "date_commission": "2026-12-20"}
    response = client.post(f"/logements/{logement}/liste-cal", data=data)
    assert response.status_code == 302, response.text[:500]
    return client, response.headers["Location"], numeros


def _etape(client, url: str, numero: str, etape: str, **champs):
    token = csrf_token(client.get(url).text)
    return client.post(f"{url}/candidats/{numero}/{etape}", data={"csrf_token": token, **champs})


def _erreur(html: str, etape: str, numero: str, champ: str) -> str:
    found = re.search(rf'id="err-{etape}-{numero}-{champ}">([^<]+)<', html)
    assert found, f"no error next to {etape}/{champ}"
    return found.group(1)


def test_cal_workflow_decisions_proposition_answer_and_bail(liste):
    client, url, (premier, deuxieme, troisieme) = liste
    page = client.get(url)
    assert f'id="form-decision-{premier}"' in page.text

    # Each decision type with the field it needs; a missing one is shown next to its field.
    manque = _etape(client, url, deuxieme, "decision", decision="attribution_sous_condition")
    assert manque.status_code == 422
    assert "Champ obligatoire pour la décision" in _erreur(manque.text, "decision", deuxieme, "piece_manquante")
    assert "Champ obligatoire" in _erreur(manque.text, "decision", deuxieme, "date_limite")
    assert 'value="attribution_sous_condition" selected' in manque.text  # the agent's input is kept
    assert _etape(client, url, premier, "decision", decision="attribution_classement", rang="1").status_code == 302
    assert (
        _etape(
            client,
            url,
            deuxieme,
            "decision",
            decision="attribution_sous_condition",
            piece_manquante="Avis d'imposition 2025",
            date_limite="2027-01-15",
        ).status_code
        == 302
    )
    assert (
        _etape(
            client, url, troisieme, "decision", decision="irrecevabilite", motif="Ressources au-dessus du plafond"
        ).status_code
        == 302
    )
    page = client.get(url).text
    assert "Attribution par classement" in page and "Rang 1" in page and "Avis d&#39;imposition 2025" in page
    assert "Irrecevabilité" in page and f'id="form-decision-{troisieme}"' not in page

    # Proposition: less than 10 days to answer is refused next to the deadline field.
    court = _etape(client, url, premier, "proposition", date_proposition="2026-12-21", date_limite_reponse="2026-12-25")
    assert court.status_code == 422
    assert "au moins 10 jours" in _erreur(court.text, "proposition", premier, "date_limite_reponse")
    assert (
        _etape(
            client, url, premier, "proposition", date_proposition="2026-12-21", date_limite_reponse="2027-01-05"
        ).status_code
        == 302
    )

    # "sans_reponse" only after the deadline; then the answer and the bail.
    tot = _etape(client, url, premier, "reponse", reponse="sans_reponse", date_reponse="2026-12-22")
    assert tot.status_code == 422 and "Délai de réponse en cours" in _erreur(tot.text, "reponse", premier, "reponse")
    assert _etape(client, url, premier, "reponse", reponse="acceptee", date_reponse="2026-12-23").status_code == 302
    inverse = _etape(client, url, premier, "bail", date_signature="2027-01-10", date_entree="2027-01-02")
    assert inverse.status_code == 422 and "antérieure" in _erreur(inverse.text, "bail", premier, "date_entree")
    bail = _etape(client, url, premier, "bail", date_signature="2027-01-10", date_entree="2027-01-15")
    assert bail.status_code == 302
    page = client.get(url).text
    assert "Signé le 10/01/2027, entrée le 15/01/2027" in page and "État de la liste : close" in page


def test_non_attribution_needs_a_reason_and_a_step_out_of_order_is_explained(liste):
    client, url, (premier, deuxieme, _) = liste
    response = _etape(client, url, premier, "decision", decision="non_attribution")
    assert response.status_code == 422 and "Champ obligatoire" in _erreur(response.text, "decision", premier, "motif")
    hors_ordre = _etape(client, url, deuxieme, "proposition")
    assert hors_ordre.status_code == 409
    assert "Pas de décision d'attribution" in hors_ordre.text.replace("&#39;", "'")


def test_cal_steps_require_csrf_and_the_cal_write_permission(liste, web):
    client, url, (premier, _, _) = liste
    assert client.post(f"{url}/candidats/{premier}/decision", data={"decision": "attribution"}).status_code == 400
    # The gestionnaire reads every list but decides nothing: no forms, and a forged POST is refused.
    lecteur = web("gestionnaire")
    page = lecteur.get(url)
    assert page.status_code == 200 and "form-decision" not in page.text
    response = lecteur.post(
        f"{url}/candidats/{premier}/decision", data={"decision": "attribution", "csrf_token": csrf_token(page.text)}
    )
    assert response.status_code == 403
    # A réservataire only reads the lists of logements of its contingent (this one is the bailleur's own).
    assert web("reservataire").get(url).status_code == 403
    assert web("guichet").get(url).status_code == 403


def test_print_view_shows_one_sheet_per_candidate_and_is_audited(app, liste):
    from app import audit

    client, url, numeros = liste
    response = client.get(f"{url}/impression")
    assert response.status_code == 200
    assert response.text.count('class="carte fiche-cal"') == 3 and "data-imprimer" in response.text
    with app.app_context():
        pages = [e.details.get("page") for e in audit.accesses_to(numeros[0])]
    assert "impression_liste_cal" in pages


# --- recherche par logement recherché -----------------------------------------------------------------------------

RECHERCHE = {
    "lancer": "1",
    "financement": "PLUS",
    "contingent": "bailleur",
    "type_bien": "appartement",
    "typologie": "T2",
    "surface": "45",
    "etage": "2",
    "ascenseur": "1",
    "loyer": "400",
    "charges": "50",
    "date_disponibilite": "2026-03-01",
}


def test_search_by_logement_sought_runs_the_matching_engine(app, logement, web):
    from app import audit
    from tests.matching.donnees import TOULOUSE

    client = web("agent_bailleur")
    form = client.get("/recherche-logement")
    assert form.status_code == 200 and "data-filtre-communes" in form.text and 'name="epci"' in form.text
    response = client.get("/recherche-logement", query_string={**RECHERCHE, "commune": [TOULOUSE]})
    assert response.status_code == 200, response.text[:500]
    html = response.text
    total = int(re.search(r'id="total-candidats"><strong>(\d+)</strong>', html).group(1))
    assert total >= 3 and 'id="candidats"' in html and "Rang" in html and 'data-facette="groupe_priorite"' in html
    # Same answer as the candidates of the stored logement with the same description.
    stored = client.get(f"/logements/{logement}/candidats").text
    assert int(re.search(r'id="total-candidats"><strong>(\d+)</strong>', stored).group(1)) == total
    # A facet selection narrows the list.
    dalo = client.get(
        "/recherche-logement", query_string={**RECHERCHE, "commune": [TOULOUSE], "taille_menage": ["8+"]}
    ).text
    assert int(re.search(r'id="total-candidats"><strong>(\d+)</strong>', dalo).group(1)) < total
    with app.app_context():
        numero = re.search(r'/demandes/(031-[\d-]+)"', html).group(1)
        assert "recherche_logement" in [e.details.get("page") for e in audit.accesses_to(numero)]


@pytest.fixture
def souhaits_type_bien(app, fichier, es):
    """Two Toulouse T2 demandes, one wishing a maison, one an appartement (the others of the file: indifférent)."""
    from app.extensions import db
    from indexing import consumer, lifecycle
    from tests.indexing import helpers
    from tests.matching.donnees import TOULOUSE

    souhaits = {"communes": [TOULOUSE], "typologies": ["T2"]}
    with app.app_context():
        helpers.new_demande("031-2024-50001", nom="Maisonneuve", souhaits={**souhaits, "type_bien": "maison"})
        helpers.new_demande("031-2024-50002", nom="Lappart", souhaits={**souhaits, "type_bien": "appartement"})
        db.session.commit()
        consumer.drain()
        es.indices.refresh(index=lifecycle.current_spec().alias)
    return {"maison": "031-2024-50001", "appartement": "031-2024-50002", "indifferent": fichier["lefevre"]}


def _candidats(client, **params) -> set[str]:
    from tests.matching.donnees import TOULOUSE

    response = client.get("/recherche-logement", query_string={**RECHERCHE, "commune": [TOULOUSE], **params})
    assert response.status_code == 200, response.text[:500]
    table = response.text.split('id="candidats"', 1)[1]
    return set(re.findall(r'/demandes/(031-[\d-]+)"', table))


def test_search_by_logement_categorie_indifferent_does_not_constrain_the_type(souhaits_type_bien, web):
    client = web("agent_bailleur")
    form = client.get("/recherche-logement").text
    # « Indifférent » is what an empty form asks for: no blank choice to fall into « Champ obligatoire »
    select = re.search(r'<select id="r-type_bien".*?</select>', form, re.S).group(0)
    assert re.search(r'<option value="indifferent"\s*selected\s*>Indifférent</option>', select)
    assert 'value=""' not in select
    indifferent = _candidats(client, type_bien="indifferent")
    assert set(souhaits_type_bien.values()) <= indifferent  # maison, appartement and indifférent wishes
    maison = _candidats(client, type_bien="maison")
    assert souhaits_type_bien["maison"] in maison and souhaits_type_bien["indifferent"] in maison
    assert souhaits_type_bien["appartement"] not in maison


def test_search_by_logement_a_whole_epci_in_one_click(app, logement, web):
    from app.extensions import db
    from app.referentiel.models import Commune
    from tests.matching.donnees import TOULOUSE

    with app.app_context():
        epci = db.session.get(Commune, TOULOUSE).epci_code
    client = web("reservataire")
    response = client.get("/recherche-logement", query_string={**RECHERCHE, "epci": [epci]})
    assert response.status_code == 200
    onglets = re.findall(r'<li><a href="[^"]+"\s*(?:aria-current="true")?>([^<]+) <span', response.text)
    assert len(onglets) > 1 and onglets[0].strip() == "Toulouse"  # biggest commune first, one tab per commune


def test_search_by_logement_shows_field_errors(logement, web):
    client = web("agent_bailleur")
    response = client.get(
        "/recherche-logement", query_string={**RECHERCHE, "commune": ["31555"], "surface": "", "taux_effort_max": "3"}
    )
    assert response.status_code == 422
    assert re.search(r'id="err-surface">Champ obligatoire<', response.text)
    assert "Ratio entre 0 et 1" in re.search(r'id="err-taux_effort_max">([^<]+)<', response.text).group(1)
    sans_commune = client.get("/recherche-logement", query_string=RECHERCHE)
    assert sans_commune.status_code == 422 and 'id="err-communes"' in sans_commune.text


def test_search_by_logement_is_refused_to_guichet_and_observatoire(web):
    assert web("guichet").get("/recherche-logement").status_code == 403
    assert web("observatoire").get("/recherche-logement").status_code == 403


# --- propositions de la nuit → liste CAL ---------------------------------------------------------------------------


@pytest.fixture
def shortlist(app, logement, fichier):
    """A night run proposing three Toulouse T2 candidates for the logement (rows written as the service does)."""
    import uuid
    from datetime import date

    from sqlalchemy import delete

    from app.extensions import db
    from app.shortlists.models import ShortlistProposition, ShortlistRun

    numeros = ["031-2023-20000", "031-2023-20001", "031-2023-20002"]
    with app.app_context():
        db.session.execute(delete(ShortlistRun).where(ShortlistRun.date_run == date(2026, 11, 30)))
        run = ShortlistRun(
            id=str(uuid.uuid4()),
            date_run=date(2026, 11, 30),
            statut="termine",
            parametres={},
            total_logements=1,
            logements_traites=1,
            logements_en_echec=0,
            propositions_count=3,
        )
        db.session.add(run)
        for rang, numero in enumerate(numeros, start=1):
            db.session.add(
                ShortlistProposition(
                    run_id=run.id,
                    logement_id=logement,
                    ordre_logement=1,
                    rang=rang,
                    numero_unique=numero,
                    rang_liste=rang,
                )
            )
        db.session.commit()
        run_id = run.id
    yield run_id, numeros
    with app.app_context():
        db.session.execute(delete(ShortlistRun).where(ShortlistRun.id == run_id))
        db.session.commit()


def test_turn_a_nightly_shortlist_into_a_cal_list(shortlist, logement, web):
    run_id, numeros = shortlist
    client = web("agent_bailleur")
    page = client.get(f"/propositions/{run_id}")
    assert page.status_code == 200 and f'id="form-shortlist-{logement}"' in page.text
    url = f"/propositions/{run_id}/logements/{logement}/liste-cal"
    assert client.post(url, data={"date_commission": "2026-12-20"}).status_code == 400  # no CSRF token
    response = client.post(url, data={"date_commission": "2026-12-20", "csrf_token": csrf_token(page.text)})
    assert response.status_code == 302 and "/listes-cal/" in response.headers["Location"], response.text[:300]
    liste = client.get(response.headers["Location"]).text
    assert re.findall(r'<tr id="candidat-([^"]+)"><td class="nombre">\d', liste) == numeros
    # The logement now has an open list: a second attempt is refused with the CAL service's reason.
    again = client.post(
        url, data={"date_commission": "2026-12-20", "csrf_token": csrf_token(page.text)}, follow_redirects=True
    )
    assert "n&#39;est pas vacant" in again.text or "n'est pas vacant" in again.text


def test_reservataire_cannot_turn_a_shortlist_into_a_cal_list(shortlist, logement, web):
    run_id, _ = shortlist
    client = web("reservataire")
    page = client.get(f"/propositions/{run_id}")
    assert page.status_code == 200 and "form-shortlist" not in page.text
    response = client.post(
        f"/propositions/{run_id}/logements/{logement}/liste-cal",
        data={"date_commission": "2026-12-20", "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 403


# --- long work: import progress and last night's run ---------------------------------------------------------------


def test_import_upload_and_its_progress_json(app, web, monkeypatch):
    import io

    from app.demandes import imports

    monkeypatch.setattr("app.web.views.suivi.enqueue", lambda import_id: None)  # no worker in this test
    client = web("guichet")
    page = client.get("/suivi")
    assert page.status_code == 200 and 'id="form-import"' in page.text and "suivi.js" in page.text
    contenu = b'{"numero_unique": "031-X-1"}\n{"pas": "une demande"}\n'
    sans_csrf = client.post(
        "/suivi/imports", data={"fichier": (io.BytesIO(contenu), "lot.ndjson")}, content_type="multipart/form-data"
    )
    assert sans_csrf.status_code == 400
    response = client.post(
        "/suivi/imports",
        data={"fichier": (io.BytesIO(contenu), "lot.ndjson"), "csrf_token": csrf_token(page.text)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    import_id = response.headers["Location"].split("import=")[1]
    suivi = client.get(response.headers["Location"]).text
    assert f'data-suivi="/suivi/imports/{import_id}.json"' in suivi
    avant = client.get(f"/suivi/imports/{import_id}.json").get_json()
    assert avant["etat"] == "en_attente" and avant["lignes"] == 2 and avant["termine"] is False
    with app.app_context():
        imports.traiter(import_id)
    apres = client.get(f"/suivi/imports/{import_id}.json").get_json()
    assert apres["etat"] == "terminee" and apres["lignes_traitees"] == 2 and apres["erreurs"] == 2
    assert apres["termine"] is True and apres["details_erreurs"][0]["ligne"] == 1
    # Another organisation's agent does not see it; a role without the import permission is refused.
    with app.app_context():
        from tests.conftest import ensure_user

        ensure_user("test-guichet-autre", "guichet", ("GUICHET-AUTRE", "Autre guichet", "guichet", []))
    from tests.web.conftest import login

    autre = app.test_client()
    assert login(autre, app, "test-guichet-autre").status_code == 302
    assert autre.get(f"/suivi/imports/{import_id}.json").status_code == 404
    assert web("agent_bailleur").get(f"/suivi/imports/{import_id}.json").status_code == 403


def test_nightly_run_progress_json(app, web):
    import uuid
    from datetime import date

    from sqlalchemy import delete

    from app.extensions import db
    from app.shortlists.models import ShortlistRun

    with app.app_context():
        db.session.execute(delete(ShortlistRun))
        db.session.add(
            ShortlistRun(
                id=str(uuid.uuid4()),
                date_run=date(2030, 1, 1),
                statut="en_cours",
                parametres={},
                total_logements=10,
                logements_traites=4,
                logements_en_echec=1,
                propositions_count=12,
            )
        )
        db.session.commit()
    client = web("agent_bailleur")
    data = client.get("/suivi/nuit.json").get_json()
    assert data["statut"] == "en_cours" and data["progression"] == 0.4 and data["termine"] is False
    page = client.get("/suivi").text
    assert 'data-suivi="/suivi/nuit.json"' in page and 'id="form-import"' not in page
    assert web("guichet").get("/suivi/nuit.json").status_code == 403
    assert web("observatoire").get("/suivi").status_code == 403
    with app.app_context():
        db.session.execute(delete(ShortlistRun))
        db.session.commit()


# --- administration ------------------------------------------------------------------------------------------------


def test_administration_creates_an_organisation_and_a_user_then_disables_it(app, web):
    from sqlalchemy import delete, select

    from app.auth.models import Organisation, Utilisateur
    from app.extensions import db

    with app.app_context():
        db.session.execute(delete(Utilisateur).where(Utilisateur.login == "agent.web"))
        db.session.commit()
    client = web("gestionnaire")
    page = client.get("/administration")
    assert page.status_code == 200 and 'id="form-utilisateur"' in page.text
    token = csrf_token(page.text)
    response = client.post(
        "/administration/organisations",
        data={
            "csrf_token": token,
            "code": "CCAS-WEB",
            "nom": "CCAS de test",
            "type": "collectivite",
            "contingents": ["collectivite"],
        },
    )
    assert response.status_code == 302
    response = client.post(
        "/administration/utilisateurs",
        data={
            "csrf_token": token,
            "login": "agent.web",
            "organisation": "CCAS-WEB",
            "roles": ["reservataire"],
            "mot_de_passe": "un-mot-de-passe-solide",
        },
    )
    assert response.status_code == 302, response.text[:500]
    with app.app_context():
        org = db.session.scalar(select(Organisation).where(Organisation.code == "CCAS-WEB"))
        assert org.contingents == ["collectivite"]
        user = db.session.scalar(select(Utilisateur).where(Utilisateur.login == "agent.web"))
        assert user.actif and user.roles == ["reservataire"]
    assert 'id="utilisateur-agent.web"' in client.get("/administration").text
    assert (
        client.post("/administration/utilisateurs/agent.web/desactiver", data={"csrf_token": token}).status_code == 302
    )
    with app.app_context():
        assert not db.session.scalar(select(Utilisateur).where(Utilisateur.login == "agent.web")).actif


def test_administration_shows_the_auth_service_errors_next_to_the_fields(web):
    client = web("gestionnaire")
    token = csrf_token(client.get("/administration").text)
    response = client.post(
        "/administration/utilisateurs",
        data={"csrf_token": token, "login": "test-guichet", "organisation": "INCONNUE", "mot_de_passe": "court"},
    )
    assert response.status_code == 422
    html = response.text
    assert "existe déjà" in re.search(r'id="err-login">([^<]+)<', html).group(1)
    assert "Organisation inconnue" in re.search(r'id="err-organisation">([^<]+)<', html).group(1)
    assert "Au moins un rôle" in re.search(r'id="err-roles">([^<]+)<', html).group(1)
    assert "au moins 12 caractères" in re.search(r'id="err-mot_de_passe">([^<]+)<', html).group(1)
    vide = client.post("/administration/organisations", data={"csrf_token": token, "type": "guichet"})
    assert vide.status_code == 422 and "Saisissez un code." in vide.text


def test_administration_requires_csrf_and_the_gestionnaire_role(web):
    gestionnaire = web("gestionnaire")
    assert gestionnaire.post("/administration/utilisateurs", data={"login": "x"}).status_code == 400
    for role in ("agent_bailleur", "guichet", "reservataire"):
        client = web(role)
        assert client.get("/administration").status_code == 403
        token = csrf_token(client.get("/").text)
        assert (
            client.post("/administration/utilisateurs/test-guichet/desactiver", data={"csrf_token": token}).status_code
            == 403
        )
