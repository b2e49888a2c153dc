"""Service layer of the demandes: every write validates the whole payload first, then changes the row, records an
event and an outbox entry in one transaction (so the index follows), and bumps the revision.

Optimistic concurrency: writers lock the row (`SELECT ... FOR UPDATE`) and compare the revision the client read
(`If-Match`) with the current one, so of two writers holding the same revision exactly one wins, the other gets 412.
Row-level rule: only the registering organisation (or the system) writes a demande.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from flask import has_request_context, request
from sqlalchemy import func, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import make_transient_to_detached

from app import audit, outbox
from app.auth.context import Actor, current_actor
from app.demandes import lifecycle
from app.demandes.diff import changed_paths, merge_patch
from app.demandes.errors import (
    DemandeIntrouvable,
    DonneesInvalides,
    IfMatchRequis,
    Interdit,
    NumeroExistant,
    RevisionPerimee,
)
from app.demandes.models import Demande, DemandeEvenement
from app.demandes.numeros import nouveaux_numeros
from app.demandes.representation import representation
from app.demandes.validation import Resultat, valider, valider_lot
from app.extensions import db

# Fields a PATCH may not change: the key, the owner, and what seniority and validity count from (lifecycle only).
IMMUABLES_PATCH: tuple[str, ...] = ("numero_unique", "organisme_enregistreur", "date_depot", "date_renouvellement")
ANY_REVISION = "*"


# --- reading ------------------------------------------------------------------------------------------------------


def as_document_source(demande: Demande) -> dict[str, Any]:
    """The API JSON dict of a demande (what GET returns), the input of the indexing document builder."""
    return representation(demande)


def load_many(numeros: Iterable[str]) -> dict[str, Demande]:
    """Demandes by numero_unique (absent numbers are simply missing from the result)."""
    wanted = list(dict.fromkeys(numeros))
    if not wanted:
        return {}
    rows = db.session.scalars(select(Demande).where(Demande.numero_unique.in_(wanted)))
    return {row.numero_unique: row for row in rows}


def _visible(demande: Demande, actor: Actor) -> bool:
    if demande.efface_le is not None:
        return False
    if demande.etat == lifecycle.BROUILLON and not actor.is_system:
        return actor.organisation == demande.organisme_enregistreur
    return True


def get(numero: str, actor: Actor | None = None) -> Demande:
    """A demande by its numero_unique; a brouillon is visible only to its registering organisation."""
    actor = actor or current_actor()
    demande = db.session.scalar(select(Demande).where(Demande.numero_unique == numero))
    if demande is None or not _visible(demande, actor):
        raise DemandeIntrouvable(f"Demande {numero} introuvable")
    return demande


def historique(numero: str, actor: Actor | None = None) -> list[dict[str, Any]]:
    demande = get(numero, actor)
    evenements = db.session.scalars(
        select(DemandeEvenement).where(DemandeEvenement.demande_id == demande.id).order_by(DemandeEvenement.id)
    )
    return [
        {
            "type": e.type,
            "revision": e.revision,
            "auteur": e.auteur,
            "organisation": e.organisation,
            "survenu_le": e.survenu_le,
            "champs": list((e.details or {}).get("champs", [])),
            "details": e.details or {},
            "commentaire": e.commentaire,
        }
        for e in evenements
    ]


# --- rules shared by the writes -----------------------------------------------------------------------------------


def ensure_can_write(demande: Demande, actor: Actor) -> None:
    """Raise Interdit (403) unless the actor belongs to the registering organisation (or is the system)."""
    if actor.is_system or actor.organisation == demande.organisme_enregistreur:
        return
    raise Interdit(
        f"La demande {demande.numero_unique} a été enregistrée par l'organisme {demande.organisme_enregistreur} : "
        "seul cet organisme peut la modifier"
    )


def _ensure_can_create(organisme: str, actor: Actor) -> None:
    if actor.is_system or actor.organisation == organisme:
        return
    raise Interdit(f"Vous ne pouvez enregistrer des demandes que pour votre organisme ({actor.organisation})")


def parse_if_match(header: str | None) -> int | str | None:
    """`3`, `"3"` or `W/"3"` → 3; `*` → "*"; absent → None; anything else → -1 (matches no revision)."""
    if header is None or not header.strip():
        return None
    value = header.strip()
    if value == ANY_REVISION:
        return ANY_REVISION
    value = value.removeprefix("W/").strip('"')
    return int(value) if value.isdigit() else -1


def _check_revision(demande: Demande, expected: int | str | None, required: bool) -> None:
    if expected is None:
        if required:
            raise IfMatchRequis()
        return
    if expected != ANY_REVISION and expected != demande.revision:
        raise RevisionPerimee(
            f"La demande a été modifiée depuis sa lecture (révision courante {demande.revision}, "
            f"révision lue {expected}) : relisez-la puis recommencez",
            headers={"ETag": f'"{demande.revision}"'},
        )


def _lock(numero: str, actor: Actor) -> Demande:
    demande = db.session.scalar(
        select(Demande)
        .where(Demande.numero_unique == numero)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    if demande is None or not _visible(demande, actor):
        raise DemandeIntrouvable(f"Demande {numero} introuvable")
    return demande


def _event(
    demande: Demande,
    type_: str,
    actor: Actor,
    details: dict[str, Any] | None = None,
    commentaire: str | None = None,
) -> None:
    db.session.add(
        DemandeEvenement(
            demande=demande,
            type=type_,
            revision=demande.revision,
            auteur=actor.login,
            organisation=actor.organisation,
            details=details or {},
            commentaire=commentaire,
        )
    )
    # Every change of personal data is traced, in the same transaction as the change itself.
    audit.record(type_, [demande.numero_unique], actor=actor, revision=demande.revision)


def _apply(demande: Demande, donnees: dict[str, Any]) -> None:
    """Copy the payload and the columns mirrored from it; recompute the validity end."""
    demande.donnees = donnees
    demande.numero_unique = donnees["numero_unique"]
    demande.organisme_enregistreur = donnees["organisme_enregistreur"]
    demande.date_depot = date.fromisoformat(donnees["date_depot"])
    renouvellement = donnees.get("date_renouvellement")
    demande.date_renouvellement = date.fromisoformat(renouvellement) if renouvellement else None
    demande.date_fin_validite = lifecycle.fin_validite(demande.date_depot, demande.date_renouvellement)


def _bump(demande: Demande) -> None:
    demande.revision = int(demande.revision) + 1
    demande.modifie_le = func.now()


def _record_change(demande: Demande) -> None:
    outbox.record("demande", demande.numero_unique, int(demande.revision))


def _commit() -> None:
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if "numero_unique" in str(error.orig):
            raise NumeroExistant() from error
        raise


# --- creation -----------------------------------------------------------------------------------------------------


def _inserer(
    resultats: Sequence[Resultat], numeros: Sequence[str], actor: Actor, details: dict[str, Any]
) -> list[Demande]:
    """Insert demandes with their creation event, audit entry and outbox entry, in the current transaction.

    Core executemany (pipelined by psycopg 3) instead of the ORM unit of work: ids of demandes and outbox entries
    are drawn from their sequences in one query (no RETURNING, so no giant multi-VALUES statement to parse), and
    the outbox ids are handed to the after-commit enqueue. The returned demandes are persistent in the session, as
    if loaded (`cree_le`/`modifie_le` = the transaction's `now()`, what the column defaults write).
    """
    n = len(resultats)
    if not n:
        return []
    ids = db.session.execute(
        text(
            "SELECT nextval(pg_get_serial_sequence('demandes', 'id')), "
            "nextval(pg_get_serial_sequence('outbox', 'id')), now() FROM generate_series(1, :n)"
        ),
        {"n": n},
    ).all()
    maintenant = ids[0][2]
    demande_ids = sorted(row[0] for row in ids)
    outbox_ids = sorted(row[1] for row in ids)
    lignes: list[dict[str, Any]] = []
    for id_, resultat, numero in zip(demande_ids, resultats, numeros, strict=True):
        donnees = dict(resultat.donnees or {})
        donnees["numero_unique"] = numero
        depot = date.fromisoformat(donnees["date_depot"])
        renouvellement = donnees.get("date_renouvellement")
        renouvellement = date.fromisoformat(renouvellement) if renouvellement else None
        lignes.append(
            {
                "id": id_,
                "numero_unique": numero,
                "etat": lifecycle.BROUILLON if resultat.brouillon else lifecycle.ACTIVE,
                "organisme_enregistreur": donnees["organisme_enregistreur"],
                "date_depot": depot,
                "date_renouvellement": renouvellement,
                "date_fin_validite": lifecycle.fin_validite(depot, renouvellement),
                "complete": True,
                "donnees": donnees,
                "revision": 1,
                "cree_le": maintenant,
                "modifie_le": maintenant,
            }
        )
    adresse = request.remote_addr if has_request_context() else None
    db.session.execute(insert(Demande.__table__), lignes)
    db.session.execute(
        insert(DemandeEvenement.__table__),
        [
            {"demande_id": d["id"], "type": "creation", "revision": 1, "auteur": actor.login,
             "organisation": actor.organisation, "details": {**details, "etat": d["etat"]}, "commentaire": None,
             "survenu_le": maintenant}
            for d in lignes
        ],
    )  # fmt: skip
    # Every change of personal data is traced, in the same transaction as the change itself (as `audit.record`).
    db.session.execute(
        insert(audit.AuditEntry.__table__),
        [
            {"login": actor.login, "organisation": actor.organisation, "action": "creation",
             "demandes": [d["numero_unique"]], "adresse": adresse, "details": {"revision": 1},
             "survenu_le": maintenant}
            for d in lignes
        ],
    )  # fmt: skip
    db.session.execute(
        insert(outbox.OutboxEntry.__table__),
        [
            {"id": oid, "kind": "demande", "entity_id": d["numero_unique"], "revision": 1, "attempts": 0,
             "created_at": maintenant}
            for oid, d in zip(outbox_ids, lignes, strict=True)
        ],
    )  # fmt: skip
    outbox.note_pending(outbox_ids)
    demandes = []
    for ligne in lignes:
        demande = Demande(motif_radiation=None, date_radiation=None, efface_le=None, **ligne)
        make_transient_to_detached(demande)
        db.session.add(demande)
        demandes.append(demande)
    return demandes


def creer_valide(resultats: Sequence[Resultat], actor: Actor, details: dict[str, Any] | None = None) -> list[Demande]:
    """Insert already-validated payloads in the current transaction (no commit); numbers generated when absent."""
    for resultat in resultats:
        _ensure_can_create((resultat.donnees or {})["organisme_enregistreur"], actor)
    sans_numero = [r for r in resultats if not (r.donnees or {}).get("numero_unique")]
    generes = iter(nouveaux_numeros(len(sans_numero)) if sans_numero else ())
    numeros = [(r.donnees or {}).get("numero_unique") or next(generes) for r in resultats]
    return _inserer(resultats, numeros, actor, details or {"source": "api"})


def create(payload: Any, actor: Actor | None = None, *, source: str = "api") -> Demande:
    """Validate and store a new demande (active, or brouillon with `"brouillon": true`)."""
    actor = actor or current_actor()
    resultat = valider(payload)
    numero = (resultat.donnees or {}).get("numero_unique")
    if numero and db.session.scalar(select(func.count()).where(Demande.numero_unique == numero)):
        raise NumeroExistant(f"Une demande porte déjà le numéro unique {numero}")
    try:
        [demande] = creer_valide([resultat], actor, {"source": source})
    except IntegrityError as error:  # taken meanwhile by a concurrent writer
        db.session.rollback()
        if "numero_unique" in str(error.orig):
            raise NumeroExistant() from error
        raise
    _commit()
    return demande


def create_many(payloads: Sequence[Any], actor: Actor | None = None, *, source: str = "api") -> list[Demande]:
    """Validate every payload, then insert them all in one transaction (demo seeding, factories)."""
    actor = actor or current_actor()
    resultats = valider_lot(payloads)
    erreurs = [
        {**e, "champ": f"{i}.{e['champ']}" if e["champ"] else str(i)}
        for i, r in enumerate(resultats)
        for e in r.erreurs
    ]
    if erreurs:
        raise DonneesInvalides(erreurs=erreurs)
    try:
        demandes = creer_valide(resultats, actor, {"source": source})
    except IntegrityError as error:  # a numero_unique already used (raised by the insert, not the commit)
        db.session.rollback()
        if "numero_unique" in str(error.orig):
            raise NumeroExistant() from error
        raise
    _commit()
    return demandes


# --- modification -------------------------------------------------------------------------------------------------


def patch(numero: str, changes: Any, if_match: int | str | None, actor: Actor | None = None) -> Demande:
    """JSON merge patch of the payload, re-validated whole; `if_match` (the revision read) is required."""
    actor = actor or current_actor()
    if not isinstance(changes, Mapping):
        raise DonneesInvalides(erreurs=[{"champ": None, "message": "Objet JSON attendu (JSON merge patch)"}])
    try:
        demande = _lock(numero, actor)
        _check_revision(demande, if_match, required=True)
        ensure_can_write(demande, actor)
        lifecycle.verifier_modification(demande.etat)
        erreurs = [
            {"champ": key, "message": "Champ non modifiable par une modification (cycle de vie de la demande)"}
            for key in IMMUABLES_PATCH
            if key in changes and changes[key] != demande.donnees.get(key)
        ]
        if "brouillon" in changes:
            erreurs.append(
                {"champ": "brouillon", "message": "Utilisez POST /demandes/{numero}/enregistrement pour enregistrer"}
            )
        merged = merge_patch(demande.donnees, {k: v for k, v in changes.items() if k != "brouillon"})
        resultat = valider_lot([merged])[0]
        if erreurs or not resultat.valide:
            raise DonneesInvalides(erreurs=erreurs + resultat.erreurs)
        nouvelles = dict(resultat.donnees or {})
        champs = changed_paths(demande.donnees, nouvelles)
        if champs:
            _apply(demande, nouvelles)
            _bump(demande)
            _event(demande, "modification", actor, {"champs": champs})
            _record_change(demande)
        _commit()
    except Exception:
        db.session.rollback()
        raise
    return demande


def remplacer_valide(demande: Demande, resultat: Resultat, actor: Actor, details: dict[str, Any]) -> list[str]:
    """Replace the payload of an existing demande (import); returns the changed paths ([] = unchanged)."""
    nouvelles = dict(resultat.donnees or {})
    champs = changed_paths(demande.donnees, nouvelles)
    if not champs:
        return []
    lifecycle.verifier_modification(demande.etat)
    _apply(demande, nouvelles)
    _bump(demande)
    _event(demande, "modification", actor, {**details, "champs": champs})
    _record_change(demande)
    return champs


# --- lifecycle ----------------------------------------------------------------------------------------------------


def _transition(numero: str, if_match: int | str | None, actor: Actor | None, step) -> Demande:
    actor = actor or current_actor()
    try:
        demande = _lock(numero, actor)
        _check_revision(demande, if_match, required=False)
        ensure_can_write(demande, actor)
        step(demande, actor)
        _commit()
    except Exception:
        db.session.rollback()
        raise
    return demande


def enregistrer(
    numero: str, *, commentaire: str | None = None, if_match: int | str | None = None, actor: Actor | None = None
) -> Demande:
    """A brouillon becomes an active demande, visible to every landlord of the département."""

    def step(demande: Demande, actor: Actor) -> None:
        lifecycle.verifier_enregistrement(demande.etat)
        demande.etat = lifecycle.ACTIVE
        _bump(demande)
        _event(demande, "enregistrement", actor, {"etat": demande.etat}, commentaire)
        _record_change(demande)

    return _transition(numero, if_match, actor, step)


def renouveler(
    numero: str,
    *,
    le: date | None = None,
    commentaire: str | None = None,
    if_match: int | str | None = None,
    actor: Actor | None = None,
) -> Demande:
    """Renewal: validity restarts from `le` (today by default); number and seniority (date_depot) are kept."""
    le = le or lifecycle.aujourdhui()

    def step(demande: Demande, actor: Actor) -> None:
        derniere = demande.date_renouvellement or demande.date_depot
        lifecycle.verifier_renouvellement(demande.etat, le, derniere)
        ancienne_fin = demande.date_fin_validite
        _apply(demande, {**demande.donnees, "date_renouvellement": le.isoformat()})
        _bump(demande)
        details = {
            "champs": ["date_renouvellement"],
            "date_renouvellement": le.isoformat(),
            "ancienne_date_fin_validite": ancienne_fin.isoformat() if ancienne_fin else None,
            "date_fin_validite": demande.date_fin_validite.isoformat() if demande.date_fin_validite else None,
        }
        _event(demande, "renouvellement", actor, details, commentaire)
        _record_change(demande)

    return _transition(numero, if_match, actor, step)


def _radier(demande: Demande, actor: Actor, motif: str, le: date, commentaire: str | None) -> None:
    lifecycle.verifier_radiation(demande.etat, le, demande.date_depot)
    demande.etat = lifecycle.etat_apres_radiation(motif)
    demande.motif_radiation = motif
    demande.date_radiation = le
    _bump(demande)
    _event(
        demande,
        "radiation",
        actor,
        {"motif": motif, "date_radiation": le.isoformat(), "etat": demande.etat},
        commentaire,
    )
    _record_change(demande)


def radier(
    numero: str,
    *,
    motif: str,
    le: date | None = None,
    commentaire: str | None = None,
    if_match: int | str | None = None,
    actor: Actor | None = None,
) -> Demande:
    """Radiation for `motif` (attribution: the demande becomes satisfaite)."""
    if motif not in lifecycle.MOTIFS_RADIATION:
        raise DonneesInvalides(erreurs=[{"champ": "motif", "message": f"Motif de radiation inconnu : {motif}"}])
    le = le or lifecycle.aujourdhui()
    return _transition(numero, if_match, actor, lambda d, a: _radier(d, a, motif, le, commentaire))


def reactiver(
    numero: str,
    *,
    commentaire: str | None = None,
    if_match: int | str | None = None,
    actor: Actor | None = None,
    le: date | None = None,
) -> Demande:
    """Undo a non_renouvellement radiation within the window: active again, renewed today, seniority kept."""
    le = le or lifecycle.aujourdhui()

    def step(demande: Demande, actor: Actor) -> None:
        lifecycle.verifier_reactivation(demande, le)
        details = {
            "champs": ["date_renouvellement"],
            "motif_radiation_annule": demande.motif_radiation,
            "date_radiation_annulee": demande.date_radiation.isoformat() if demande.date_radiation else None,
        }
        demande.etat = lifecycle.ACTIVE
        demande.motif_radiation = None
        demande.date_radiation = None
        _apply(demande, {**demande.donnees, "date_renouvellement": le.isoformat()})
        _bump(demande)
        details["date_fin_validite"] = demande.date_fin_validite.isoformat() if demande.date_fin_validite else None
        _event(demande, "reactivation", actor, details, commentaire)
        _record_change(demande)

    return _transition(numero, if_match, actor, step)


def a_radier_non_renouvelees(on: date, limit: int) -> list[Demande]:
    """Active demandes whose anniversary + delay is reached at `on` (locked, skipping rows other writers hold)."""
    mois = lifecycle.durees().delai_radiation_mois
    stmt = (
        select(Demande)
        .where(
            Demande.etat == lifecycle.ACTIVE,
            Demande.date_fin_validite.is_not(None),
            Demande.date_fin_validite + text(f"make_interval(months => {int(mois)})") <= on,
        )
        .order_by(Demande.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(db.session.scalars(stmt))


def radier_non_renouvelees(on: date | None = None, batch_size: int = 500, progress=None) -> int:
    """Nightly job: radiate (motif non_renouvellement) every active demande not renewed in time; returns the count.

    The radiation date is the due date (anniversary + 1 month), even when the job catches up late.
    """
    on = on or lifecycle.aujourdhui()
    actor = current_actor()
    total = 0
    while True:
        demandes = a_radier_non_renouvelees(on, batch_size)
        if not demandes:
            break
        for demande in demandes:
            due = lifecycle.date_radiation_non_renouvellement(demande.date_fin_validite)
            _radier(
                demande,
                actor,
                lifecycle.NON_RENOUVELLEMENT,
                min(due, on),
                "Radiation automatique : demande non renouvelée",
            )
        db.session.commit()
        total += len(demandes)
        if progress:
            progress(len(demandes))
    return total
