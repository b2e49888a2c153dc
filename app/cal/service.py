"""CAL workflow: open a list for a logement, record the commission's decisions, the proposition, the household's
answer and the bail. Every step is an event of the demande's history (`DemandeEvenement`, counted by the
statistics) and each step commits once, so the states of the list, the logement and the demande move together.

Rules (domain §2 and §6):
* at least three candidates, unless `motif` is insuffisance_candidats or dalo_designe_prefet (CCH R441-3);
* every candidate must still be eligible when the list is opened (409 naming the ones that are not);
* decisions: attribution, attribution_classement (rank), attribution_sous_condition (missing document and
  deadline), non_attribution (reason), irrecevabilite (reason);
* a proposition follows a positive decision and leaves at least 10 days to answer (CCH R441-10);
* `sans_reponse` is recorded only once the deadline has passed (it counts as a refusal);
* the bail (after an accepted proposition) radiates the demande for attribution and marks the logement attribue.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.auth.context import Actor, current_actor
from app.cal.models import CLOSE, OUVERTE, CandidatCal, ListeCal
from app.demandes.models import Demande, DemandeEvenement
from app.extensions import db
from app.logements import service as logements
from app.logements.errors import Conflit, DonneesInvalides, Introuvable, RevisionPerimee
from app.logements.http import etag
from app.logements.models import ATTRIBUE, EN_ATTRIBUTION, VACANT, Logement
from app.rapprochement.service import aujourdhui
from app.referentiel.service import referentiel
from indexing.source import as_document_source
from matching.menage import categorie_menage, ressources_par_uc
from matching.options import MatchingOptions
from matching.ranking import groupe_priorite, libelle_groupe
from matching.rules import evaluate

MINIMUM_CANDIDATS = 3
MOTIFS_MOINS_DE_TROIS: tuple[str, ...] = ("insuffisance_candidats", "dalo_designe_prefet")
DECISIONS: tuple[str, ...] = (
    "attribution",
    "attribution_classement",
    "attribution_sous_condition",
    "non_attribution",
    "irrecevabilite",
)
DECISIONS_POSITIVES = frozenset({"attribution", "attribution_classement", "attribution_sous_condition"})
REPONSES: tuple[str, ...] = ("acceptee", "refusee", "sans_reponse")
DELAI_REPONSE_MIN_JOURS = 10


class CandidatNonEligible(Conflit):
    code = "candidat_non_eligible"
    default_message = "Un ou plusieurs candidats ne sont plus éligibles à ce logement"


class EtapeImpossible(Conflit):
    code = "transition_impossible"
    default_message = "Étape impossible dans l'état actuel de la liste"


# --- helpers ----------------------------------------------------------------------------------------------------


def evenement(demande: Demande, type_: str, actor: Actor, details: dict[str, Any]) -> None:
    db.session.add(
        DemandeEvenement(
            demande_id=demande.id,
            type=type_,
            revision=demande.revision,
            auteur=actor.login,
            organisation=actor.organisation,
            details=details,
        )
    )


def _demande_dict(row: Demande) -> dict[str, Any]:
    return as_document_source(row)


def _instantane(demande: dict[str, Any], logement: Logement, on: date) -> dict[str, Any]:
    """What the CAL sees of the candidate at inscription (kept for the fiche CAL even if the demande changes)."""
    eligibility = evaluate(demande, logement.matching_dict(), referentiel(), MatchingOptions(on=on))
    cat = categorie_menage(demande, on)
    groupe = groupe_priorite(demande)
    return {
        "groupe_priorite": groupe,
        "groupe_libelle": libelle_groupe(groupe),
        "categorie_menage": cat.libelle(),
        "regles": [
            {"code": r.code, "libelle": r.libelle, "ok": r.ok, "explication": r.explication}
            for r in eligibility.resultats
        ],
        "calcule_le": on.isoformat(),
    }


def obtenir_liste(liste_id: int, pour_ecriture: bool = False) -> ListeCal:
    liste = db.session.get(ListeCal, liste_id, with_for_update=pour_ecriture or None)
    if liste is None:
        raise Introuvable(f"Liste CAL {liste_id} introuvable")
    if pour_ecriture:
        logements.obtenir_pour_ecriture(liste.logement_id)  # row-level rule: the logement's bailleur only
    else:
        logements.obtenir_pour_lecture(liste.logement_id)  # its bailleur, the contingent's réservataire, gestionnaire
    return liste


def _candidat(liste: ListeCal, numero: str) -> CandidatCal:
    for candidat in liste.candidats:
        if candidat.numero_unique == numero:
            return candidat
    raise Introuvable(f"La demande {numero} n'est pas sur la liste CAL {liste.id}")


def _candidat_a_traiter(liste_id: int, numero: str) -> tuple[Actor, ListeCal, CandidatCal]:
    """The start of every workflow step: the acting agent, the open list locked for writing, the candidate."""
    liste = obtenir_liste(liste_id, pour_ecriture=True)
    _ouverte(liste)
    return current_actor(), liste, _candidat(liste, numero)


def _demande_verrouillee(candidat: CandidatCal) -> Demande:
    return db.session.get(Demande, candidat.demande_id, with_for_update=True)


def _ouverte(liste: ListeCal) -> None:
    if liste.etat != OUVERTE:
        raise EtapeImpossible(f"La liste CAL {liste.id} est close")


def _details(liste: ListeCal, **extra: Any) -> dict[str, Any]:
    return {"liste_cal_id": liste.id, "logement_id": liste.logement_id, **extra}


# --- opening a list -----------------------------------------------------------------------------------------------


def doublons(numeros: list[str]) -> list[dict[str, str | None]]:
    return [
        {"champ": f"candidats.{i}", "message": f"Demande {n} en double dans la liste"}
        for i, n in enumerate(numeros)
        if n in numeros[:i]
    ]


def candidats_eligibles(numeros: list[str], logement: Logement, on: date) -> tuple[dict[str, Demande], dict]:
    """The demandes (locked) of `numeros`, each still eligible to the logement: 422 naming the unknown ones, 409
    naming the ones that fail a rule. Shared by the CAL list and the réservataires' designations."""
    rows = {
        d.numero_unique: d
        for d in db.session.scalars(select(Demande).where(Demande.numero_unique.in_(numeros)).with_for_update())
    }
    inconnues = [
        {"champ": f"candidats.{i}", "message": f"Demande {n} inconnue"} for i, n in enumerate(numeros) if n not in rows
    ]
    if inconnues:
        raise DonneesInvalides(None, inconnues)
    lgt = logement.matching_dict()
    ref = referentiel()
    dicts = {n: _demande_dict(rows[n]) for n in numeros}
    refus = []
    for i, numero in enumerate(numeros):
        eligibility = evaluate(dicts[numero], lgt, ref, MatchingOptions(on=on))
        for r in eligibility.exclusions:
            refus.append({"champ": f"candidats.{i}", "message": f"{numero} : {r.libelle} — {r.explication}"})
    if refus:
        raise CandidatNonEligible(
            f"Non éligible(s) : {', '.join(dict.fromkeys(e['message'].split(' : ')[0] for e in refus))}", refus
        )
    return rows, dicts


def creer_liste(logement_id: int, data: dict[str, Any]) -> ListeCal:
    actor = current_actor()
    numeros: list[str] = data["candidats"]
    motif: str | None = data.get("motif")
    erreurs = doublons(numeros)
    if len(numeros) < MINIMUM_CANDIDATS and motif is None:
        erreurs.append(
            {
                "champ": "motif",
                "message": f"Moins de {MINIMUM_CANDIDATS} candidats : motif obligatoire "
                f"({', '.join(MOTIFS_MOINS_DE_TROIS)})",
            }
        )
    if erreurs:
        raise DonneesInvalides(None, erreurs)

    logement = logements.obtenir_pour_ecriture(logement_id)
    if logement.etat != VACANT:
        raise EtapeImpossible(f"Le logement {logement.id} n'est pas vacant (état {logement.etat})")
    on = aujourdhui()
    rows, dicts = candidats_eligibles(numeros, logement, on)
    if motif == "dalo_designe_prefet" and not any(dicts[n].get("dalo") for n in numeros):
        raise DonneesInvalides.champ("motif", "Motif dalo_designe_prefet : aucun candidat n'est reconnu DALO")

    liste = ListeCal(
        logement_id=logement.id,
        date_commission=data["date_commission"],
        motif=motif,
        etat=OUVERTE,
        cree_par=actor.login,
        organisation=actor.organisation,
        revision=1,
    )
    for position, numero in enumerate(numeros, start=1):
        liste.candidats.append(
            CandidatCal(
                demande_id=rows[numero].id,
                numero_unique=numero,
                position=position,
                instantane=_instantane(dicts[numero], logement, on),
                decision_details={},
            )
        )
    db.session.add(liste)
    logement.etat = EN_ATTRIBUTION
    logement.revision += 1
    db.session.flush()
    for candidat in liste.candidats:
        evenement(
            rows[candidat.numero_unique],
            "cal_inscription",
            actor,
            _details(liste, position=candidat.position, date_commission=liste.date_commission.isoformat()),
        )
    db.session.commit()
    return liste


# --- order of presentation ---------------------------------------------------------------------------------------


def reordonner(liste_id: int, numeros: list[str], revision: int | None) -> ListeCal:
    """New order of presentation of the candidates: a permutation of the list, before the CAL has decided on any of
    them (once it has, the order is part of what it saw). `revision` is the one the agent read (None: any): a stale
    one is refused so that two agents reordering at once cannot silently undo each other."""
    actor = current_actor()
    liste = obtenir_liste(liste_id, pour_ecriture=True)
    _ouverte(liste)
    if revision is not None and revision != liste.revision:
        raise RevisionPerimee(
            "La liste CAL a été modifiée depuis sa lecture : rechargez-la puis recommencez",
            headers={"ETag": etag(liste.revision)},
        )
    decides = [c.numero_unique for c in liste.candidats if c.decision is not None]
    if decides:
        raise EtapeImpossible(
            f"La CAL a déjà statué sur {', '.join(decides)} : l'ordre de présentation ne peut plus changer"
        )
    presents = {c.numero_unique: c for c in liste.candidats}
    erreurs = [
        {"champ": f"candidats.{i}", "message": f"Demande {n} en double dans l'ordre"}
        for i, n in enumerate(numeros)
        if n in numeros[:i]
    ]
    erreurs += [
        {"champ": f"candidats.{i}", "message": f"La demande {n} n'est pas sur cette liste"}
        for i, n in enumerate(numeros)
        if n not in presents
    ]
    erreurs += [
        {"champ": "candidats", "message": f"La demande {n} de la liste manque dans l'ordre"}
        for n in presents
        if n not in numeros
    ]
    if erreurs:
        raise DonneesInvalides(None, erreurs)
    deplaces = []
    for position, numero in enumerate(numeros, start=1):
        candidat = presents[numero]
        if candidat.position != position:
            deplaces.append((candidat, candidat.position, position))
            candidat.position = position
    if not deplaces:
        return liste
    liste.revision += 1
    for candidat, avant, apres in deplaces:
        evenement(
            _demande_verrouillee(candidat),
            "cal_ordre",
            actor,
            _details(liste, ancienne_position=avant, position=apres),
        )
    db.session.commit()
    db.session.refresh(liste)  # the relationship is ordered by position at load time
    return liste


# --- decisions, proposition, answer, bail ---------------------------------------------------------------------------


def decider(liste_id: int, numero: str, data: dict[str, Any]) -> CandidatCal:
    actor, liste, candidat = _candidat_a_traiter(liste_id, numero)
    if candidat.decision is not None:
        raise EtapeImpossible(f"La CAL a déjà statué sur {numero} ({candidat.decision})")
    decision = data["decision"]
    details: dict[str, Any] = {}
    if decision == "attribution_classement":
        rang = data["rang"]
        pris = [c.numero_unique for c in liste.candidats if (c.decision_details or {}).get("rang") == rang]
        if pris:
            raise EtapeImpossible(f"Le rang {rang} est déjà attribué à {pris[0]}")
        details["rang"] = rang
    elif decision == "attribution_sous_condition":
        details["piece_manquante"] = data["piece_manquante"]
        details["date_limite"] = data["date_limite"].isoformat()
    elif decision in ("non_attribution", "irrecevabilite"):
        details["motif"] = data["motif"]
    if decision == "attribution" and any(c.decision == "attribution" for c in liste.candidats):
        raise EtapeImpossible("Le logement est déjà attribué à un autre candidat de la liste (sans classement)")
    candidat.decision = decision
    candidat.decision_details = details
    candidat.date_decision = data.get("date_decision") or liste.date_commission
    liste.revision += 1
    evenement(
        _demande_verrouillee(candidat),
        "cal_decision",
        actor,
        _details(liste, decision=decision, date_decision=candidat.date_decision.isoformat(), **details),
    )
    db.session.commit()
    return candidat


def proposer(liste_id: int, numero: str, data: dict[str, Any]) -> CandidatCal:
    actor, liste, candidat = _candidat_a_traiter(liste_id, numero)
    if candidat.decision not in DECISIONS_POSITIVES:
        raise EtapeImpossible(f"Pas de décision d'attribution de la CAL pour {numero} : proposition impossible")
    if candidat.date_proposition is not None:
        raise EtapeImpossible(f"Une proposition a déjà été faite à {numero}")
    en_cours = [
        c.numero_unique for c in liste.candidats if c.date_proposition is not None and c.reponse in (None, "acceptee")
    ]
    if en_cours:
        raise EtapeImpossible(f"Une proposition est en cours ou acceptée pour {en_cours[0]}")
    le: date = data.get("date_proposition") or aujourdhui()
    limite: date = data.get("date_limite_reponse") or le + timedelta(days=DELAI_REPONSE_MIN_JOURS)
    if limite < le + timedelta(days=DELAI_REPONSE_MIN_JOURS):
        raise DonneesInvalides.champ(
            "date_limite_reponse",
            f"Le demandeur doit disposer d'au moins {DELAI_REPONSE_MIN_JOURS} jours pour répondre "
            f"(au plus tôt le {(le + timedelta(days=DELAI_REPONSE_MIN_JOURS)).isoformat()})",
        )
    candidat.date_proposition, candidat.date_limite_reponse = le, limite
    liste.revision += 1
    evenement(
        _demande_verrouillee(candidat),
        "proposition",
        actor,
        _details(liste, date_proposition=le.isoformat(), date_limite_reponse=limite.isoformat()),
    )
    db.session.commit()
    return candidat


def repondre(liste_id: int, numero: str, data: dict[str, Any]) -> CandidatCal:
    actor, liste, candidat = _candidat_a_traiter(liste_id, numero)
    if candidat.date_proposition is None:
        raise EtapeImpossible(f"Aucune proposition faite à {numero}")
    if candidat.reponse is not None:
        raise EtapeImpossible(f"Réponse déjà enregistrée pour {numero} ({candidat.reponse})")
    reponse = data["reponse"]
    le: date = data.get("date_reponse") or aujourdhui()
    if le < candidat.date_proposition:
        raise DonneesInvalides.champ("date_reponse", "Date de réponse antérieure à la proposition")
    if reponse == "sans_reponse" and le <= candidat.date_limite_reponse:
        raise DonneesInvalides.champ(
            "reponse",
            f"Délai de réponse en cours jusqu'au {candidat.date_limite_reponse.isoformat()} : "
            "« sans_reponse » ne peut être enregistré qu'après",
        )
    candidat.reponse, candidat.date_reponse = reponse, le
    liste.revision += 1
    evenement(
        _demande_verrouillee(candidat),
        "reponse_proposition",
        actor,
        _details(liste, reponse=reponse, date_reponse=le.isoformat()),
    )
    db.session.commit()
    return candidat


def _radier_attribution(demande: Demande, actor: Actor, le: date) -> None:
    """Radiation for attribution through the demandes service, in the current transaction (no commit there)."""
    from app.demandes import service as demandes

    demandes._radier(demande, actor, "attribution", le, None)


def signer_bail(liste_id: int, numero: str, data: dict[str, Any]) -> CandidatCal:
    actor, liste, candidat = _candidat_a_traiter(liste_id, numero)
    if candidat.reponse != "acceptee":
        raise EtapeImpossible(f"La proposition n'a pas été acceptée par {numero} : bail impossible")
    signature: date = data["date_signature"]
    entree: date = data["date_entree"]
    if entree < signature:
        raise DonneesInvalides.champ("date_entree", "Date d'entrée dans les lieux antérieure à la signature")
    logement = db.session.get(Logement, liste.logement_id, with_for_update=True)
    demande = _demande_verrouillee(candidat)
    try:
        candidat.date_signature_bail, candidat.date_entree = signature, entree
        _radier_attribution(demande, actor, signature)
        evenement(
            demande,
            "bail_signe",
            actor,
            _details(
                liste,
                date_signature=signature.isoformat(),
                date_entree=entree.isoformat(),
                # The mixité statistic compares resources at attribution time; the record may change or be
                # erased afterwards (retention), so the figure is kept here.
                ressources_par_uc=ressources_par_uc(demande.donnees),
            ),
        )
        logement.etat = ATTRIBUE
        logement.revision += 1
        liste.etat = CLOSE
        liste.revision += 1
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return candidat


def listes_du_logement(logement_id: int) -> list[ListeCal]:
    logements.obtenir_pour_lecture(logement_id)
    return list(db.session.scalars(select(ListeCal).where(ListeCal.logement_id == logement_id).order_by(ListeCal.id)))
