"""Designations: a réservataire proposes households to the bailleur for a vacant logement of its contingent.

Since reservations are managed in flow (domain §1), on each vacancy of a réservataire's contingent it is that
réservataire who looks for candidates; the bailleur then presents them to its CAL. A designation is the ordered set
of households one réservataire proposes for one logement: designating again replaces it. Each candidate must be
eligible when designated (same check as the CAL list) and gets a `designation` event in its history.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from app.auth.context import current_actor
from app.cal.models import Designation
from app.cal.service import EtapeImpossible, candidats_eligibles, doublons, evenement
from app.extensions import db
from app.logements import service as logements
from app.logements.errors import DonneesInvalides
from app.logements.models import VACANT, Logement
from app.rapprochement.service import aujourdhui

MAXIMUM_DESIGNES = 10


def designer(logement_id: int, numeros: list[str]) -> list[Designation]:
    actor = current_actor()
    erreurs = doublons(numeros)
    if len(numeros) > MAXIMUM_DESIGNES:
        erreurs.append({"champ": "candidats", "message": f"Au plus {MAXIMUM_DESIGNES} candidats désignés"})
    if erreurs:
        raise DonneesInvalides(None, erreurs)
    logement = logements.obtenir_pour_lecture(logement_id)  # a réservataire: only its contingent's logements
    db.session.refresh(logement, with_for_update=True)
    if not actor.organisation:
        raise EtapeImpossible("Votre compte n'est rattaché à aucune organisation réservataire")
    _ouvert_aux_designations(logement)
    rows, _ = candidats_eligibles(numeros, logement, aujourdhui())
    db.session.execute(
        delete(Designation).where(
            Designation.logement_id == logement.id, Designation.organisation == actor.organisation
        )
    )
    designations = [
        Designation(
            logement_id=logement.id,
            organisation=actor.organisation,
            demande_id=rows[numero].id,
            numero_unique=numero,
            position=position,
            designe_par=actor.login,
        )
        for position, numero in enumerate(numeros, start=1)
    ]
    db.session.add_all(designations)
    for d in designations:
        evenement(
            rows[d.numero_unique],
            "designation",
            actor,
            {"logement_id": logement.id, "organisation": actor.organisation, "position": d.position},
        )
    db.session.commit()
    return designations


def _ouvert_aux_designations(logement: Logement) -> None:
    # Once the bailleur opens its CAL list the logement is en_attribution: designations are closed with it.
    if logement.etat != VACANT:
        raise EtapeImpossible(f"Le logement {logement.id} n'est pas vacant (état {logement.etat}) : désignation close")


def du_logement(logement_id: int) -> list[Designation]:
    """Designations of a logement (its bailleur, the contingent's réservataire, the gestionnaire). The caller
    audits the read with whatever else it shows (one entry per access)."""
    logements.obtenir_pour_lecture(logement_id)
    return list(
        db.session.scalars(
            select(Designation)
            .where(Designation.logement_id == logement_id)
            .order_by(Designation.organisation, Designation.position)
        )
    )
