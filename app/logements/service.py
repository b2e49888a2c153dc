"""Logements service: create, read, modify (optimistic concurrency), list; row-level write rule.

A bailleur agent writes only the logements of its own organisation (`bailleur == actor.organisation`); the
system actor (CLI, workers) writes any.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select, true
from sqlalchemy.exc import IntegrityError

from app.auth.context import Actor, current_actor
from app.extensions import db
from app.logements.errors import Conflit, DonneesInvalides, Interdit, Introuvable
from app.logements.models import VACANT, Logement
from app.referentiel.service import unknown_communes


class ReferenceExistante(Conflit):
    code = "reference_existante"
    default_message = "Ce bailleur a déjà un logement avec cette référence"


def verifier_commune(data: dict[str, Any], champ: str = "commune") -> None:
    commune = data.get("commune")
    if commune and unknown_communes([commune]):
        raise DonneesInvalides.champ(champ, f"Commune {commune} inconnue du référentiel (code INSEE attendu)")


def _verifier_droit(actor: Actor, bailleur: str) -> None:
    if not actor.is_system and actor.organisation != bailleur:
        raise Interdit(f"Votre organisation ({actor.organisation}) n'est pas le bailleur {bailleur} de ce logement")


def obtenir(logement_id: int) -> Logement:
    logement = db.session.get(Logement, logement_id)
    if logement is None:
        raise Introuvable(f"Logement {logement_id} introuvable")
    return logement


def visibles(actor: Actor) -> ColumnElement[bool]:
    """Row-level read rule of the logements, their candidates and CAL lists (issue 4): the gestionnaire and the
    system see all; a bailleur agent its organisation's logements; a réservataire those whose contingent it holds.
    One SQL condition, used by the list and (through `verifier_lecture`) by every single read."""
    if actor.is_system or "gestionnaire" in actor.roles:
        return true()
    branches = []
    if "agent_bailleur" in actor.roles and actor.organisation:
        branches.append(Logement.bailleur == actor.organisation)
    if "reservataire" in actor.roles and actor.contingents:
        branches.append(Logement.contingent.in_(list(actor.contingents)))
    return or_(*branches) if branches else false()


def verifier_lecture(logement: Logement, actor: Actor | None = None) -> None:
    actor = actor or current_actor()
    visible = db.session.scalar(select(func.count()).where(Logement.id == logement.id, visibles(actor)))
    if not visible:
        raise Interdit(f"Le logement {logement.id} ne relève ni de votre organisation ni de votre contingent")


def obtenir_pour_lecture(logement_id: int) -> Logement:
    """The logement, after the row-level read check of its candidates and CAL lists."""
    logement = obtenir(logement_id)
    verifier_lecture(logement)
    return logement


def obtenir_pour_ecriture(logement_id: int) -> Logement:
    """The logement locked for update, after the row-level write check."""
    logement = db.session.get(Logement, logement_id, with_for_update=True)
    if logement is None:
        raise Introuvable(f"Logement {logement_id} introuvable")
    _verifier_droit(current_actor(), logement.bailleur)
    return logement


def creer(data: dict[str, Any]) -> Logement:
    actor = current_actor()
    bailleur = data.get("bailleur") or actor.organisation
    if not bailleur:
        raise DonneesInvalides.champ("bailleur", "Champ obligatoire")
    _verifier_droit(actor, bailleur)
    verifier_commune(data)
    logement = Logement(**{**data, "bailleur": bailleur, "etat": VACANT, "revision": 1})
    db.session.add(logement)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ReferenceExistante(
            erreurs=[{"champ": "reference", "message": f"Référence {data['reference']} déjà utilisée par {bailleur}"}]
        ) from None
    return logement


def modifier(logement: Logement, changes: dict[str, Any]) -> Logement:
    """Apply a validated partial update (caller checked If-Match on `logement.revision`)."""
    if "bailleur" in changes and changes["bailleur"] != logement.bailleur:
        raise DonneesInvalides.champ("bailleur", "Le bailleur d'un logement ne peut pas être changé")
    verifier_commune(changes)
    changed = [k for k, v in changes.items() if getattr(logement, k) != v]
    for key in changed:
        setattr(logement, key, changes[key])
    if changed:
        logement.revision += 1
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ReferenceExistante(erreurs=[{"champ": "reference", "message": "Référence déjà utilisée"}]) from None
    return logement


def lister(filtres: dict[str, Any]) -> tuple[int, list[Logement]]:
    stmt = select(Logement).where(visibles(current_actor()))
    if filtres.get("bailleur"):
        stmt = stmt.where(Logement.bailleur == filtres["bailleur"])
    for champ in ("commune", "etat", "typologie", "contingent"):
        if filtres.get(champ):
            stmt = stmt.where(getattr(Logement, champ).in_(filtres[champ]))
    if filtres.get("financement"):
        stmt = stmt.where(Logement.financement.in_(["PLUS" if f == "PLA" else f for f in filtres["financement"]]))
    avant: date | None = filtres.get("disponible_avant")
    if avant:
        stmt = stmt.where(Logement.date_disponibilite <= avant)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    page = stmt.order_by(Logement.date_disponibilite, Logement.id).limit(filtres["limit"]).offset(filtres["offset"])
    return total, list(db.session.scalars(page))
