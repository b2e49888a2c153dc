"""Folding of names (indexing.text.fold), the same at index and query time."""

from __future__ import annotations

import pytest

from indexing.text import fold


@pytest.mark.parametrize(
    ("texte", "attendu"),
    [
        ("Élodie D'Aubigné-Ñúñez", "elodie d aubigne nunez"),
        ("  JEAN–PIERRE   Lefèvre ", "jean pierre lefevre"),
        ("O’Connor", "o connor"),
        ("Œuvre Lætitia", "oeuvre laetitia"),
        ("Müller-Straße", "muller strasse"),
        ("Çağlar Şahin", "caglar sahin"),
        ("François\tNoël", "francois noel"),
        ("", ""),
        (None, ""),
    ],
)
def test_fold(texte: str | None, attendu: str) -> None:
    assert fold(texte) == attendu


def test_fold_is_idempotent() -> None:
    once = fold("Hélène d’Estrées-Gâtinais")
    assert fold(once) == once
