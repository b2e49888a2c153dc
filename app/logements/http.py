"""HTTP helpers shared by the logements, rapprochement, CAL and shortlists views: JSON bodies, ETag/If-Match."""

from __future__ import annotations

from typing import Any

from flask import request
from marshmallow import Schema, ValidationError

from app.logements.errors import DonneesInvalides, IfMatchRequis, RevisionPerimee


def json_body() -> dict[str, Any]:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise DonneesInvalides("Corps JSON (objet) attendu", [{"champ": None, "message": "Objet JSON attendu"}])
    return data


def charger(schema: Schema, data: Any, partial: bool = False) -> dict[str, Any]:
    """Validate with marshmallow; errors become one 422 naming each field by its dotted path."""
    try:
        return schema.load(data, partial=partial)
    except ValidationError as error:
        raise DonneesInvalides.depuis(error) from None


def query_args(schema: Schema) -> dict[str, Any]:
    """Query string through a schema (lists from repeated keys or comma-separated values)."""
    raw: dict[str, Any] = {}
    for key in request.args:
        values = request.args.getlist(key)
        field = schema.fields.get(key)
        if field is not None and field.__class__.__name__ == "List":
            raw[key] = [v for value in values for v in value.split(",") if v != ""]
        else:
            raw[key] = values[-1]
    return charger(schema, raw)


def etag(revision: int) -> str:
    return f'"{revision}"'


def _etags_lus() -> list[str]:
    """The ETags named by `If-Match` (428 without the header)."""
    header = request.headers.get("If-Match")
    if not header:
        raise IfMatchRequis()
    return [v.strip().removeprefix("W/").strip('"') for v in header.split(",")]


def verifier_if_match(revision: int) -> None:
    """PATCH needs `If-Match` with the ETag read (optimistic concurrency): 428 without it, 412 when stale."""
    candidates = _etags_lus()
    if "*" not in candidates and str(revision) not in candidates:
        raise RevisionPerimee(headers={"ETag": etag(revision)})


def revision_if_match() -> int | None:
    """The revision named by `If-Match` for a write that compares it itself under lock (None for `*`):
    428 without the header, 412 when it names no revision."""
    valeurs = _etags_lus()
    if "*" in valeurs:
        return None
    if len(valeurs) != 1 or not valeurs[0].isdigit() or len(valeurs[0]) > 18:
        raise RevisionPerimee()
    return int(valeurs[0])
