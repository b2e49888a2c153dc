"""Index names derived from the mapping files: `mappings/demandes-v2.json` → concrete index
`<prefix>-demandes-v2-<timestamp>`, reached through the alias `<prefix>-demandes`.

A breaking mapping change is a new file (`demandes-v2.json`) followed by a rebuild; the newest version wins.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

MAPPINGS_DIR = Path(__file__).resolve().parent.parent / "mappings"
_FILE = re.compile(r"^(?P<base>[a-z][a-z0-9_]*)-v(?P<version>\d+)\.json$")


@dataclass(frozen=True)
class IndexSpec:
    """One logical index (`demandes`) at its newest mapping version, for one name prefix (`fp`, `fp-test`)."""

    prefix: str
    base: str
    version: int
    path: Path

    @property
    def alias(self) -> str:
        return f"{self.prefix}-{self.base}"

    @property
    def pattern(self) -> str:
        """Every concrete index of this logical index, whatever its version (for listings, never for deletes)."""
        return f"{self.prefix}-{self.base}-v*"

    def new_index_name(self, now: datetime | None = None) -> str:
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")
        return f"{self.prefix}-{self.base}-v{self.version}-{stamp}"

    def body(self) -> dict[str, Any]:
        return json.loads(self.path.read_text(encoding="utf-8"))


def spec(base: str, prefix: str, mappings_dir: Path = MAPPINGS_DIR) -> IndexSpec:
    """The newest mapping file of `base`."""
    found: list[tuple[int, Path]] = []
    for path in mappings_dir.glob(f"{base}-v*.json"):
        match = _FILE.match(path.name)
        if match and match["base"] == base:
            found.append((int(match["version"]), path))
    if not found:
        raise LookupError(f"no mapping file for index {base!r} in {mappings_dir}")
    version, path = max(found)
    return IndexSpec(prefix=prefix, base=base, version=version, path=path)


def demandes_spec(prefix: str) -> IndexSpec:
    return spec("demandes", prefix)
