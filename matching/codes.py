"""Code lists of the demande contract, loaded from versioned JSON files, and helpers to validate input."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from matching.config import load


@dataclass(frozen=True)
class CodeList:
    """A versioned list of codes, each with its French label."""

    nom: str
    version: str
    libelles: Mapping[str, str] = field(repr=False)

    def __contains__(self, code: object) -> bool:
        return code in self.libelles

    def __iter__(self) -> Iterator[str]:
        return iter(self.libelles)

    def __len__(self) -> int:
        return len(self.libelles)

    def libelle(self, code: str) -> str:
        """French label of `code` (KeyError if unknown)."""
        return self.libelles[code]

    def inconnus(self, codes: Iterable[str]) -> list[str]:
        """The codes of `codes` that are not in this list, in input order, without duplicates."""
        seen: list[str] = []
        for code in codes:
            if code not in self.libelles and code not in seen:
                seen.append(code)
        return seen


def load_code_list(name: str) -> CodeList:
    """Read `matching/data/<name>.json` ({"version", "codes": {code: libellé}}) and check its shape."""
    raw = load(name)
    codes = raw.get("codes")
    if not isinstance(raw.get("version"), str) or not isinstance(codes, dict) or not codes:
        raise ValueError(f"{name}.json: expected a 'version' string and a non-empty 'codes' object")
    for code, libelle in codes.items():
        if not code or not isinstance(libelle, str) or not libelle:
            raise ValueError(f"{name}.json: code {code!r} needs a non-empty French label")
    return CodeList(nom=name, version=raw["version"], libelles=dict(codes))


PRIORITES: CodeList = load_code_list("priorites")
MOTIFS: CodeList = load_code_list("motifs")

TYPOLOGIES: tuple[str, ...] = ("chambre", "T1", "T2", "T3", "T4", "T5", "T6")
TYPES_BIEN_SOUHAITES: tuple[str, ...] = ("appartement", "maison", "indifferent")
TYPES_BIEN_LOGEMENT: tuple[str, ...] = ("appartement", "maison")
LIENS: tuple[str, ...] = ("conjoint", "pacs", "concubin", "ascendant", "descendant", "fratrie", "autre")
SITUATIONS_FAMILIALES: tuple[str, ...] = (
    "celibataire",
    "marie",
    "pacse",
    "concubinage",
    "divorce",
    "separe",
    "veuf",
)
LOGEMENTS_ACTUELS: tuple[str, ...] = (
    "locataire_hlm",
    "locataire_prive",
    "proprietaire",
    "heberge_famille",
    "heberge_tiers",
    "structure_hebergement",
    "logement_temporaire",
    "sans_logement",
    "autre",
)
CAUTIONS: tuple[str, ...] = ("aucune", "visale", "fsl", "autre")
ETATS: tuple[str, ...] = ("brouillon", "active", "satisfaite", "radiee")
FINANCEMENTS: tuple[str, ...] = ("PLAI", "PLUS", "PLS", "PLI", "PLA")
CONTINGENTS: tuple[str, ...] = (
    "prefecture",
    "prefecture_agents_etat",
    "action_logement",
    "collectivite",
    "bailleur",
)


def priorites_inconnues(codes: Iterable[str]) -> list[str]:
    """Priority codes not in the current list (for API validation)."""
    return PRIORITES.inconnus(codes)


def motifs_inconnus(codes: Iterable[str]) -> list[str]:
    """Motif codes not in the current list (for API validation)."""
    return MOTIFS.inconnus(codes)


def hors_liste(valeur: str, autorises: Iterable[str]) -> bool:
    """True when `valeur` is not one of `autorises` (a tuple such as TYPOLOGIES)."""
    return valeur not in tuple(autorises)
