"""CSV of one statistics table: semicolon-separated, UTF-8 with BOM (opens as is in a French spreadsheet)."""

from __future__ import annotations

import csv
import io
from typing import Any

from app.statistiques.service import Tableau

SECRET = "< 5"


def cellule(value: Any, masque: bool) -> str:
    if value is None:
        return SECRET if masque else ""
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def to_csv(tableau: Tableau) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([tableau.entete or "Indicateur", *(libelle for _, libelle in tableau.colonnes)])
    for ligne in tableau.lignes:
        writer.writerow([ligne["libelle"], *(cellule(ligne.get(code), tableau.masque) for code, _ in tableau.colonnes)])
    return "\ufeff" + buffer.getvalue()


def _nombre(value: Any) -> int | float | None:
    """Only numbers are drawn (a text such as "seuil non configuré" leaves a gap)."""
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def chart_data(tableau: Tableau) -> dict[str, Any]:
    """Chart.js data of a table: one bar per indicator for a one-row table, else one dataset per indicator."""
    colonnes = [
        (code, libelle)
        for code, libelle in tableau.colonnes
        if tableau.graphique_colonnes is None or code in tableau.graphique_colonnes
    ]
    if len(tableau.lignes) == 1 and tableau.graphique == "bar":
        ligne = tableau.lignes[0]
        return {
            "type": "bar",
            "labels": [libelle for _, libelle in colonnes],
            "datasets": [{"label": tableau.titre, "data": [_nombre(ligne.get(code)) for code, _ in colonnes]}],
        }
    return {
        "type": tableau.graphique,
        "labels": [ligne["libelle"] for ligne in tableau.lignes],
        "datasets": [
            {"label": libelle, "data": [_nombre(ligne.get(code)) for ligne in tableau.lignes]}
            for code, libelle in colonnes
        ],
    }
