"""Nightly shortlist run: vacant logements without an open CAL list, allocated by `matching.shortlists.allouer`
over the ranked candidates of each logement (`app.rapprochement.service.classement`), stored with a run id,
progress and timing. One run per date: re-running a date recomputes it in place (same id, same result for the
same data), so the run is idempotent."""

from __future__ import annotations

import time
import uuid
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import delete, exists, select

from app.auth.context import current_actor
from app.cal.models import OUVERTE, ListeCal
from app.extensions import db
from app.logements.errors import Introuvable
from app.logements.models import VACANT, Logement
from app.logements.service import visibles
from app.rapprochement.service import aujourdhui, classement
from app.shortlists.models import ECHOUE, EN_COURS, TERMINE, ShortlistProposition, ShortlistRun
from matching.options import MatchingOptions
from matching.shortlists import Allocation, allouer

PROGRESS_EVERY = 50


def parametres_par_defaut() -> dict[str, Any]:
    config = current_app.config
    return {
        "n": int(config.get("SHORTLISTS_N", 5)),
        "k": int(config.get("SHORTLISTS_K", 1)),
        "strategie": config.get("SHORTLISTS_STRATEGIE", "priorite_anciennete"),
    }


def logements_a_servir() -> list[Logement]:
    ouverte = exists().where(ListeCal.logement_id == Logement.id, ListeCal.etat == OUVERTE)
    stmt = select(Logement).where(Logement.etat == VACANT, ~ouverte).order_by(Logement.date_disponibilite, Logement.id)
    return list(db.session.scalars(stmt))


def calculer(
    date_run: date | None = None,
    n: int | None = None,
    k: int | None = None,
    strategie: str | None = None,
) -> ShortlistRun:
    """Compute (or recompute) the shortlists of `date_run` (default: today in Europe/Paris)."""
    date_run = date_run or aujourdhui()
    params = parametres_par_defaut()
    params.update({key: v for key, v in {"n": n, "k": k, "strategie": strategie}.items() if v is not None})
    run = db.session.scalar(select(ShortlistRun).where(ShortlistRun.date_run == date_run).with_for_update())
    if run is None:
        run = ShortlistRun(id=str(uuid.uuid4()), date_run=date_run)
        db.session.add(run)
    else:
        db.session.execute(delete(ShortlistProposition).where(ShortlistProposition.run_id == run.id))
    logements = logements_a_servir()
    run.statut, run.parametres, run.erreur = EN_COURS, params, None
    run.total_logements, run.logements_traites, run.logements_en_echec, run.propositions_count = len(logements), 0, 0, 0
    run.demarre_le, run.termine_le, run.duree_ms = datetime.now(UTC), None, None
    db.session.commit()
    run_id = run.id
    started = time.monotonic()

    options = MatchingOptions(on=date_run, strategie=params["strategie"])
    par_id = {lg.id: lg.matching_dict() for lg in logements}
    ordre = {lg.id: i for i, lg in enumerate(logements, start=1)}
    taille = max(50, params["n"] * 4)

    def candidats_de(logement_id: int):
        return classement(par_id[logement_id], options, taille=taille)

    compteurs = {"propositions": 0, "echecs": 0}

    def progression(index: int, allocation: Allocation[int]) -> None:
        _stocker(run_id, ordre[allocation.logement], allocation)
        compteurs["propositions"] += len(allocation.retenus)
        compteurs["echecs"] += 1 if allocation.erreur else 0
        if index % PROGRESS_EVERY == 0 or index == len(logements):
            _avancer(run_id, index, compteurs)

    try:
        allouer([lg.id for lg in logements], candidats_de, params["n"], params["k"], progression)
    except Exception as error:
        db.session.rollback()
        run = db.session.get(ShortlistRun, run_id)
        run.statut, run.erreur = ECHOUE, f"{type(error).__name__}: {error}"
        run.duree_ms = int((time.monotonic() - started) * 1000)
        db.session.commit()
        raise
    run = db.session.get(ShortlistRun, run_id)
    run.statut = TERMINE
    run.termine_le = datetime.now(UTC)
    run.duree_ms = int((time.monotonic() - started) * 1000)
    db.session.commit()
    return run


def _stocker(run_id: str, ordre: int, allocation: Allocation[int]) -> None:
    if allocation.erreur or not allocation.retenus:  # rang 0: a failed logement, or one without any candidate
        db.session.add(
            ShortlistProposition(
                run_id=run_id,
                logement_id=allocation.logement,
                ordre_logement=ordre,
                rang=0,
                erreur=allocation.erreur[:2000] if allocation.erreur else None,
            )
        )
    for rang, (rang_liste, numero) in enumerate(allocation.retenus, start=1):
        db.session.add(
            ShortlistProposition(
                run_id=run_id,
                logement_id=allocation.logement,
                ordre_logement=ordre,
                rang=rang,
                numero_unique=numero,
                rang_liste=rang_liste,
            )
        )


def _avancer(run_id: str, traites: int, compteurs: dict[str, int]) -> None:
    run = db.session.get(ShortlistRun, run_id)
    run.logements_traites = traites
    run.propositions_count = compteurs["propositions"]
    run.logements_en_echec = compteurs["echecs"]
    db.session.commit()


def lister(limit: int = 30) -> list[ShortlistRun]:
    return list(db.session.scalars(select(ShortlistRun).order_by(ShortlistRun.date_run.desc()).limit(limit)))


def obtenir(run_id: str) -> ShortlistRun:
    run = db.session.get(ShortlistRun, run_id)
    if run is None:
        raise Introuvable(f"Calcul de shortlists {run_id} introuvable")
    return run


def detail(run: ShortlistRun) -> list[dict[str, Any]]:
    """Proposals grouped by logement, in service order, for the logements the caller may read (row-level rule)."""
    ids = {p.logement_id for p in run.propositions}
    lisibles = set(db.session.scalars(select(Logement.id).where(Logement.id.in_(ids), visibles(current_actor()))))
    groupes: dict[int, dict[str, Any]] = {}
    for p in run.propositions:
        if p.logement_id not in lisibles:
            continue
        groupe = groupes.setdefault(
            p.logement_id, {"logement_id": p.logement_id, "ordre": p.ordre_logement, "candidats": [], "erreur": None}
        )
        if p.erreur:
            groupe["erreur"] = p.erreur
        elif p.numero_unique:
            groupe["candidats"].append({"rang": p.rang, "numero_unique": p.numero_unique, "rang_liste": p.rang_liste})
    return sorted(groupes.values(), key=lambda g: g["ordre"])
