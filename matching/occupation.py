"""Occupation norms: main rooms per typology, minimum surface per occupant count (domain §4)."""

from __future__ import annotations

from matching.config import parametres


def pieces_principales(typologie: str) -> int:
    """chambre = 1, T1 = 1, Tn = n."""
    return int(parametres()["pieces_principales"][typologie])


def surface_minimale(occupants: int) -> float:
    """Below this surface the logement is sur-occupé: 9 m² for one, 16 for two, +9 each, capped at 70 (8+)."""
    norme = parametres()["occupation"]
    if occupants <= 0:
        return 0
    if occupants == 1:
        return norme["surface_une_personne"]
    surface = norme["surface_deux_personnes"] + (occupants - 2) * norme["surface_par_personne_supplementaire"]
    return min(surface, norme["surface_plafond"])


def pieces_toleree_en_plus() -> int:
    return int(parametres()["occupation"]["pieces_au_dela_des_occupants"])


def sous_occupation(pieces: int, occupants: int) -> bool:
    """More main rooms than occupants + 1."""
    return pieces > occupants + pieces_toleree_en_plus()


def sur_occupation(surface: float, occupants: int) -> bool:
    return surface < surface_minimale(occupants)


def occupants_min(typologie: str) -> int:
    """Fewest occupants that do not sous-occupy the typology (at least 1)."""
    return max(pieces_principales(typologie) - pieces_toleree_en_plus(), 1)


def occupants_max(surface: float) -> int | None:
    """Most occupants the surface holds without sur-occupation; None when unbounded (surface >= cap)."""
    norme = parametres()["occupation"]
    if surface >= norme["surface_plafond"]:
        return None
    occupants = 0
    while surface >= surface_minimale(occupants + 1):
        occupants += 1
    return occupants
