"""French formatting of figures for user-facing explanations."""

from __future__ import annotations


def nombre(value: float) -> str:
    """12 345 (space as thousands separator; decimals with a comma, at most two)."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


def euros(value: float) -> str:
    return f"{nombre(value)} €"


def pourcent(ratio: float) -> str:
    """0.3125 -> "31,3 %"."""
    return f"{ratio * 100:.1f} %".replace(".", ",")
