"""Read access to the demande dict of the API contract, with the documented defaults applied in one place."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Demande = Mapping[str, Any]


@dataclass(frozen=True)
class Souhaits:
    """The wishes of a demande, defaults applied (rdc and no-lift accepted unless said otherwise)."""

    communes: tuple[str, ...]
    secteurs_epci: tuple[str, ...]
    secteurs_departements: tuple[str, ...]
    elargissement: bool
    typologies: tuple[str, ...]
    type_bien: str
    rdc_accepte: bool
    sans_ascenseur_accepte: bool
    parking: bool
    loyer_max: int | None


def est_code_epci(secteur: str) -> bool:
    """EPCI codes are 9-digit SIREN numbers; anything else in `secteurs` is a département code."""
    return len(secteur) == 9 and secteur.isdigit()


def souhaits(demande: Demande) -> Souhaits:
    raw: Mapping[str, Any] = demande.get("souhaits") or {}
    secteurs = [str(s) for s in raw.get("secteurs") or []]
    rdc = raw.get("rdc_accepte")
    sans_ascenseur = raw.get("sans_ascenseur_accepte")
    return Souhaits(
        communes=tuple(str(c) for c in raw.get("communes") or []),
        secteurs_epci=tuple(s for s in secteurs if est_code_epci(s)),
        secteurs_departements=tuple(s for s in secteurs if not est_code_epci(s)),
        elargissement=bool(raw.get("elargissement", False)),
        typologies=tuple(raw.get("typologies") or []),
        type_bien=raw.get("type_bien") or "indifferent",
        rdc_accepte=True if rdc is None else bool(rdc),
        sans_ascenseur_accepte=True if sans_ascenseur is None else bool(sans_ascenseur),
        parking=bool(raw.get("parking", False)),
        loyer_max=raw.get("loyer_max"),
    )


def entier(demande: Demande, champ: str) -> int:
    """An integer field, None or absent read as 0."""
    return int(demande.get(champ) or 0)


def personnes(demande: Demande) -> list[Mapping[str, Any]]:
    """Demandeur then co-demandeurs (the named adults of the demande)."""
    demandeur = demande.get("demandeur") or {}
    return [demandeur, *(demande.get("co_demandeurs") or [])]
