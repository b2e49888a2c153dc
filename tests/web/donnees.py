"""A small file of demandes for the web tests, written through the models (as the indexing tests do) and indexed
by the real pipeline, plus CAL workflow events for the statistics."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.demandes.models import Demande, DemandeEvenement
from app.extensions import db
from indexing import consumer, lifecycle
from tests.indexing import helpers
from tests.matching.donnees import BLAGNAC, CASTANET, TOULOUSE

JOUR = date(2025, 3, 10)  # events are recorded on this day


def _event(demande: Demande, type_: str, quand: date = JOUR, **details) -> None:
    db.session.add(
        DemandeEvenement(
            demande=demande,
            type=type_,
            revision=demande.revision,
            auteur="test",
            organisation="BAILLEUR-31",
            survenu_le=datetime(quand.year, quand.month, quand.day, 10, tzinfo=UTC),
            details=details,
        )
    )


def seed(es) -> dict[str, Demande]:
    helpers.reset(es)
    rows: dict[str, Demande] = {}
    rows["lefevre"] = helpers.new_demande(
        "031-2024-00001",
        nom="Lefèvre",
        prenom="Hélène",
        date_depot=date(2024, 1, 1),
        souhaits={"communes": [TOULOUSE], "typologies": ["T2"]},
        priorites=["handicap"],
    )
    rows["martin"] = helpers.new_demande(
        "031-2024-00002",
        nom="Martin",
        prenom="Paul",
        date_depot=date(2024, 2, 1),
        souhaits={"communes": [BLAGNAC], "typologies": ["T3", "T4"]},
        co_demandeurs=[{"nom": "Ngô", "prenom": "Anh", "date_naissance": "1985-03-03", "lien": "conjoint"}],
    )
    rows["martinez"] = helpers.new_demande(
        "031-2023-00003",
        nom="Martinez",
        prenom="Inès",
        date_depot=date(2023, 5, 1),
        souhaits={"communes": [CASTANET], "typologies": ["T2"]},
    )
    # Six more active demandes in Toulouse (T3): enough to pass the statistical secrecy threshold.
    for i in range(6):
        rows[f"toulouse{i}"] = helpers.new_demande(
            f"031-2024-1000{i}",
            nom=f"Durand{i}",
            prenom="Jean",
            date_depot=date(2024, 3, 1 + i),
            souhaits={"communes": [TOULOUSE], "typologies": ["T3"]},
        )
    # Satisfied and radiated demandes.
    sat = helpers.new_demande(
        "031-2022-00009",
        nom="Bernard",
        prenom="Luc",
        etat="satisfaite",
        date_depot=date(2022, 3, 1),
        souhaits={"communes": [TOULOUSE], "typologies": ["T2"]},
    )
    sat.motif_radiation, sat.date_radiation = "attribution", date(2025, 3, 10)
    rows["bernard"] = sat
    nr = helpers.new_demande(
        "031-2022-00010",
        nom="Petit",
        prenom="Ana",
        etat="radiee",
        date_depot=date(2022, 1, 1),
        souhaits={"communes": [TOULOUSE], "typologies": ["T1"]},
    )
    nr.motif_radiation, nr.date_radiation = "non_renouvellement", date(2025, 3, 10)
    rows["petit"] = nr
    db.session.flush()
    _event(rows["martin"], "cal_decision", decision="attribution")
    _event(rows["martinez"], "proposition")
    _event(rows["lefevre"], "modification", champs=["ressources_mensuelles"])
    _event(rows["lefevre"], "modification", champs=["motifs"])
    _event(nr, "radiation", motif="non_renouvellement")
    _event(sat, "radiation", motif="attribution")
    db.session.commit()
    consumer.drain()
    es.indices.refresh(index=lifecycle.current_spec().alias)
    return rows


def seed_logement(es) -> int:
    """Three more T2 demandes in Toulouse (one DALO) and a vacant T2 of BAILLEUR-31 in Toulouse; returns its id."""
    from decimal import Decimal

    from sqlalchemy import text

    from app.logements.models import Logement
    from tests.matching.donnees import BASE_LOGEMENT

    db.session.execute(text("TRUNCATE logements CASCADE"))

    for i, (nom, dalo) in enumerate((("Garcia", True), ("Roux", False), ("Fontaine", False))):
        helpers.new_demande(
            f"031-2023-2000{i}",
            nom=nom,
            prenom="Marie",
            date_depot=date(2023, 1, 10 + i),
            souhaits={"communes": [TOULOUSE], "typologies": ["T2"]},
            dalo=dalo,
        )
    logement = Logement(
        **{
            **BASE_LOGEMENT,
            "surface": Decimal(45),
            "loyer": Decimal(400),
            "charges": Decimal(50),
            "date_disponibilite": date(2026, 3, 1),
        },
        reference="LGT-T2-001",
        bailleur="BAILLEUR-31",
        adresse="12 rue des Tests",
        etat="vacant",
    )
    db.session.add(logement)
    db.session.commit()
    consumer.drain()
    es.indices.refresh(index=lifecycle.current_spec().alias)
    return logement.id
