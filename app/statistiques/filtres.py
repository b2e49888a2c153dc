"""Filters of the statistics, read from query arguments (pages and API alike), with French error messages."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from app.demandes.lifecycle import aujourdhui
from app.statistiques.service import Filtres


class FiltresInvalides(ValueError):
    def __init__(self, erreurs: dict[str, str]):
        super().__init__(erreurs)
        self.erreurs = erreurs


def _date(args: Mapping[str, str], name: str, default: date, erreurs: dict[str, str]) -> date:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        erreurs[name] = "Date invalide (format AAAA-MM-JJ attendu)."
        return default


def _code(args: Mapping[str, str], name: str) -> str | None:
    value = (args.get(name) or "").strip()
    return value or None


def lire(args: Mapping[str, str]) -> Filtres:
    today = aujourdhui()
    erreurs: dict[str, str] = {}
    filtres = Filtres(
        date=_date(args, "date", today, erreurs),
        du=_date(args, "du", date(today.year, 1, 1), erreurs),
        au=_date(args, "au", today, erreurs),
        commune=_code(args, "commune"),
        epci=_code(args, "epci"),
        departement=_code(args, "departement"),
        organisme=_code(args, "organisme"),
    )
    if filtres.au < filtres.du:
        erreurs["au"] = "La fin de la période précède son début."
    if erreurs:
        raise FiltresInvalides(erreurs)
    return filtres
