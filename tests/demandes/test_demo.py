"""Demo generator: realistic shares, seeded through the service layer; `demo generer` / `demo initialiser`."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from app.demandes.models import Demande, DemandeEvenement
from app.demo.generator import generer
from app.extensions import db
from app.outbox import OutboxEntry
from app.referentiel.models import Commune
from matching.menage import categorie_menage, nb_personnes
from matching.plafonds import plafond

TM, SICOVAL, MURETAIN = "243100518", "243100633", "200068641"


def test_generated_demandes_look_like_haute_garonne(app_ctx):
    assert generer(600, batch_size=250, seed=31) == 600
    rows = list(db.session.scalars(select(Demande)))
    assert len(rows) == 600
    assert db.session.scalar(select(func.count()).select_from(DemandeEvenement)) == 600
    assert db.session.scalar(select(func.count()).select_from(OutboxEntry)) == 600
    stmt = select(Commune.code, Commune.epci_code).where(Commune.departement_code == "31")
    epci = dict(db.session.execute(stmt).all())

    premiers = [d.donnees["souhaits"]["communes"][0] for d in rows]
    assert all(c in epci for c in premiers)  # every first choice in Haute-Garonne
    share = {zone: sum(epci[c] == zone for c in premiers) / len(rows) for zone in (TM, SICOVAL, MURETAIN)}
    assert 0.65 <= share[TM] <= 0.81
    assert 0.04 <= share[SICOVAL] <= 0.13
    assert 0.03 <= share[MURETAIN] <= 0.12
    assert sum(c == "31555" for c in premiers) / len(rows) > 0.35  # mostly Toulouse

    plai = 0
    for d in rows:
        cat = categorie_menage(d.donnees, date.today())
        plai += d.donnees["revenu_fiscal_reference"] <= plafond(
            "PLAI", cat.categorie, cat.personnes_supplementaires, 2026
        )
        assert d.etat == "active"
        assert date.today() - timedelta(days=6 * 366) <= d.date_depot <= date.today()
        n = nb_personnes(d.donnees)
        tailles = {"chambre": 1, "T1": 1, "T2": 2, "T3": 3, "T4": 4, "T5": 5, "T6": 6}
        assert all(tailles[t] <= n + 1 for t in d.donnees["souhaits"]["typologies"])  # no sous-occupation wish
    assert 0.55 <= plai / len(rows) <= 0.8
    dalo = sum(bool(d.donnees.get("dalo")) for d in rows) / len(rows)
    prioritaires = sum(bool(d.donnees.get("priorites")) for d in rows) / len(rows)
    assert 0.0 < dalo < 0.08
    assert 0.2 < prioritaires < 0.4
    assert len({d.date_depot.year for d in rows}) >= 6


def test_demo_cli(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["demo", "generer", "30", "--lot", "10"])
    assert result.exit_code == 0, result.output
    assert "30 demandes générées" in result.output
    result = runner.invoke(args=["demo", "initialiser"])
    assert result.exit_code == 0, result.output
    assert "30 demandes déjà présentes" in result.output
