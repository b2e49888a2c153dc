"""Bulk import of demandes, processed in batches (the Celery task and the CLI run the same code).

Each line is a demande of the API contract with its `numero_unique` (the idempotence key): a new number is
created, an existing one with different data is modified, one with identical data is left alone (no revision, no
event). Invalid lines are reported with their line number, field and reason; valid ones are committed. Each batch
commits its demandes with the import's progress and counts, so a killed worker resumes after the last committed
batch and importing the same file twice changes nothing.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from flask import current_app
from redis.exceptions import LockError
from redis.lock import Lock
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.api_errors import ApiError
from app.auth.context import Actor, current_actor
from app.demandes import service
from app.demandes.errors import FormatImportInvalide, ImportIntrouvable
from app.demandes.import_formats import Ligne, compter, lire
from app.demandes.models import Import, ImportErreur
from app.demandes.validation import Resultat, valider_lot
from app.extensions import db

log = logging.getLogger(__name__)

BATCH_SIZE = 500
EN_ATTENTE, EN_COURS, TERMINEE, ECHOUEE = "en_attente", "en_cours", "terminee", "echouee"
MAX_ERREURS_DETAILLEES = 10_000  # per import, so that a wrong file does not fill the table
TACHE = "demandes.traiter_import"
IMMUABLES_IMPORT = ("organisme_enregistreur", "date_depot")


def creer_import(contenu: bytes, fmt: str | None, nom_fichier: str | None = None, actor: Actor | None = None) -> Import:
    """Store the file and its line count; the caller enqueues (or runs) `traiter`."""
    if fmt is None:
        raise FormatImportInvalide()
    actor = actor or current_actor()
    try:
        lignes = compter(contenu, fmt)
    except UnicodeDecodeError as error:
        raise ApiError("Fichier illisible : encodage UTF-8 attendu") from error
    imp = Import(
        id=str(uuid.uuid4()),
        etat=EN_ATTENTE,
        format=fmt,
        nom_fichier=nom_fichier,
        contenu=contenu,
        auteur=actor.login,
        organisation=None if actor.is_system else actor.organisation,
        lignes=lignes,
        lignes_traitees=0,
        creees=0,
        modifiees=0,
        inchangees=0,
        erreurs=0,
    )
    db.session.add(imp)
    db.session.commit()
    return imp


def get_import(import_id: str) -> Import:
    imp = db.session.get(Import, import_id)
    if imp is None:
        raise ImportIntrouvable(f"Import {import_id} introuvable")
    return imp


def erreurs_de(imp: Import, limit: int = 1000) -> list[ImportErreur]:
    return list(
        db.session.scalars(
            select(ImportErreur).where(ImportErreur.import_id == imp.id).order_by(ImportErreur.id).limit(limit)
        )
    )


def as_dict(imp: Import, limit_erreurs: int = 1000) -> dict[str, Any]:
    return {
        "id": imp.id,
        "etat": imp.etat,
        "format": imp.format,
        "nom_fichier": imp.nom_fichier,
        "progression": round(imp.lignes_traitees / imp.lignes, 4) if imp.lignes else 1.0,
        "lignes": imp.lignes,
        "lignes_traitees": imp.lignes_traitees,
        "creees": imp.creees,
        "modifiees": imp.modifiees,
        "inchangees": imp.inchangees,
        "erreurs": imp.erreurs,
        "details_erreurs": [
            {"ligne": e.ligne, "champ": e.champ, "message": e.message, "numero_unique": e.numero_unique}
            for e in erreurs_de(imp, limit_erreurs)
        ],
        "cree_le": imp.cree_le,
        "termine_le": imp.termine_le,
        "message": imp.message,
    }


# --- processing ---------------------------------------------------------------------------------------------------


class _Compteurs:
    def __init__(self) -> None:
        self.creees = self.modifiees = self.inchangees = self.erreurs = 0
        self.details: list[ImportErreur] = []


def _erreur(c: _Compteurs, imp: Import, ligne: int, erreurs: list[dict[str, Any]], numero: str | None) -> None:
    c.erreurs += 1
    for e in erreurs:
        c.details.append(
            ImportErreur(
                import_id=imp.id, ligne=ligne, champ=e.get("champ"), message=str(e["message"]), numero_unique=numero
            )
        )


def _numero(payload: Any) -> str | None:
    value = payload.get("numero_unique") if isinstance(payload, dict) else None
    return value if isinstance(value, str) else None


def _traiter_ligne(
    imp: Import, ligne: Ligne, resultat: Resultat, existantes: dict, actor: Actor, c: _Compteurs
) -> None:
    numero = _numero(ligne.payload)
    if not resultat.valide:
        _erreur(c, imp, ligne.numero, resultat.erreurs, numero)
        return
    donnees = resultat.donnees or {}
    if not donnees.get("numero_unique"):
        _erreur(
            c,
            imp,
            ligne.numero,
            [
                {
                    "champ": "numero_unique",
                    "message": "Obligatoire à l'import (clé "
                    "d'idempotence : un même fichier importé deux fois ne change rien)",
                }
            ],
            None,
        )
        return
    if imp.organisation and donnees["organisme_enregistreur"] != imp.organisation:
        _erreur(
            c,
            imp,
            ligne.numero,
            [
                {
                    "champ": "organisme_enregistreur",
                    "message": f"Demande d'un autre organisme que le vôtre ({imp.organisation})",
                }
            ],
            numero,
        )
        return
    details = {"source": "import", "import_id": imp.id, "ligne": ligne.numero}
    existante = existantes.get(donnees["numero_unique"])
    try:
        with db.session.begin_nested():
            if existante is None:
                [cree] = service.creer_valide([resultat], actor, details)
                existantes[cree.numero_unique] = cree
                c.creees += 1
                return
            immuables = [k for k in IMMUABLES_IMPORT if donnees.get(k) != existante.donnees.get(k)]
            if immuables:
                _erreur(
                    c,
                    imp,
                    ligne.numero,
                    [{"champ": k, "message": "Champ non modifiable d'une demande existante"} for k in immuables],
                    numero,
                )
                return
            if service.remplacer_valide(existante, resultat, actor, details):
                c.modifiees += 1
            else:
                c.inchangees += 1
    except ApiError as error:  # e.g. a radiated demande cannot be modified
        _erreur(c, imp, ligne.numero, [{"champ": None, "message": error.message}], numero)
    except IntegrityError:
        _erreur(c, imp, ligne.numero, [{"champ": "numero_unique", "message": "Numéro unique déjà utilisé"}], numero)


def _traiter_lot(imp: Import, lot: list[Ligne], actor: Actor) -> _Compteurs:
    c = _Compteurs()
    lisibles = [ligne for ligne in lot if ligne.erreur is None]
    resultats = valider_lot([ligne.payload for ligne in lisibles], ignorer_lecture_seule=True)
    existantes = service.load_many(n for n in (_numero(ligne.payload) for ligne in lisibles) if n)
    par_ligne = dict(zip((id(ligne) for ligne in lisibles), resultats, strict=True))
    for ligne in lot:
        if ligne.erreur is not None:
            _erreur(c, imp, ligne.numero, [{"champ": None, "message": ligne.erreur}], None)
        else:
            _traiter_ligne(imp, ligne, par_ligne[id(ligne)], existantes, actor, c)
    return c


# One processor per import at a time: a Redis lock, renewed after every batch, that expires when its worker dies.
# So the sweeper may re-enqueue an import at any time: a duplicate finds the lock taken and returns.
LOCK_TTL_S = 30


def traiter(import_id: str, batch_size: int = BATCH_SIZE, progress: Callable[[int], None] | None = None) -> Import:
    """Process (or resume) an import; each batch is one transaction holding its demandes and the progress."""
    lock = current_app.extensions["redis"].lock(f"fp:import:{import_id}", timeout=LOCK_TTL_S)
    if not lock.acquire(blocking=False):
        log.info("import %s: already being processed by another worker", import_id)
        return get_import(import_id)
    try:
        return _traiter(import_id, batch_size, progress, lock)
    finally:
        with contextlib.suppress(LockError):
            lock.release()


def en_souffrance(age_min_s: int = 30) -> list[str]:
    """Imports waiting for a worker: never started (lost enqueue) or interrupted (worker killed)."""
    stmt = select(Import.id).where(
        Import.etat.in_([EN_ATTENTE, EN_COURS]), Import.cree_le < func.now() - timedelta(seconds=age_min_s)
    )
    return list(db.session.scalars(stmt))


def _traiter(import_id: str, batch_size: int, progress: Callable[[int], None] | None, lock: Lock) -> Import:
    imp = db.session.scalar(select(Import).where(Import.id == import_id).with_for_update())
    if imp is None:
        raise ImportIntrouvable(f"Import {import_id} introuvable")
    if imp.etat in (TERMINEE, ECHOUEE):
        db.session.rollback()
        return imp
    imp.etat = EN_COURS
    imp.commence_le = imp.commence_le or func.now()
    db.session.commit()
    actor = Actor(login=imp.auteur, organisation=imp.organisation) if imp.auteur else current_actor()
    contenu, fmt, deja = imp.contenu, imp.format, imp.lignes_traitees
    if progress and deja:
        progress(deja)
    lignes = itertools.islice(lire(contenu, fmt), deja, None)
    try:
        while lot := list(itertools.islice(lignes, batch_size)):
            imp = db.session.scalar(select(Import).where(Import.id == import_id).with_for_update())
            c = _traiter_lot(imp, lot, actor)
            place = max(MAX_ERREURS_DETAILLEES - imp.erreurs, 0)
            db.session.add_all(c.details[:place])
            imp.lignes_traitees += len(lot)
            imp.creees += c.creees
            imp.modifiees += c.modifiees
            imp.inchangees += c.inchangees
            imp.erreurs += c.erreurs
            db.session.commit()
            lock.reacquire()
            if progress:
                progress(len(lot))
    except Exception as error:
        db.session.rollback()
        imp = db.session.get(Import, import_id)
        imp.etat = ECHOUEE
        imp.message = f"Erreur interne pendant l'import : {type(error).__name__}"
        imp.termine_le = func.now()
        db.session.commit()
        raise
    imp = db.session.get(Import, import_id)
    imp.etat = TERMINEE
    imp.termine_le = func.now()
    db.session.commit()
    return imp
