"""Configuration data of the rules: the JSON files shipped in `matching/data/`, or the version in force installed
by the application (the gestionnaire edits the ceilings and the cotation grids; see app/baremes).

`matching` stays free of I/O beyond its own files: the application installs a parsed version with `installer`,
and every rule reads through `load`, so a new version applies to the next request or task of each process.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"

_installes: dict[str, dict[str, Any]] = {}


@cache
def fichier(name: str) -> dict[str, Any]:
    """Parsed content of `matching/data/<name>.json`, the version shipped with the code."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def load(name: str) -> dict[str, Any]:
    """The version in force: the installed one, else the shipped file. Callers must not mutate the result."""
    installe = _installes.get(name)
    return installe if installe is not None else fichier(name)


def installer(name: str, contenu: dict[str, Any] | None) -> None:
    """Put a version in force in this process (None: back to the shipped file)."""
    if contenu is None:
        _installes.pop(name, None)
    else:
        _installes[name] = contenu


def parametres() -> dict[str, Any]:
    """General parameters (validity, jeune ménage, occupation norms, main rooms per typology)."""
    return load("parametres")
