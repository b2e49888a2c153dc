"""Reading import files into demande payloads, line by line: NDJSON (one JSON object per line) or CSV.

CSV columns are the dotted paths of the contract (`demandeur.nom`, `souhaits.communes`,
`co_demandeurs.0.date_naissance`); lists of values are separated by `|`; an empty cell is an absent field.
The delimiter (`,`, `;` or tab) is detected from the header; a UTF-8 BOM is accepted.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, fields

from app.demandes.schemas import DemandeSchema

NDJSON, CSV = "ndjson", "csv"
LIST_SEPARATOR = "|"
_MEDIA_TYPES = {
    "application/x-ndjson": NDJSON,
    "application/ndjson": NDJSON,
    "application/jsonl": NDJSON,
    "application/x-jsonlines": NDJSON,
    "application/json-seq": NDJSON,
    "text/csv": CSV,
    "application/csv": CSV,
}
_EXTENSIONS = {".ndjson": NDJSON, ".jsonl": NDJSON, ".csv": CSV}


@dataclass
class Ligne:
    numero: int  # line number in the file (CSV: the header is line 1)
    payload: Any = None
    erreur: str | None = None


def format_from(media_type: str | None, filename: str | None = None) -> str | None:
    if media_type in (NDJSON, CSV):
        return media_type
    if media_type:
        found = _MEDIA_TYPES.get(media_type.split(";")[0].strip().lower())
        if found:
            return found
    if filename:
        for ext, fmt in _EXTENSIONS.items():
            if filename.lower().endswith(ext):
                return fmt
    return None


def _text(contenu: bytes) -> str:
    return contenu.decode("utf-8-sig")


def lire(contenu: bytes, fmt: str) -> Iterator[Ligne]:
    """Every data line of the file, in order, parsed (or with the reason it could not be)."""
    if fmt == NDJSON:
        yield from _ndjson(contenu)
    else:
        yield from _csv(contenu)


def compter(contenu: bytes, fmt: str) -> int:
    return sum(1 for _ in lire(contenu, fmt))


def _ndjson(contenu: bytes) -> Iterator[Ligne]:
    for numero, line in enumerate(_text(contenu).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield Ligne(numero, json.loads(line))
        except json.JSONDecodeError as error:
            yield Ligne(numero, erreur=f"JSON invalide : {error.msg} (colonne {error.colno})")


# --- CSV ----------------------------------------------------------------------------------------------------------


def _field_at(schema: Schema, parts: list[str]) -> fields.Field | None:
    """The marshmallow field a dotted CSV column designates (list indexes skipped)."""
    field: fields.Field | None = None
    current: Schema | None = schema
    for part in parts:
        if part.isdigit():
            continue
        if current is None or part not in current.fields:
            return None
        field = current.fields[part]
        inner = field.inner if isinstance(field, fields.List) else field
        current = inner.schema if isinstance(inner, fields.Nested) else None
    return field


def _is_scalar_list(field: fields.Field | None) -> bool:
    return isinstance(field, fields.List) and not isinstance(field.inner, fields.Nested)


def _set(target: dict[str, Any], parts: list[str], value: Any) -> None:
    """Set `value` at the dotted path; numeric parts are list indexes (lists grow as needed)."""
    node: Any = target
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        nxt: Any = value if last else ([] if parts[i + 1].isdigit() else {})
        if part.isdigit():
            index = int(part)
            while len(node) <= index:
                node.append(None)
            if last:
                node[index] = value
            else:
                if node[index] is None:
                    node[index] = nxt
                node = node[index]
        else:
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, nxt)


def ligne_csv_vers_payload(row: dict[str, str], schema: Schema | None = None) -> dict[str, Any]:
    schema = schema or DemandeSchema()
    payload: dict[str, Any] = {}
    for column, raw in row.items():
        if column is None or raw is None:
            continue
        cell = raw.strip()
        if cell == "":
            continue
        parts = column.strip().split(".")
        field = _field_at(schema, parts)
        value: Any = cell
        if _is_scalar_list(field):
            value = [v.strip() for v in cell.split(LIST_SEPARATOR) if v.strip()]
        elif isinstance(field, fields.Boolean) and cell.lower() in {"oui", "non"}:
            value = cell.lower() == "oui"
        _set(payload, parts, value)
    # Holes left by sparse indexed columns (co_demandeurs.1.* without .0.*) are dropped.
    for key, value in list(payload.items()):
        if isinstance(value, list):
            payload[key] = [v for v in value if v is not None]
    return payload


def _csv(contenu: bytes) -> Iterator[Ligne]:
    text = _text(contenu)
    first = text.split("\n", 1)[0]
    try:
        dialect: Any = csv.Sniffer().sniff(first, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    schema = DemandeSchema()
    for row in reader:
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        numero = reader.line_num
        if None in row:
            yield Ligne(numero, erreur="Plus de valeurs que de colonnes dans l'en-tête")
            continue
        yield Ligne(numero, ligne_csv_vers_payload(row, schema))
