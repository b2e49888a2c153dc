"""Whole-payload validation of demandes: the schema, then the codes checked against the territorial referential.

Every fault of a payload is reported at once, by dotted path. Batches (import, demo seeding) are validated with
one referential query for all their codes. The result is the normalized payload as stored in `donnees`
(JSON-safe: dates as ISO strings), so that two equal demandes have equal `donnees`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from marshmallow import Schema, ValidationError, fields
from marshmallow.decorators import POST_DUMP, PRE_DUMP

from app.api_errors import flatten_messages
from app.demandes.errors import DonneesInvalides
from app.demandes.schemas import READ_ONLY_FIELDS, DemandeSchema
from app.referentiel.service import unknown_communes, unknown_secteurs

Erreur = dict[str, str | None]
_SCHEMA = DemandeSchema()
_SIMPLES = (fields.String, fields.Integer, fields.Boolean)


def _dump_identique(schema: Schema, top: bool = True) -> bool:
    """True when `schema.dump(schema.load(x))` is the loaded dict with dates written ISO (checked once, at import):
    only String, Integer, Boolean, ISO Date, List and Nested fields, no data_key/attribute, no dump hooks, no
    load-only field but the top-level `brouillon` (popped before the dump)."""
    if schema._hooks[PRE_DUMP] or schema._hooks[POST_DUMP]:
        return False

    def simple(f: fields.Field) -> bool:
        if f.data_key is not None or f.attribute is not None:
            return False
        if isinstance(f, (fields.DateTime, fields.Time)):
            return False
        if isinstance(f, fields.Date):
            return f.format in (None, "iso")
        if isinstance(f, fields.List):
            return simple(f.inner)
        if isinstance(f, fields.Nested):
            return not f.many and isinstance(f.schema, Schema) and _dump_identique(f.schema, top=False)
        return type(f) in _SIMPLES

    for name, f in schema.load_fields.items():
        if f.load_only and not (top and name == "brouillon"):
            return False
        if not simple(f):
            return False
    return True


def _json(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# The dump of a loaded payload is a third of the validation time; for this schema it is exactly the loaded dict with
# ISO dates (see `_dump_identique`, and the test comparing both on generated payloads), so it is done directly.
_normaliser = _json if _dump_identique(_SCHEMA) else _SCHEMA.dump


@dataclass
class Resultat:
    donnees: dict[str, Any] | None = None  # normalized payload (without `brouillon`)
    brouillon: bool = False
    erreurs: list[Erreur] = field(default_factory=list)

    @property
    def valide(self) -> bool:
        return not self.erreurs


def _codes(payload: Mapping[str, Any], key: str) -> list[tuple[int, str]]:
    souhaits = payload.get("souhaits")
    values = souhaits.get(key) if isinstance(souhaits, Mapping) else None
    if not isinstance(values, list):
        return []
    return [(i, v) for i, v in enumerate(values) if isinstance(v, str)]


def _referential_errors(payload: Mapping[str, Any], bad_communes: set[str], bad_secteurs: set[str]) -> list[Erreur]:
    erreurs: list[Erreur] = []
    for i, code in _codes(payload, "communes"):
        if code in bad_communes:
            erreurs.append({"champ": f"souhaits.communes.{i}", "message": f"Commune inconnue du référentiel : {code}"})
    for i, code in _codes(payload, "secteurs"):
        if code in bad_secteurs:
            erreurs.append(
                {
                    "champ": f"souhaits.secteurs.{i}",
                    "message": f"Secteur inconnu du référentiel (EPCI ou département) : {code}",
                }
            )
    return erreurs


def _schema_errors(payload: Mapping[str, Any]) -> tuple[dict[str, Any] | None, list[Erreur]]:
    erreurs: list[Erreur] = [
        {"champ": key, "message": "Champ en lecture seule"} for key in payload if key in READ_ONLY_FIELDS
    ]
    clean = {k: v for k, v in payload.items() if k not in READ_ONLY_FIELDS}
    try:
        loaded = _SCHEMA.load(clean)
    except ValidationError as error:
        return None, erreurs + flatten_messages(error.messages)
    return (None if erreurs else loaded), erreurs


def valider_lot(payloads: Sequence[Any], *, ignorer_lecture_seule: bool = False) -> list[Resultat]:
    """Validate each payload (schema + referential); the order of the results is the order of the payloads."""
    communes = {c for p in payloads if isinstance(p, Mapping) for _, c in _codes(p, "communes")}
    secteurs = {s for p in payloads if isinstance(p, Mapping) for _, s in _codes(p, "secteurs")}
    bad_communes = unknown_communes(communes)
    bad_secteurs = unknown_secteurs(secteurs)
    resultats: list[Resultat] = []
    for payload in payloads:
        if not isinstance(payload, Mapping):
            resultats.append(Resultat(erreurs=[{"champ": None, "message": "Objet JSON attendu"}]))
            continue
        if ignorer_lecture_seule:
            payload = {k: v for k, v in payload.items() if k not in READ_ONLY_FIELDS}
        loaded, erreurs = _schema_errors(payload)
        erreurs += _referential_errors(payload, bad_communes, bad_secteurs)
        if erreurs or loaded is None:
            resultats.append(Resultat(erreurs=erreurs))
            continue
        brouillon = bool(loaded.pop("brouillon", False))
        resultats.append(Resultat(donnees=_normaliser(loaded), brouillon=brouillon))
    return resultats


def valider(payload: Any) -> Resultat:
    """Validate one payload; raise DonneesInvalides (422) naming every faulty field."""
    resultat = valider_lot([payload])[0]
    if not resultat.valide:
        raise DonneesInvalides(erreurs=resultat.erreurs)
    return resultat


def champs_interdits(changes: Iterable[str], interdits: Iterable[str]) -> list[Erreur]:
    return [{"champ": c, "message": "Champ non modifiable"} for c in changes if c in set(interdits)]
