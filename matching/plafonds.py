"""Resource ceilings (plafonds de ressources) by financing, year and household category, read from data.

The year in force is the year of the logement's availability; when the table has no such year, the latest
year before it applies and `Plafond.annee_appliquee` says so. Unknown values (null in the data, e.g. PLI for
three persons and more) raise `PlafondInconnu`: the rule reports it, no number is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from matching.config import load
from matching.format import euros


class PlafondInconnu(LookupError):
    """No known ceiling for this financing, year, zone or category. The message is in French."""


@dataclass(frozen=True)
class Plafond:
    montant: int
    financement: str
    financement_applique: str
    categorie: int
    personnes_supplementaires: int
    annee_demandee: int
    annee_appliquee: int
    zone: str | None = None

    def libelle(self) -> str:
        """French description, e.g. "plafond PLAI 2026 catégorie 3 : 22 551 €"."""
        nom = self.financement
        if self.financement_applique != self.financement:
            nom += f" (= {self.financement_applique})"
        texte = f"plafond {nom} {self.annee_appliquee}"
        if self.zone:
            texte += f" zone {self.zone}"
        texte += f" catégorie {self.categorie}"
        if self.personnes_supplementaires:
            texte += f" + {self.personnes_supplementaires} personne(s) supplémentaire(s)"
        texte += f" : {euros(self.montant)}"
        if self.annee_appliquee != self.annee_demandee:
            texte += f" (barème {self.annee_demandee} non connu, barème {self.annee_appliquee} appliqué)"
        return texte


def _bareme() -> dict[str, Any]:
    return load("plafonds")


def financement_applique(financement: str) -> str:
    """The table used for a financing code (PLA is the older name of PLUS)."""
    alias: dict[str, str] = _bareme()["alias"]
    return alias.get(financement, financement)


def zone_abc(commune: str | None) -> str:
    """ABC zone of a commune for PLI ceilings (data: zone A list, B1 by default)."""
    zonage = _bareme()["zonage_abc"]
    if commune is None:
        return zonage["defaut"]
    return zonage["communes"].get(commune, zonage["defaut"])


def annee_en_vigueur(financement: str, annee: int) -> int:
    """The latest year of the table that is <= `annee` (PlafondInconnu if none)."""
    table = _table(financement)
    connues = sorted(int(a) for a in table["annees"] if int(a) <= annee)
    if not connues:
        raise PlafondInconnu(f"aucun barème {financement} connu pour {annee} ou avant")
    return connues[-1]


def _table(financement: str) -> dict[str, Any]:
    code = financement_applique(financement)
    table = _bareme()["financements"].get(code)
    if table is None:
        raise PlafondInconnu(f"financement {financement} inconnu du barème")
    return table


def resoudre_plafond(
    financement: str,
    categorie: int,
    personnes_supplementaires: int,
    annee: int,
    commune: str | None = None,
) -> Plafond:
    """The ceiling with its provenance (applied financing table, year, zone)."""
    if not 1 <= categorie <= 6 or personnes_supplementaires < 0:
        raise ValueError(f"catégorie invalide : {categorie} + {personnes_supplementaires}")
    if personnes_supplementaires and categorie != 6:
        raise ValueError("des personnes supplémentaires ne s'ajoutent qu'à la catégorie 6")
    table = _table(financement)
    applique = annee_en_vigueur(financement, annee)
    valeurs = table["annees"][str(applique)]
    zone = None
    if table.get("par_zone"):
        zone = zone_abc(commune)
        valeurs = valeurs["zones"].get(zone)
        if valeurs is None:
            raise PlafondInconnu(f"plafond {financement} {applique} inconnu pour la zone {zone}")
    base = valeurs["categories"].get(str(categorie))
    increment = valeurs.get("par_personne_supplementaire") if personnes_supplementaires else 0
    if base is None or increment is None:
        ou = f" zone {zone}" if zone else ""
        raise PlafondInconnu(
            f"plafond {financement} {applique}{ou} catégorie {categorie} non connu (valeur non publiée)"
        )
    return Plafond(
        montant=int(base) + personnes_supplementaires * int(increment),
        financement=financement,
        financement_applique=financement_applique(financement),
        categorie=categorie,
        personnes_supplementaires=personnes_supplementaires,
        annee_demandee=annee,
        annee_appliquee=applique,
        zone=zone,
    )


def plafond(
    financement: str,
    categorie: int,
    personnes_supplementaires: int,
    annee: int,
    commune: str | None = None,
) -> int:
    """Annual RFR ceiling in euros (raises PlafondInconnu when the value is not known)."""
    return resoudre_plafond(financement, categorie, personnes_supplementaires, annee, commune).montant
