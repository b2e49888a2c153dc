"""The permission matrix: one place that says which role may do what (README "Rôles et droits").

Row-level rules (a guichet only writes the demandes its organisation registered, a bailleur only its own
logements, a réservataire only the logements of its contingent) are applied by the services on top of this.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    GESTIONNAIRE = "gestionnaire"
    AGENT_BAILLEUR = "agent_bailleur"
    RESERVATAIRE = "reservataire"
    GUICHET = "guichet"
    OBSERVATOIRE = "observatoire"


class Permission(StrEnum):
    REFERENTIEL_LIRE = "referentiel:lire"
    DEMANDES_LIRE = "demandes:lire"  # search and read named demandes
    DEMANDES_ECRIRE = "demandes:ecrire"  # create, modify, renew, radiate (own organisation's)
    DEMANDES_IMPORTER = "demandes:importer"
    DEMANDES_ACCES = "demandes:acces"  # who accessed a demande (applicant's right of access)
    LOGEMENTS_LIRE = "logements:lire"
    LOGEMENTS_ECRIRE = "logements:ecrire"
    CANDIDATS_LIRE = "candidats:lire"  # matching
    CAL_LIRE = "cal:lire"
    CAL_ECRIRE = "cal:ecrire"
    CAL_PROPOSER = "cal:proposer"  # a réservataire proposes candidates
    STATISTIQUES = "statistiques:lire"
    ADMINISTRATION = "administration"  # organisations, users, referentials, configuration, index lifecycle


_READ_ALL = {
    Permission.REFERENTIEL_LIRE,
    Permission.DEMANDES_LIRE,
    Permission.LOGEMENTS_LIRE,
    Permission.CANDIDATS_LIRE,
    Permission.CAL_LIRE,
    Permission.STATISTIQUES,
}

MATRIX: dict[Role, frozenset[Permission]] = {
    Role.GESTIONNAIRE: frozenset(_READ_ALL | {Permission.ADMINISTRATION, Permission.DEMANDES_ACCES}),
    Role.AGENT_BAILLEUR: frozenset(
        {
            Permission.REFERENTIEL_LIRE,
            Permission.DEMANDES_LIRE,
            Permission.LOGEMENTS_LIRE,
            Permission.LOGEMENTS_ECRIRE,
            Permission.CANDIDATS_LIRE,
            Permission.CAL_LIRE,
            Permission.CAL_ECRIRE,
            Permission.STATISTIQUES,
        }
    ),
    Role.RESERVATAIRE: frozenset(
        {
            Permission.REFERENTIEL_LIRE,
            Permission.LOGEMENTS_LIRE,
            Permission.CANDIDATS_LIRE,
            Permission.CAL_LIRE,
            Permission.CAL_PROPOSER,
            Permission.STATISTIQUES,
        }
    ),
    Role.GUICHET: frozenset(
        {
            Permission.REFERENTIEL_LIRE,
            Permission.DEMANDES_LIRE,
            Permission.DEMANDES_ECRIRE,
            Permission.DEMANDES_IMPORTER,
            Permission.STATISTIQUES,
        }
    ),
    Role.OBSERVATOIRE: frozenset({Permission.REFERENTIEL_LIRE, Permission.STATISTIQUES}),
}


def permissions_of(roles: set[str] | frozenset[str]) -> frozenset[Permission]:
    return frozenset().union(*(MATRIX[Role(r)] for r in roles if r in Role._value2member_map_))
