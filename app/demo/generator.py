"""Realistic demo demandes of Haute-Garonne (factory-boy + Faker fr_FR), seeded through the service layer.

What is modelled, with the sources of domain.md §9 where there are some:
* first-choice commune: 73 % Toulouse Métropole (communes weighted by population, so mostly Toulouse), 8 % Sicoval,
  7 % Le Muretain Agglo, the rest elsewhere in the département (weighted by population) — taken from the
  referential in the database;
* household sizes of social-housing applicants (many single persons, single-parent families);
* incomes spread around the ceilings of `matching/plafonds.py`: about two thirds under the PLAI ceiling, most of
  the rest under PLUS, a few above;
* priority publics for about 30 % of the households, DALO for about 3 %;
* filing dates spread over six years, renewed every year so they stay active; wishes consistent with the size
  of the household (typologies, number of communes).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import factory
import factory.random
from faker import Faker
from sqlalchemy import select

from app.demandes.lifecycle import aujourdhui
from app.extensions import db
from app.referentiel.models import Commune
from matching.codes import MOTIFS
from matching.dates import add_months
from matching.menage import categorie_menage
from matching.plafonds import plafond

EPCI_TOULOUSE_METROPOLE = "243100518"
EPCI_SICOVAL = "243100633"
EPCI_MURETAIN = "200068641"
PARTS_TERRITOIRE = ((EPCI_TOULOUSE_METROPOLE, 0.73), (EPCI_SICOVAL, 0.08), (EPCI_MURETAIN, 0.07), (None, 0.12))
ORGANISMES = (
    ("GUICHET-TLSE", 0.35),
    ("HABITAT31", 0.20),
    ("TOULOUSE-METROPOLE-HABITAT", 0.15),
    ("PATRIMOINE-SA", 0.10),
    ("ACTION-LOGEMENT-OCC", 0.08),
    ("CCAS-MURET", 0.06),
    ("SICOVAL-GUICHET", 0.06),
)
TAILLES_MENAGE = ((1, 0.42), (2, 0.22), (3, 0.15), (4, 0.11), (5, 0.06), (6, 0.03), (7, 0.01))
TYPOLOGIES_PAR_TAILLE = {
    1: ("T1", "T2"),
    2: ("T2", "T3"),
    3: ("T3",),
    4: ("T3", "T4"),
    5: ("T4", "T5"),
    6: ("T5", "T6"),
    7: ("T6",),
}
ANNEE_BAREME = 2026

_fake = Faker("fr_FR")


def _rng() -> random.Random:
    return factory.random.randgen


def _pondere(choix: Sequence[tuple[Any, float]]) -> Any:
    valeurs, poids = zip(*choix, strict=True)
    return _rng().choices(valeurs, weights=poids, k=1)[0]


@dataclass
class Territoire:
    """Communes of the département by zone, with their population as weight (read once from the referential)."""

    par_zone: dict[str | None, tuple[list[str], list[int]]] = field(default_factory=dict)
    epci_de: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def charger(cls, departement: str = "31") -> Territoire:
        rows = db.session.execute(
            select(Commune.code, Commune.epci_code, Commune.population).where(Commune.departement_code == departement)
        ).all()
        if not rows:
            raise RuntimeError("référentiel vide : lancez `flask --app app referentiel charger`")
        territoire = cls()
        zones = {z for z, _ in PARTS_TERRITOIRE if z}
        for code, epci, population in rows:
            zone = epci if epci in zones else None
            codes, poids = territoire.par_zone.setdefault(zone, ([], []))
            codes.append(code)
            poids.append(max(int(population or 0), 50))
            territoire.epci_de[code] = epci
        return territoire

    def commune(self, zone: str | None) -> str:
        codes, poids = self.par_zone.get(zone) or self.par_zone[None]
        return _rng().choices(codes, weights=poids, k=1)[0]

    def voisines(self, premiere: str, n: int) -> list[str]:
        epci = self.epci_de.get(premiere)
        zone = epci if epci in self.par_zone else None
        codes, poids = self.par_zone[zone]
        choisies: list[str] = []
        for _ in range(n * 3):
            if len(choisies) >= n:
                break
            code = _rng().choices(codes, weights=poids, k=1)[0]
            if code != premiere and code not in choisies:
                choisies.append(code)
        return choisies


_territoire: Territoire | None = None


def territoire() -> Territoire:
    global _territoire
    if _territoire is None:
        _territoire = Territoire.charger()
    return _territoire


def _date_naissance(age_min: int, age_max: int, on: date) -> str:
    age_jours = _rng().randint(age_min * 365, age_max * 365 + 364)
    return (on - timedelta(days=age_jours)).isoformat()


def _personne(age_min: int, age_max: int, on: date, nom: str | None = None) -> dict[str, Any]:
    return {
        "nom": nom or _fake.last_name(),
        "prenom": _fake.first_name(),
        "date_naissance": _date_naissance(age_min, age_max, on),
    }


@dataclass
class Menage:
    """The drawn household, before it is written as a payload."""

    taille: int
    couple: bool
    co_demandeurs: list[dict[str, Any]]
    personnes_a_charge: int
    situation_familiale: str
    demandeur: dict[str, Any]
    date_depot: date


def tirer_menage(on: date | None = None) -> Menage:
    on = on or aujourdhui()
    rng = _rng()
    taille = _pondere(TAILLES_MENAGE)
    date_depot = on - timedelta(days=rng.randint(0, 6 * 365))
    if taille == 1:
        couple = False
    elif taille == 2:
        couple = rng.random() < 0.45
    else:
        couple = rng.random() < 0.6
    demandeur = _personne(19, 62, on) if taille > 1 else _personne(18, 85, on)
    co: list[dict[str, Any]] = []
    if couple:
        lien = _pondere((("conjoint", 0.4), ("pacs", 0.2), ("concubin", 0.4)))
        situation = {"conjoint": "marie", "pacs": "pacse", "concubin": "concubinage"}[lien]
        conjoint = _personne(19, 62, on, nom=demandeur["nom"] if lien == "conjoint" else None)
        co.append({**conjoint, "lien": lien})
    else:
        situation = _pondere((("celibataire", 0.5), ("divorce", 0.25), ("separe", 0.2), ("veuf", 0.05)))
        if taille > 2 and rng.random() < 0.08:  # an adult child or parent also signs the demande
            co.append({**_personne(18, 25, on, nom=demandeur["nom"]), "lien": "descendant"})
    return Menage(
        taille=taille,
        couple=couple,
        co_demandeurs=co,
        personnes_a_charge=taille - 1 - len(co),
        situation_familiale=situation,
        demandeur=demandeur,
        date_depot=date_depot,
    )


def _ressources(payload: dict[str, Any], on: date) -> dict[str, Any]:
    cat = categorie_menage(payload, on)
    plai = plafond("PLAI", cat.categorie, cat.personnes_supplementaires, ANNEE_BAREME)
    plus = plafond("PLUS", cat.categorie, cat.personnes_supplementaires, ANNEE_BAREME)
    tirage = _rng().random()
    if tirage < 0.68:
        rfr = _rng().uniform(0.05, 1.0) * plai
    elif tirage < 0.93:
        rfr = _rng().uniform(plai, plus)
    else:
        rfr = _rng().uniform(plus, plus * 1.3)
    rfr = int(round(rfr, -1))
    return {
        "revenu_fiscal_reference": rfr,
        "annee_revenu": on.year - 2,
        "ressources_mensuelles": int(rfr / 12 * _rng().uniform(0.9, 1.25)),
    }


_PRIORITES_FREQUENTES = (
    ("sans_logement", 0.22),
    ("mal_loge", 0.22),
    ("heberge_structure", 0.15),
    ("handicap", 0.12),
    ("violences", 0.08),
    ("menace_expulsion", 0.07),
    ("habitat_indigne", 0.05),
    ("suroccupation_enfant", 0.04),
    ("sortie_ase", 0.03),
    ("reprise_activite", 0.02),
)
_LOGEMENT_PAR_PRIORITE = {
    "sans_logement": "sans_logement",
    "heberge_structure": "structure_hebergement",
    "menace_expulsion": "locataire_prive",
    "habitat_indigne": "locataire_prive",
}
_MOTIFS_FREQUENTS = (
    ("logement_trop_cher", 0.22),
    ("logement_trop_petit", 0.2),
    ("heberge", 0.12),
    ("divorce_separation", 0.08),
    ("decohabitation", 0.08),
    ("raisons_sante", 0.05),
    ("rapprochement_travail", 0.06),
    ("logement_insalubre", 0.04),
    ("rapprochement_famille", 0.05),
    ("sans_logement", 0.05),
    ("autre", 0.05),
)


def _situation(menage: Menage) -> dict[str, Any]:
    rng = _rng()
    priorites: list[str] = []
    if rng.random() < 0.30:
        priorites.append(_pondere(_PRIORITES_FREQUENTES))
        if rng.random() < 0.2:
            autre = _pondere(_PRIORITES_FREQUENTES)
            if autre not in priorites:
                priorites.append(autre)
    logement = _pondere(
        (
            ("locataire_prive", 0.40),
            ("heberge_famille", 0.2),
            ("locataire_hlm", 0.18),
            ("heberge_tiers", 0.08),
            ("logement_temporaire", 0.05),
            ("structure_hebergement", 0.04),
            ("sans_logement", 0.02),
            ("proprietaire", 0.01),
            ("autre", 0.02),
        )
    )
    for code in priorites:
        logement = _LOGEMENT_PAR_PRIORITE.get(code, logement)
    motifs = list(dict.fromkeys(_pondere(_MOTIFS_FREQUENTS) for _ in range(rng.randint(1, 3))))
    assert all(m in MOTIFS for m in motifs)
    handicap = 1 if "handicap" in priorites or rng.random() < 0.04 else 0
    dalo = bool(priorites) and rng.random() < 0.10
    situation: dict[str, Any] = {
        "logement_actuel": logement,
        "motifs": motifs,
        "priorites": priorites,
        "dalo": dalo,
        "personnes_handicapees": handicap,
        "besoin_logement_adapte": bool(handicap and rng.random() < 0.6),
        "salarie_secteur_prive": rng.random() < 0.38,
        "agent_etat": rng.random() < 0.05,
    }
    if dalo:
        debut = max(menage.date_depot, aujourdhui() - timedelta(days=700))
        situation["date_decision_dalo"] = (debut + timedelta(days=rng.randint(90, 400))).isoformat()
        if situation["date_decision_dalo"] > aujourdhui().isoformat():
            situation["date_decision_dalo"] = aujourdhui().isoformat()
    if situation["salarie_secteur_prive"] and rng.random() < 0.5:
        situation["collecteur"] = "action_logement"
    return situation


def _souhaits(menage: Menage) -> dict[str, Any]:
    rng = _rng()
    terr = territoire()
    premiere = terr.commune(_pondere(PARTS_TERRITOIRE))
    communes = [premiere, *terr.voisines(premiere, rng.choice((0, 0, 1, 2, 3, 4)))]
    occupants = menage.taille
    typologies = list(TYPOLOGIES_PAR_TAILLE[min(occupants, 7)])
    if occupants == 1 and rng.random() < 0.03:
        typologies = ["chambre", "T1"]
    souhaits: dict[str, Any] = {
        "communes": communes,
        "elargissement": rng.random() < 0.5,
        "typologies": typologies,
        "type_bien": _pondere((("indifferent", 0.6), ("appartement", 0.3), ("maison", 0.1))),
        "rdc_accepte": rng.random() < 0.85,
        "sans_ascenseur_accepte": rng.random() < 0.7,
        "parking": rng.random() < 0.35,
    }
    epci = terr.epci_de.get(premiere)
    if epci and rng.random() < 0.2:
        souhaits["secteurs"] = [epci]
    if rng.random() < 0.3:
        souhaits["loyer_max"] = int(rng.choice((350, 400, 450, 500, 550, 600, 700)) + 50 * (occupants - 1))
    return souhaits


def _renouvellement(menage: Menage, on: date) -> str | None:
    """Yearly renewals: the last anniversary before `on` (most applicants renew to stay active)."""
    annees = (on - menage.date_depot).days // 365
    if annees < 1:
        return None
    dernier = add_months(menage.date_depot, 12 * annees)
    dernier -= timedelta(days=_rng().randint(0, 25))  # renewed a few days before the anniversary
    return max(dernier, menage.date_depot).isoformat() if dernier <= on else None


def _payload(o: Any) -> dict[str, Any]:
    menage: Menage = o.menage
    on = aujourdhui()
    payload: dict[str, Any] = {
        "date_depot": menage.date_depot.isoformat(),
        "organisme_enregistreur": o.organisme_enregistreur,
        "demandeur": menage.demandeur,
        "co_demandeurs": menage.co_demandeurs,
        "situation_familiale": menage.situation_familiale,
        "personnes_a_charge": menage.personnes_a_charge,
        "enfants_droit_visite": 1 if not menage.couple and menage.taille == 1 and _rng().random() < 0.05 else 0,
        "naissances_attendues": 1 if menage.couple and _rng().random() < 0.05 else 0,
    }
    renouvellement = _renouvellement(menage, on)
    if renouvellement:
        payload["date_renouvellement"] = renouvellement
    payload.update(_situation(menage))
    payload.update(_ressources(payload, on))
    payload["souhaits"] = _souhaits(menage)
    payload["caution"] = _pondere((("aucune", 0.5), ("visale", 0.3), ("fsl", 0.1), ("autre", 0.1)))
    return payload


class DemandePayloadFactory(factory.DictFactory):
    """A payload of the API contract: `DemandePayloadFactory()` → dict ready for `service.create`."""

    class Params:
        menage = factory.LazyFunction(tirer_menage)
        organisme_enregistreur = factory.LazyFunction(lambda: _pondere(ORGANISMES))

    contenu = factory.LazyAttribute(_payload)

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return dict(kwargs["contenu"])

    _build = _create


def payloads(n: int) -> list[dict[str, Any]]:
    return [DemandePayloadFactory() for _ in range(n)]


def generer(
    n: int, batch_size: int = 500, seed: int | None = None, progress: Callable[[int], None] | None = None
) -> int:
    """Seed `n` demandes through `service.create_many`, one transaction per batch."""
    from app.demandes import service

    if seed is not None:
        factory.random.reseed_random(seed)
        _fake.seed_instance(seed)
    done = 0
    while done < n:
        lot = min(batch_size, n - done)
        service.create_many(payloads(lot), source="demo")
        db.session.expunge_all()
        done += lot
        if progress:
            progress(lot)
    return done
