"""Loading of the JSON configuration files shipped in `matching/data/` (read once, cached)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    """Parsed content of `matching/data/<name>.json`. Callers must not mutate the result."""
    with (DATA_DIR / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def parametres() -> dict[str, Any]:
    """General parameters (validity, jeune ménage, occupation norms, main rooms per typology)."""
    return load("parametres")
