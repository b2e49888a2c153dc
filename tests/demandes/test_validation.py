"""Every 422 case of issue 3, with the dotted field names, and no partial write."""

from __future__ import annotations

from datetime import date, timedelta

from tests.demandes.helpers import champs, counts, payload

DEMAIN = (date.today() + timedelta(days=1)).isoformat()


def _post(guichet, body):
    return guichet.post("/api/v1/demandes", json=body)


def test_unknown_fields_top_level_and_nested(app, guichet):
    body = payload(champ_invente=1)
    body["souhaits"]["balcon"] = True
    response = _post(guichet, body)
    assert response.status_code == 422
    assert response.get_json()["code"] == "validation"
    assert response.get_json()["message"] == "Données invalides"
    erreurs = champs(response)
    assert erreurs["champ_invente"] == "Champ inconnu"
    assert erreurs["souhaits.balcon"] == "Champ inconnu"
    assert counts(app) == (0, 0, 0)


def test_unknown_commune_and_secteur(app, guichet):
    body = payload()
    body["souhaits"]["communes"] = ["31555", "99999"]
    body["souhaits"]["secteurs"] = ["243100633", "999999999", "31"]
    erreurs = champs(_post(guichet, body))
    assert erreurs == {
        "souhaits.communes.1": "Commune inconnue du référentiel : 99999",
        "souhaits.secteurs.1": "Secteur inconnu du référentiel (EPCI ou département) : 999999999",
    }
    assert counts(app) == (0, 0, 0)


def test_unknown_typologie_and_codes(app, guichet):
    body = payload(priorites=["violences", "pas_un_code"], motifs=["inconnu"])
    body["souhaits"]["typologies"] = ["T2", "T9"]
    response = _post(guichet, body)
    assert response.status_code == 422
    erreurs = champs(response)
    assert set(erreurs) == {"souhaits.typologies.1", "priorites.1", "motifs.0"}
    assert "T9" in erreurs["souhaits.typologies.1"]
    assert "pas_un_code" in erreurs["priorites.1"]


def test_future_dates(app, guichet):
    body = payload(date_depot=DEMAIN, date_decision_dalo=DEMAIN, dalo=True)
    body["demandeur"]["date_naissance"] = DEMAIN
    erreurs = champs(_post(guichet, body))
    assert erreurs["date_depot"] == "Date dans le futur"
    assert erreurs["date_decision_dalo"] == "Date dans le futur"
    assert erreurs["demandeur.date_naissance"] == "Date dans le futur"


def test_renouvellement_before_depot(guichet):
    body = payload(date_depot="2024-05-10", date_renouvellement="2024-05-09")
    assert "date_renouvellement" in champs(_post(guichet, body))


def test_negative_amounts(app, guichet):
    body = payload(revenu_fiscal_reference=-1, personnes_a_charge=-2, ressources_mensuelles=-100)
    body["souhaits"]["loyer_max"] = -5
    erreurs = champs(_post(guichet, body))
    assert set(erreurs) == {
        "revenu_fiscal_reference",
        "personnes_a_charge",
        "ressources_mensuelles",
        "souhaits.loyer_max",
    }
    assert counts(app) == (0, 0, 0)


def test_co_demandeur_without_birth_date(app, guichet):
    body = payload()
    del body["co_demandeurs"][0]["date_naissance"]
    body["co_demandeurs"].append({"nom": "Martin", "prenom": "Léa", "date_naissance": "1990-01-01", "lien": "cousin"})
    erreurs = champs(_post(guichet, body))
    assert erreurs["co_demandeurs.0.date_naissance"] == "Champ obligatoire"
    assert "co_demandeurs.1.lien" in erreurs
    assert counts(app) == (0, 0, 0)


def test_required_fields_and_types(guichet):
    response = _post(guichet, {"demandeur": {"nom": "X"}, "personnes_a_charge": "beaucoup", "dalo": "peut-être"})
    erreurs = champs(response)
    assert erreurs["date_depot"] == "Champ obligatoire"
    assert erreurs["organisme_enregistreur"] == "Champ obligatoire"
    assert erreurs["demandeur.prenom"] == "Champ obligatoire"
    assert erreurs["demandeur.date_naissance"] == "Champ obligatoire"
    assert erreurs["personnes_a_charge"] == "Nombre entier attendu"
    assert erreurs["dalo"].startswith("Booléen attendu")


def test_read_only_fields_refused(guichet):
    erreurs = champs(_post(guichet, payload(etat="radiee", revision=7)))
    assert erreurs == {"etat": "Champ en lecture seule", "revision": "Champ en lecture seule"}


def test_all_errors_reported_at_once(app, guichet):
    body = payload(date_depot=DEMAIN, revenu_fiscal_reference=-3, inconnu="x")
    body["souhaits"]["communes"] = ["00000"]
    erreurs = champs(_post(guichet, body))
    assert {"date_depot", "revenu_fiscal_reference", "inconnu", "souhaits.communes.0"} <= set(erreurs)


def test_malformed_json_is_400_in_the_same_shape(app, guichet):
    response = guichet.post("/api/v1/demandes", data="{pas du json", headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["code"] == "requete_invalide"
    assert response.get_json()["message"]
    response = guichet.post("/api/v1/demandes", json=["une", "liste"])
    assert response.status_code == 422
    assert counts(app) == (0, 0, 0)


def test_not_json_is_415(guichet):
    response = guichet.post("/api/v1/demandes", data="a=b", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.get_json()["code"] == "type_non_supporte"


def test_unknown_demande_and_route_404(guichet):
    response = guichet.get("/api/v1/demandes/NEXISTEPAS")
    assert response.status_code == 404
    assert response.get_json() == {"code": "introuvable", "message": "Demande NEXISTEPAS introuvable"}
    response = guichet.get("/api/v1/pas-de-route")
    assert response.status_code == 404
    assert response.get_json()["code"] == "introuvable"
