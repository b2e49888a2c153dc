"""Territorial referential loaded from @etalab/decoupage-administratif 6.0.0 (domain.md §8)."""

from __future__ import annotations

from sqlalchemy import func, select


def test_referentiel_holds_the_official_counts(app_ctx):
    from app.extensions import db
    from app.referentiel.models import Commune, Epci

    # 34 969 current communes and 1 255 EPCI (domain.md §8). The package lists 591 entries for the
    # département 31, of which 586 are current communes (the others are communes déléguées/associées).
    assert db.session.scalar(select(func.count()).select_from(Commune)) == 34969
    assert db.session.scalar(select(func.count()).select_from(Epci)) == 1255
    assert db.session.scalar(select(func.count()).where(Commune.departement_code == "31")) == 586


def test_communes_of_an_epci_and_their_epci(app_ctx):
    from app.extensions import db
    from app.referentiel.models import Commune

    castanet = db.session.get(Commune, "31113")
    assert castanet.nom == "Castanet-Tolosan"
    assert castanet.epci_code == "243100633"  # Sicoval
    assert db.session.get(Commune, "31555").epci_code == "243100518"  # Toulouse → Toulouse Métropole


def test_reloading_the_same_version_changes_nothing(app_ctx):
    from app.referentiel.loader import load_referentiel

    assert load_referentiel() is None
