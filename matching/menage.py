"""Household size and category (catégorie de ménage) for resource ceilings and occupation.

Two counts, on purpose:

* `nb_personnes` (ceilings): demandeur + co-demandeurs + personnes_a_charge. Children on visiting rights
  (enfants_droit_visite) are excluded by the ceilings rule (domain §4), and expected births are not counted
  either (the contract keeps them apart; count them in `personnes_a_charge` if the file does).
* `nb_personnes_occupation` (typology and surface): nb_personnes + enfants_droit_visite
  + naissances_attendues.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matching.config import parametres
from matching.dates import age_on
from matching.demande import Demande, entier, personnes

CATEGORIE_MAX = 6


@dataclass(frozen=True)
class CategorieMenage:
    """Ceiling category 1..6; beyond six persons, category 6 plus `personnes_supplementaires` increments."""

    categorie: int
    personnes_supplementaires: int = 0
    motif: str = ""

    @property
    def rang(self) -> int:
        """Category as a single number (6 + increments), handy for comparisons."""
        return self.categorie + self.personnes_supplementaires

    def libelle(self) -> str:
        texte = f"catégorie {self.categorie}"
        if self.personnes_supplementaires:
            texte += f" + {self.personnes_supplementaires} personne(s) supplémentaire(s)"
        return texte


def nb_personnes(demande: Demande) -> int:
    """Persons counted for resource ceilings: demandeur + co-demandeurs + personnes_a_charge."""
    return 1 + len(demande.get("co_demandeurs") or []) + entier(demande, "personnes_a_charge")


def nb_personnes_occupation(demande: Demande) -> int:
    """Persons counted for occupation (typology, surface): also visiting-rights children, expected births."""
    extra = entier(demande, "enfants_droit_visite") + entier(demande, "naissances_attendues")
    return nb_personnes(demande) + extra


# OECD-modified equivalence scale (échelle de l'OCDE modifiée), in tenths of a unit (exact arithmetic), as used for
# the first-quartile rule (domain §7).
UC_DIXIEMES_DEMANDEUR = 10
UC_DIXIEMES_CO_DEMANDEUR = 5
UC_DIXIEMES_PERSONNE_A_CHARGE = 3


def unites_consommation(demande: Demande) -> float:
    """Consumption units (UC) of the household on the OECD-modified scale: 1 for the demandeur, 0.5 per
    co-demandeur, 0.3 per dependant (personnes_a_charge).

    Approximation: the scale gives 0.5 to a dependant aged 14 or more and 0.3 to a younger one, but the record
    keeps only the number of dependants, not their ages; every dependant counts 0.3 (which slightly overstates
    resources per UC of households with teenagers or adult dependants). Co-demandeurs are adults (0.5).
    """
    co = len(demande.get("co_demandeurs") or [])
    a_charge = entier(demande, "personnes_a_charge")
    dixiemes = UC_DIXIEMES_DEMANDEUR + UC_DIXIEMES_CO_DEMANDEUR * co + UC_DIXIEMES_PERSONNE_A_CHARGE * a_charge
    return dixiemes / 10


def ressources_par_uc(demande: Demande) -> float | None:
    """Yearly resources per consumption unit: revenu_fiscal_reference / UC (None when the RFR is not known)."""
    rfr = demande.get("revenu_fiscal_reference")
    if rfr is None:
        return None
    return float(rfr) / unites_consommation(demande)


def est_couple(demande: Demande) -> bool:
    """Demandeur plus exactly one co-demandeur who is spouse, PACS partner or concubin."""
    co = demande.get("co_demandeurs") or []
    liens = parametres()["jeune_menage"]["liens_couple"]
    return len(co) == 1 and co[0].get("lien") in liens


def jeune_menage(demande: Demande, on: date) -> bool:
    """Couple without dependant whose ages add up to at most 55 at `on` (unknown birth date: not jeune)."""
    if not est_couple(demande) or entier(demande, "personnes_a_charge") > 0:
        return False
    ages = [age_on(p.get("date_naissance"), on) for p in personnes(demande)]
    if any(age is None for age in ages):
        return False
    return sum(a for a in ages if a is not None) <= parametres()["jeune_menage"]["somme_ages_max"]


def categorie_menage(demande: Demande, on: date) -> CategorieMenage:
    """Category of domain.md §4; when several lines apply, the highest category wins.

    Lines, expressed as a rank (6 + increments beyond six):
    * n persons -> n;
    * one person alone + k dependants (k >= 1) -> k + 2;
    * a household including a disabled person (personnes_handicapees > 0) counts one person more -> n + 1;
    * jeune ménage (couple, no dependant) -> 3.
    """
    n = nb_personnes(demande)
    candidats: list[tuple[int, str]] = [(n, f"{n} personne(s)")]
    a_charge = entier(demande, "personnes_a_charge")
    if not demande.get("co_demandeurs") and a_charge >= 1:
        candidats.append((a_charge + 2, f"une personne et {a_charge} personne(s) à charge"))
    if entier(demande, "personnes_handicapees") > 0:
        candidats.append((n + 1, f"{n} personne(s) dont une en situation de handicap"))
    if jeune_menage(demande, on):
        candidats.append((3, "jeune ménage sans personne à charge"))
    rang, motif = max(candidats, key=lambda item: item[0])
    return CategorieMenage(
        categorie=min(rang, CATEGORIE_MAX),
        personnes_supplementaires=max(rang - CATEGORIE_MAX, 0),
        motif=motif,
    )
