"""Load the official territorial referential from the pinned npm package into PostgreSQL (idempotent upserts)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from app.config import ROOT
from app.extensions import db
from app.referentiel.models import Commune, Departement, Epci, ReferentielVersion
from app.referentiel.service import invalidate_caches
from indexing.text import fold

PACKAGE = "@etalab/decoupage-administratif"
PACKAGE_DIR = ROOT / "node_modules" / "@etalab" / "decoupage-administratif"


def _read(package_dir: Path, name: str) -> list[dict[str, Any]]:
    return json.loads((package_dir / "data" / f"{name}.json").read_text(encoding="utf-8"))


def _upsert(model: type, rows: list[dict[str, Any]], chunk: int = 2000) -> None:
    table = model.__table__
    for start in range(0, len(rows), chunk):
        stmt = insert(table).values(rows[start : start + chunk])
        updates = {c.name: stmt.excluded[c.name] for c in table.columns if not c.primary_key}
        db.session.execute(stmt.on_conflict_do_update(index_elements=list(table.primary_key.columns), set_=updates))


def load_referentiel(package_dir: Path = PACKAGE_DIR, force: bool = False) -> dict[str, int] | None:
    """Upsert départements, EPCI and current communes. Returns counts, or None when this version is loaded."""
    if not (package_dir / "package.json").exists():
        raise FileNotFoundError(f"{package_dir} is missing: run `npm ci` (make does it) to install {PACKAGE}")
    version = json.loads((package_dir / "package.json").read_text())["version"]
    loaded = db.session.scalar(select(ReferentielVersion.version).where(ReferentielVersion.source == PACKAGE))
    if loaded == version and not force:
        return None

    departements = [
        {"code": d["code"], "nom": d["nom"], "region": d.get("region")} for d in _read(package_dir, "departements")
    ]
    epcis = _read(package_dir, "epci")
    epci_of_commune = {m["code"]: e["code"] for e in epcis for m in e["membres"]}
    communes = [
        {
            "code": c["code"],
            "nom": c["nom"],
            "nom_plie": fold(c["nom"]),
            "departement_code": c["departement"],
            "epci_code": epci_of_commune.get(c["code"]),
            "population": c.get("population"),
        }
        for c in _read(package_dir, "communes")
        if c.get("type") == "commune-actuelle"
    ]
    _upsert(Departement, departements)
    _upsert(
        Epci,
        [
            {"code": e["code"], "nom": e["nom"], "type": e.get("type"), "population": e.get("populationTotale")}
            for e in epcis
        ],
    )
    _upsert(Commune, communes)
    _upsert(ReferentielVersion, [{"source": PACKAGE, "version": version}])
    db.session.commit()
    invalidate_caches()
    return {"departements": len(departements), "epci": len(epcis), "communes": len(communes)}
