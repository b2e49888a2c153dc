"""Recherche de demandes and fiche demande pages: results, audit, access by role."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.audit import AuditEntry
from app.extensions import db

pytestmark = pytest.mark.services


def _audit_since(last_id: int) -> list[AuditEntry]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id)))


def _last_audit_id() -> int:
    db.session.rollback()
    return db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1)) or 0


def test_search_by_name_without_accents_writes_one_audit_entry(fichier, web):
    client = web("agent_bailleur")
    before = _last_audit_id()
    response = client.get("/demandes?q=lefevre")
    assert response.status_code == 200
    assert "Lefèvre" in response.text and fichier["lefevre"] in response.text
    entries = _audit_since(before)
    assert len(entries) == 1
    assert entries[0].action == "recherche" and entries[0].demandes == [fichier["lefevre"]]
    assert entries[0].login == "test-agent_bailleur" and entries[0].organisation == "BAILLEUR-31"


def test_trailing_percent_is_a_wildcard(fichier, web):
    response = web("guichet").get("/demandes?q=MARTI%25")
    assert fichier["martin"] in response.text and fichier["martinez"] in response.text


def test_results_show_co_demandeur_and_birth_dates(fichier, web):
    response = web("guichet").get("/demandes?q=martin")
    assert "Ngô Anh" in response.text and "03/03/1985" in response.text


def test_search_without_results_writes_no_audit(fichier, web):
    client = web("guichet")
    before = _last_audit_id()
    response = client.get("/demandes?q=zzzzzzzz")
    assert response.status_code == 200 and "Aucune demande ne correspond" in response.text
    assert _audit_since(before) == []


def test_facet_filter_changes_counts(fichier, web):
    client = web("guichet")
    everything = client.get("/demandes?etat=active")
    t3 = client.get("/demandes?etat=active&typologie=T3")
    assert "<strong>9</strong>" in everything.text
    assert "<strong>7</strong>" in t3.text  # Martin wishes T3 or T4


def test_fiche_demande_shows_fields_derived_values_history_and_is_audited(fichier, web):
    client = web("agent_bailleur")
    before = _last_audit_id()
    response = client.get(f"/demandes/{fichier['lefevre']}")
    assert response.status_code == 200
    html = response.text
    assert "Lefèvre Hélène" in html
    assert "Catégorie de ménage" in html and "Ancienneté" in html and "Plafonds de ressources" in html
    assert "Modification" in html  # history
    entries = _audit_since(before)
    assert [(e.action, e.demandes) for e in entries] == [("lecture", [fichier["lefevre"]])]


def test_unknown_fiche_is_a_french_404(fichier, web):
    response = web("agent_bailleur").get("/demandes/inexistante")
    assert response.status_code == 404 and "Page introuvable" in response.text


@pytest.mark.parametrize("role", ["observatoire", "reservataire"])
def test_roles_without_demandes_read_cannot_reach_a_fiche(fichier, web, role):
    client = web(role)
    before = _last_audit_id()
    response = client.get(f"/demandes/{fichier['lefevre']}")
    assert response.status_code == 403
    assert "Accès refusé" in response.text and "Lefèvre" not in response.text
    assert client.get("/demandes?q=lefevre").status_code == 403
    assert _audit_since(before) == []


# --- `%` anywhere in a name ---------------------------------------------------------------------------------------


def _numeros_affiches(html: str) -> list[str]:
    """The demandes listed in the results table, in display order."""
    return re.findall(r'<td><a href="/demandes/([^"]+)">', html)


@pytest.fixture
def homonymes(fichier, es):
    """Names around DUP…T and …MOND, accented as registered, next to the small file of `fichier`."""
    from indexing import consumer, lifecycle
    from tests.indexing import helpers

    noms = {
        "dupont": ("031-2024-30001", "DUPONT", "Jean"),
        "dupuit": ("031-2024-30002", "Dupuit", "Léon"),
        "duperat": ("031-2024-30003", "Dupérat", "Anne"),
        "dupre": ("031-2024-30004", "Dupré", "Marc"),
        "raymond": ("031-2024-30005", "Raymond", "Louise"),
        "remond": ("031-2024-30006", "Rémond", "Éric"),
        "mondesir": ("031-2024-30007", "Mondésir", "Paul"),
    }
    for numero, nom, prenom in noms.values():
        helpers.new_demande(numero, nom=nom, prenom=prenom)
    db.session.commit()
    consumer.drain()
    es.indices.refresh(index=lifecycle.current_spec().alias)
    return {k: numero for k, (numero, _, _) in noms.items()}


def test_name_sort_ignores_case_and_accents(homonymes, web):
    pages = _toutes_les_pages(web("guichet"), "/demandes?etat=active&tri=demandeur")
    ordre = [n for page in pages for n in page if n in homonymes.values()]
    # folded alphabetical order (by raw spelling, DUPONT would come first and Dupérat after Dupuit)
    attendu = ["duperat", "dupont", "dupre", "dupuit", "mondesir", "raymond", "remond"]
    assert ordre == [homonymes[k] for k in attendu]


def test_inner_percent_matches_any_letters_in_the_middle(homonymes, web):
    trouves = set(_numeros_affiches(web("guichet").get("/demandes?q=dup%25t").text))
    assert trouves == {homonymes["dupont"], homonymes["dupuit"], homonymes["duperat"]}  # not Dupré


def test_leading_percent_matches_the_end_of_a_name(homonymes, web):
    trouves = set(_numeros_affiches(web("guichet").get("/demandes?q=%25mond").text))
    assert trouves == {homonymes["raymond"], homonymes["remond"]}  # Mondésir does not end with "mond"


def test_percent_in_the_middle_and_at_the_end(homonymes, fichier, web):
    trouves = set(_numeros_affiches(web("guichet").get("/demandes?q=MART%25N%25").text))
    assert trouves == {fichier["martin"], fichier["martinez"]}


def test_a_pattern_of_only_percent_is_refused_with_a_french_message(homonymes, web):
    client = web("guichet")
    before = _last_audit_id()
    for q in ("%", "%%", " % % "):
        response = client.get("/demandes", query_string={"q": q})
        assert response.status_code == 200
        assert "Saisissez au moins une lettre en plus de « % »" in response.text
        assert _numeros_affiches(response.text) == []
        assert 'aria-invalid="true"' in response.text
    assert _audit_since(before) == []


# --- column sort across every page -------------------------------------------------------------------------------

DEPOTS = 30  # more than one page of 25


@pytest.fixture
def trente(app, es, monkeypatch):
    """30 active demandes whose filing dates are not in numero order; returns numero → date de dépôt."""
    from datetime import date, timedelta

    from indexing import consumer, lifecycle
    from tests.indexing import helpers

    monkeypatch.setitem(app.config, "OUTBOX_ENQUEUE_AFTER_COMMIT", False)
    with app.app_context():
        helpers.reset(es)
        depots = {}
        for i in range(DEPOTS):
            numero = f"031-2024-4{i:04d}"
            depots[numero] = date(2021, 1, 1) + timedelta(days=(i * 7 + 3) % DEPOTS * 11)  # a permutation of the days
            helpers.new_demande(numero, nom=f"Tri{i:02d}", date_depot=depots[numero])
        db.session.commit()
        consumer.drain()
        es.indices.refresh(index=lifecycle.current_spec().alias)
        yield depots


def _page_suivante(html: str) -> str | None:
    found = re.search(r'rel="next" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def _toutes_les_pages(client, url: str) -> list[list[str]]:
    pages = []
    while url:
        html = client.get(url).text
        pages.append(_numeros_affiches(html))
        url = _page_suivante(html)
    return pages


def test_sort_by_date_de_depot_ascending_covers_every_page(trente, web):
    client = web("guichet")
    par_date = sorted(trente, key=lambda n: trente[n])
    pages = _toutes_les_pages(client, "/demandes?etat=active&tri=date_depot")
    assert [len(p) for p in pages] == [25, 5]
    assert pages[0][0] == par_date[0]  # the oldest of the whole set, first on page 1
    assert pages[0] + pages[1] == par_date  # the next-page cursor keeps the order


def test_sort_by_date_de_depot_descending_puts_the_oldest_on_the_last_page(trente, web):
    client = web("guichet")
    par_date = sorted(trente, key=lambda n: trente[n])
    pages = _toutes_les_pages(client, "/demandes?etat=active&tri=-date_depot")
    assert pages[0][0] == par_date[-1]  # the most recent first
    assert pages[-1][-1] == par_date[0]  # the oldest last, on the last page
    assert pages[0] + pages[1] == par_date[::-1]


def test_sorted_header_is_announced_and_its_link_reverses_the_order(trente, web):
    client = web("guichet")
    html = client.get("/demandes?etat=active&tri=date_depot").text
    entete = re.search(r'<th scope="col" aria-sort="ascending">\s*<a class="tri" href="([^"]+)">Dépôt', html)
    assert entete, "the Dépôt header should be marked ascending"
    assert html.count("aria-sort=") == 1
    inverse = client.get(entete.group(1).replace("&amp;", "&")).text
    assert re.search(r'<th scope="col" aria-sort="descending">\s*<a class="tri" href="[^"]+">Dépôt', inverse)
    assert _numeros_affiches(inverse)[0] == max(trente, key=lambda n: trente[n])


def test_sort_by_numero_and_by_name(trente, web):
    client = web("guichet")
    assert _numeros_affiches(client.get("/demandes?etat=active&tri=-numero_unique").text)[0] == max(trente)
    # The names are Tri00…Tri29 in numero order: name order is numero order.
    assert _numeros_affiches(client.get("/demandes?etat=active&tri=demandeur").text)[0] == min(trente)


def test_sort_on_a_date_nobody_has_still_pages_through_everyone(trente, web):
    # No demande has been renewed yet: absent dates come last, in numero order, each demande exactly once.
    pages = _toutes_les_pages(web("guichet"), "/demandes?etat=active&tri=-date_renouvellement")
    assert pages[0] + pages[1] == sorted(trente)


def test_unknown_sort_is_ignored(trente, web):
    client = web("guichet")
    response = client.get("/demandes?etat=active&tri=age")
    assert response.status_code == 200
    assert _numeros_affiches(response.text)[0] == min(trente, key=lambda n: trente[n])  # default: oldest first
