"""Mixité statistic (domain §7): consumption units, the share of first-quartile attributions outside QPV per EPCI
and year against the 25 % objective, and the administration of the yearly thresholds."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, text

from app.audit import AuditEntry
from app.demandes.models import DemandeEvenement
from app.extensions import db
from app.logements.models import Logement
from app.statistiques import service
from app.statistiques.models import SeuilPremierQuartile
from app.statistiques.service import NON_CONFIGURE, Filtres
from matching.menage import ressources_par_uc, unites_consommation
from tests.indexing import helpers
from tests.matching.donnees import BASE_LOGEMENT, CASTANET, SICOVAL, TOULOUSE, TOULOUSE_METROPOLE
from tests.web.conftest import csrf_token

CO = {"nom": "Ngô", "prenom": "Anh", "date_naissance": "1985-03-03", "lien": "conjoint"}


@pytest.mark.parametrize(
    ("co_demandeurs", "personnes_a_charge", "uc"),
    [
        (0, 0, 1.0),
        (1, 0, 1.5),
        (0, 1, 1.3),
        (1, 2, 2.1),
        (0, 3, 1.9),
        (2, 4, 3.2),
        (0, None, 1.0),  # absent count read as 0
    ],
)
def test_consumption_units_oecd_modified_scale(co_demandeurs, personnes_a_charge, uc):
    demande = {"co_demandeurs": [CO] * co_demandeurs, "personnes_a_charge": personnes_a_charge}
    assert unites_consommation(demande) == uc


def test_resources_per_consumption_unit():
    assert ressources_par_uc({"revenu_fiscal_reference": 21000, "co_demandeurs": [CO], "personnes_a_charge": 2}) == (
        10000.0
    )
    assert ressources_par_uc({"revenu_fiscal_reference": None}) is None


JOUR = date(2025, 3, 10)
PERIODE = "date=2025-03-31&du=2025-01-01&au=2025-06-30"


@pytest.fixture
def vide(app):
    with app.app_context():
        db.session.execute(text("TRUNCATE demandes, logements, seuils_premier_quartile CASCADE"))
        db.session.commit()
        yield
        db.session.rollback()
        db.session.execute(text("TRUNCATE demandes, logements, seuils_premier_quartile CASCADE"))
        db.session.commit()


def _logement(reference: str, commune: str, qpv: bool) -> Logement:
    row = Logement(
        **{
            **BASE_LOGEMENT,
            "commune": commune,
            "qpv": qpv,
            "surface": Decimal(45),
            "loyer": Decimal(400),
            "charges": Decimal(50),
        },
        reference=reference,
        bailleur="BAILLEUR-31",
        adresse="1 rue des Tests",
        etat="attribue",
    )
    db.session.add(row)
    return row


def _attribution(i: int, logement: Logement, rfr: int | None, co: int = 0, a_charge: int = 0) -> None:
    demande = helpers.new_demande(
        f"031-2024-3{i:04d}",
        nom=f"Attributaire{i}",
        etat="satisfaite",
        revenu_fiscal_reference=rfr,
        co_demandeurs=[CO] * co,
        personnes_a_charge=a_charge,
    )
    db.session.flush()
    db.session.add(
        DemandeEvenement(
            demande=demande,
            type="bail_signe",
            revision=1,
            auteur="test",
            organisation="BAILLEUR-31",
            survenu_le=datetime(JOUR.year, JOUR.month, JOUR.day, 10, tzinfo=UTC),
            details={
                "liste_cal_id": i,
                "logement_id": logement.id,
                "date_signature": JOUR.isoformat(),
                "ressources_par_uc": ressources_par_uc(demande.donnees),  # as signer_bail records it
            },
        )
    )


@pytest.fixture
def attributions(vide):
    """Toulouse Métropole 2025 (threshold 10 000 €/UC): 8 attributions outside QPV, 5 of them first quartile;
    one inside QPV (not counted). Sicoval: 5 attributions outside QPV, no threshold configured."""
    toulouse = _logement("LGT-1", TOULOUSE, qpv=False)
    toulouse_qpv = _logement("LGT-2", TOULOUSE, qpv=True)
    castanet = _logement("LGT-3", CASTANET, qpv=False)
    db.session.flush()
    for i, (rfr, co, a_charge) in enumerate(
        [
            (9000, 0, 0),  # 9 000 / 1 → first quartile
            (20000, 1, 0),  # 20 000 / 1.5 = 13 333 → no
            (15000, 1, 2),  # 15 000 / 2.1 = 7 143 → first quartile
            (10000, 0, 0),  # 10 000 / 1 = the threshold → first quartile (≤)
            (30000, 0, 0),  # → no
            (12000, 0, 1),  # 12 000 / 1.3 = 9 231 → first quartile
            (8000, 0, 0),  # → first quartile
            (None, 0, 0),  # resources unknown: counted, not first quartile
        ]
    ):
        _attribution(i, toulouse, rfr, co, a_charge)
    _attribution(20, toulouse_qpv, 5000)  # inside QPV: not in the statistic
    for i in range(5):
        _attribution(30 + i, castanet, 5000)
    db.session.add(SeuilPremierQuartile(epci=TOULOUSE_METROPOLE, annee=2025, seuil=Decimal(10000), modifie_par="test"))
    db.session.add(SeuilPremierQuartile(epci=SICOVAL, annee=2024, seuil=Decimal(10000), modifie_par="test"))
    db.session.commit()


def _lignes(**kw) -> dict[str, dict]:
    f = Filtres(date=JOUR, du=date(2025, 1, 1), au=date(2025, 6, 30), **kw)
    return {(r["epci"]): r for r in service.premier_quartile(f)}


@pytest.mark.services
def test_share_of_first_quartile_outside_qpv_with_a_threshold(attributions):
    metropole = _lignes()[TOULOUSE_METROPOLE]
    assert metropole["annee"] == 2025
    assert metropole["nombre"] == 8  # the QPV attribution is left out
    assert metropole["premier_quartile"] == 5
    assert metropole["part"] == 62.5  # 5 / 8, computed by hand
    assert metropole["objectif"] == "atteint"  # ≥ 25 %
    assert metropole["seuil"] == 10000.0
    assert metropole["ressources_inconnues"] == 1


@pytest.mark.services
def test_resources_are_those_at_the_signature_of_the_bail(attributions):
    """A household's resources recorded later (or erased after radiation) do not rewrite past attributions."""
    db.session.execute(text("UPDATE demandes SET donnees = jsonb_set(donnees, '{revenu_fiscal_reference}', '90000')"))
    db.session.commit()
    metropole = _lignes()[TOULOUSE_METROPOLE]
    assert (metropole["premier_quartile"], metropole["ressources_inconnues"]) == (5, 1)


@pytest.mark.services
def test_without_a_threshold_the_statistic_says_so(attributions):
    sicoval = _lignes()[SICOVAL]  # a threshold exists for 2024 only: not used for 2025 attributions
    assert sicoval["nombre"] == 5
    assert sicoval["premier_quartile"] == sicoval["part"] == sicoval["seuil"] == NON_CONFIGURE
    assert set(_lignes(epci=SICOVAL)) == {SICOVAL}  # territory filter on the logement's commune


@pytest.mark.services
def test_dashboard_csv_and_api_of_the_statistic(attributions, web, api):
    page = web("agent_bailleur").get(f"/statistiques?{PERIODE}")
    assert page.status_code == 200 and 'id="tableau-premier_quartile"' in page.text
    assert NON_CONFIGURE in page.text
    response = web("agent_bailleur").get(f"/statistiques/export/premier_quartile.csv?{PERIODE}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:4] == [
        "EPCI — année",
        "Attributions hors QPV",
        "Dont premier quartile",
        "Part du premier quartile (%)",
    ]
    par_epci = {r[0].split(" — ")[0]: r for r in rows[1:]}
    assert len(par_epci) == 2
    assert [r[1:4] for r in par_epci.values()] in (
        [["8", "5", "62,5"], ["5", NON_CONFIGURE, NON_CONFIGURE]],
        [["5", NON_CONFIGURE, NON_CONFIGURE], ["8", "5", "62,5"]],
    )
    body = api("observatoire").get(f"/api/v1/statistiques/premier-quartile?{PERIODE}").get_json()
    (table,) = body["tableaux"]
    assert table["code"] == "premier_quartile" and table["secret_statistique"] is True
    lignes = {r["epci"]: r for r in table["lignes"]}
    assert lignes[TOULOUSE_METROPOLE]["premier_quartile"] == 5 and lignes[TOULOUSE_METROPOLE]["part"] == 62.5
    assert lignes[TOULOUSE_METROPOLE]["ressources_inconnues"] is None  # 1: suppressed
    assert lignes[SICOVAL]["seuil"] == NON_CONFIGURE


@pytest.mark.services
def test_observatoire_small_first_quartile_count_hides_the_share(attributions, app, web):
    with app.app_context():
        db.session.execute(text("UPDATE seuils_premier_quartile SET seuil = 8500"))  # only 9 000? no: 7 143, 8 000
        db.session.commit()
    (metropole,) = [
        r
        for r in service.premier_quartile(Filtres(date=JOUR, du=date(2025, 1, 1), au=date(2025, 6, 30)))
        if r["epci"] == TOULOUSE_METROPOLE
    ]
    assert metropole["premier_quartile"] == 2 and metropole["part"] == 25.0 and metropole["objectif"] == "atteint"
    response = web("observatoire").get(f"/statistiques/export/premier_quartile.csv?{PERIODE}")
    rows = {r[0].split(" — ")[0]: r for r in csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";")}
    ligne = next(r for k, r in rows.items() if k not in ("EPCI", "EPCI — année") and r[1] == "8")
    assert ligne[2:5] == ["< 5", "< 5", "< 5"]  # count, share and objective suppressed together
    assert ligne[5] == "8500,0"  # the threshold is not a count


# --- administration of the thresholds ------------------------------------------------------------------------------

URL = "/administration/seuils-premier-quartile"


def _form(client) -> str:
    page = client.get("/administration")
    assert page.status_code == 200 and 'id="form-seuil"' in page.text
    return csrf_token(page.text)


@pytest.mark.services
def test_gestionnaire_creates_then_updates_a_threshold(vide, web, app):
    client = web("gestionnaire")
    data = {"epci": TOULOUSE_METROPOLE, "annee": "2025", "seuil": "10 830,50", "csrf_token": _form(client)}
    response = client.post(URL, data=data)
    assert response.status_code == 302
    page = client.get("/administration")
    assert f'id="seuil-{TOULOUSE_METROPOLE}-2025"' in page.text and "10\u202f830,50 €" in page.text
    client.post(URL, data={**data, "seuil": "11000", "csrf_token": _form(client)})
    with app.app_context():
        (row,) = db.session.scalars(select(SeuilPremierQuartile)).all()
        assert (row.epci, row.annee, row.seuil, row.modifie_par) == (
            TOULOUSE_METROPOLE,
            2025,
            Decimal("11000.00"),
            "test-gestionnaire",
        )
        audits = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "seuil_premier_quartile").order_by(AuditEntry.id.desc())
        ).all()
        assert audits[0].details == {
            "epci": TOULOUSE_METROPOLE,
            "annee": 2025,
            "seuil": "11000.00",
            "ancien": "10830.50",
        }
        assert audits[0].login == "test-gestionnaire"


@pytest.mark.parametrize(
    ("champs", "messages"),
    [
        ({"epci": "999999999"}, ["L&#39;EPCI 999999999 n&#39;existe pas dans le référentiel territorial."]),
        ({"epci": ""}, ["Choisissez un EPCI."]),
        ({"annee": "1999"}, ["L&#39;année doit être comprise entre 2000 et 2100."]),
        ({"annee": "2101"}, ["L&#39;année doit être comprise entre 2000 et 2100."]),
        ({"annee": "deux mille"}, ["L&#39;année doit être un nombre entier (par exemple 2025)."]),
        ({"seuil": "0"}, ["Le seuil doit être strictement positif."]),
        ({"seuil": "-5"}, ["Le seuil doit être strictement positif."]),
        ({"seuil": "abc", "annee": ""}, ["Le seuil doit être un montant", "Saisissez l&#39;année."]),
    ],
)
@pytest.mark.services
def test_threshold_field_errors_next_to_the_fields(vide, web, app, champs, messages):
    client = web("gestionnaire")
    data = {"epci": TOULOUSE_METROPOLE, "annee": "2025", "seuil": "10000", **champs, "csrf_token": _form(client)}
    response = client.post(URL, data=data)
    assert response.status_code == 422
    for message in messages:
        assert message in response.text
    for champ in champs:
        assert f'id="err-{champ}"' in response.text
    with app.app_context():
        assert db.session.scalars(select(SeuilPremierQuartile)).all() == []


@pytest.mark.services
def test_threshold_form_requires_csrf_and_the_gestionnaire(vide, web):
    data = {"epci": TOULOUSE_METROPOLE, "annee": "2025", "seuil": "10000"}
    assert web("gestionnaire").post(URL, data=data).status_code == 400
    client = web("agent_bailleur")
    token = csrf_token(client.get("/", follow_redirects=True).text)
    assert client.post(URL, data={**data, "csrf_token": token}).status_code == 403
    assert client.get("/administration").status_code == 403
