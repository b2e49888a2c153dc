"""Bulk import through the real Celery worker: counts, per-line errors, idempotence, CSV; and the CLI."""

from __future__ import annotations

import json
import time

from sqlalchemy import select

from app.demandes.models import Demande
from app.extensions import db
from tests.demandes.helpers import counts, payload


def _ndjson(lines: list) -> bytes:
    return "\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines).encode()


def _wait(guichet, location: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = guichet.get(location).get_json()
        if body["etat"] in ("terminee", "echouee"):
            return body
        time.sleep(0.2)
    raise AssertionError(f"import not finished: {body}")


def _import(guichet, content: bytes, content_type: str) -> dict:
    response = guichet.post("/api/v1/imports", data=content, headers={"Content-Type": content_type})
    assert response.status_code == 202, response.get_json()
    body = response.get_json()
    assert body["id"] and body["etat"] == "en_attente"
    assert response.headers["Location"].endswith(f"/api/v1/imports/{body['id']}")
    return _wait(guichet, response.headers["Location"])


def _fichier() -> bytes:
    bad_commune = payload(numero_unique="IMP-4")
    bad_commune["souhaits"]["communes"] = ["31555", "99999"]
    return _ndjson(
        [
            payload(numero_unique="IMP-1"),
            payload(numero_unique="IMP-2", brouillon=True),
            "{ceci n'est pas du json",
            bad_commune,
            "",
            payload(numero_unique="IMP-5", revenu_fiscal_reference=-10),
            payload(numero_unique="IMP-6"),
            payload(organisme_enregistreur="GUICHET-31"),  # no numero_unique: no idempotence key
        ]
    )


def test_ndjson_import_counts_errors_and_idempotence(app, guichet, celery_worker_process):
    contenu = _fichier()
    first = _import(guichet, contenu, "application/x-ndjson")
    assert first["etat"] == "terminee"
    assert (first["lignes"], first["lignes_traitees"]) == (7, 7)
    assert (first["creees"], first["modifiees"], first["inchangees"], first["erreurs"]) == (3, 0, 0, 4)
    assert first["progression"] == 1.0
    erreurs = {(e["ligne"], e["champ"]) for e in first["details_erreurs"]}
    assert erreurs == {(3, None), (4, "souhaits.communes.1"), (6, "revenu_fiscal_reference"), (8, "numero_unique")}
    commune = next(e for e in first["details_erreurs"] if e["ligne"] == 4)
    assert commune["message"] == "Commune inconnue du référentiel : 99999"
    assert commune["numero_unique"] == "IMP-4"

    with app.app_context():
        rows = {d.numero_unique: (d.etat, d.revision) for d in db.session.scalars(select(Demande))}
    assert rows == {"IMP-1": ("active", 1), "IMP-2": ("brouillon", 1), "IMP-6": ("active", 1)}
    before = counts(app)

    second = _import(guichet, contenu, "application/x-ndjson")
    assert (second["creees"], second["modifiees"], second["inchangees"], second["erreurs"]) == (0, 0, 3, 4)
    assert counts(app) == before  # no new row, event or outbox entry
    with app.app_context():
        assert {d.numero_unique: d.revision for d in db.session.scalars(select(Demande))} == {
            "IMP-1": 1,
            "IMP-2": 1,
            "IMP-6": 1,
        }


def test_import_modifies_existing_demandes(app, guichet, celery_worker_process):
    _import(guichet, _ndjson([payload(numero_unique="MOD-1", personnes_a_charge=0)]), "application/x-ndjson")
    changed = _import(guichet, _ndjson([payload(numero_unique="MOD-1", personnes_a_charge=2)]), "application/x-ndjson")
    assert (changed["creees"], changed["modifiees"], changed["inchangees"]) == (0, 1, 0)
    body = guichet.get("/api/v1/demandes/MOD-1").get_json()
    assert (body["personnes_a_charge"], body["revision"]) == (2, 2)
    event = guichet.get("/api/v1/demandes/MOD-1/historique").get_json()["evenements"][-1]
    assert event["type"] == "modification"
    assert "personnes_a_charge" in event["champs"]
    assert event["details"]["import_id"] == changed["id"]


CSV = (
    "numero_unique;date_depot;organisme_enregistreur;demandeur.nom;demandeur.prenom;demandeur.date_naissance;"
    "co_demandeurs.0.nom;co_demandeurs.0.prenom;co_demandeurs.0.date_naissance;co_demandeurs.0.lien;"
    "personnes_a_charge;dalo;priorites;souhaits.communes;souhaits.typologies\n"
    "CSV-1;2024-03-01;GUICHET-31;Dupont;Élise;1980-02-02;Dupont;Marc;1979-05-05;conjoint;2;oui;"
    "violences|mal_loge;31555|31113;T3|T4\n"
    "CSV-2;2024-03-02;GUICHET-31;Martin;Jean;1975-01-01;;;;;0;non;;31555;T9\n"
    "CSV-3;2024-03-03;GUICHET-31;Bernard;Zoé;2001-07-14;;;;;;false;;31113;T1\n"
)


def test_csv_import(app, guichet, celery_worker_process):
    result = _import(guichet, CSV.encode("utf-8-sig"), "text/csv")
    assert (result["lignes"], result["creees"], result["erreurs"]) == (3, 2, 1)
    assert [(e["ligne"], e["champ"]) for e in result["details_erreurs"]] == [(3, "souhaits.typologies.0")]
    body = guichet.get("/api/v1/demandes/CSV-1").get_json()
    assert body["co_demandeurs"] == [
        {"nom": "Dupont", "prenom": "Marc", "date_naissance": "1979-05-05", "lien": "conjoint"}
    ]
    assert body["priorites"] == ["violences", "mal_loge"]
    assert body["souhaits"]["communes"] == ["31555", "31113"]
    assert body["dalo"] is True
    assert body["nb_personnes"] == 4
    assert "personnes_a_charge" not in guichet.get("/api/v1/demandes/CSV-3").get_json()  # empty cell = absent
    again = _import(guichet, CSV.encode("utf-8-sig"), "text/csv")
    assert (again["creees"], again["inchangees"], again["erreurs"]) == (0, 2, 1)


def test_unknown_format_and_unknown_import(guichet):
    response = guichet.post("/api/v1/imports", data=b"x", headers={"Content-Type": "application/pdf"})
    assert response.status_code == 415
    assert response.get_json()["code"] == "type_non_supporte"
    response = guichet.get("/api/v1/imports/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.get_json()["code"] == "introuvable"


def test_cli_import_same_code_path(app, tmp_path):
    fichier = tmp_path / "demandes.ndjson"
    fichier.write_bytes(_fichier())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demandes", "importer", str(fichier)])
    assert result.exit_code == 0, result.output
    assert "7 lignes, 3 créées, 0 modifiées, 0 inchangées, 4 en erreur" in result.output
    assert "ligne 4 — souhaits.communes.1 : Commune inconnue du référentiel : 99999" in result.output
    result = runner.invoke(args=["demandes", "importer", str(fichier)])
    assert "0 créées, 0 modifiées, 3 inchangées, 4 en erreur" in result.output
