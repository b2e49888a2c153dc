"""One error format for every 4xx of the API: `{"code", "message", "erreurs": [{"champ", "message"}]}`.

Domain services raise `ApiError` subclasses (a status, a stable machine code and a French message); werkzeug and
flask-smorest errors (malformed JSON, unknown route, query-argument validation) are rewritten into the same shape.
Field paths are dotted (`souhaits.communes.0`), marshmallow's English messages are translated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import Flask, request
from flask_smorest import Api
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

API_PREFIX = "/api/"


class ApiError(Exception):
    """An error meant for the API client: HTTP status, machine code, French message, optional field errors."""

    status = 400
    code = "requete_invalide"
    default_message = "Requête invalide"

    def __init__(
        self,
        message: str | None = None,
        erreurs: list[dict[str, str | None]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.erreurs = erreurs or []
        self.headers = dict(headers or {})
        super().__init__(self.message)

    def en_clair(self) -> str:
        """The message followed by the field messages, for a page that shows the error on one line."""
        details = "; ".join(str(e["message"]) for e in self.erreurs)
        return f"{self.message} : {details}" if details else self.message

    def body(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.erreurs:
            payload["erreurs"] = self.erreurs
        return payload


# Marshmallow's default messages, in French (unknown messages pass through unchanged).
_TRADUCTIONS = {
    "Missing data for required field.": "Champ obligatoire",
    "Unknown field.": "Champ inconnu",
    "Field may not be null.": "Valeur nulle interdite",
    "Not a valid integer.": "Nombre entier attendu",
    "Not a valid number.": "Nombre attendu",
    "Not a valid string.": "Texte attendu",
    "Not a valid boolean.": "Booléen attendu (true ou false)",
    "Not a valid date.": "Date invalide (format AAAA-MM-JJ attendu)",
    "Not a valid datetime.": "Date et heure invalides (format ISO 8601 attendu)",
    "Not a valid list.": "Liste attendue",
    "Not a valid mapping type.": "Objet attendu",
    "Invalid input type.": "Objet attendu",
    "Invalid value.": "Valeur invalide",
    "Shorter than minimum length 1.": "Valeur vide interdite",
    "Number too large.": "Nombre trop grand",
    "Special numeric values (nan or infinity) are not permitted.": "Valeurs NaN et infinies interdites",
    "Not a valid email address.": "Adresse électronique invalide",
    "Not a valid URL.": "Adresse web invalide",
    "Not a valid UUID.": "Identifiant UUID invalide",
    "Not a valid utf-8 string.": "Texte UTF-8 invalide",
    "String does not match expected pattern.": "Format invalide",
    "Invalid type.": "Type invalide",
}

_HTTP_CODES = {
    400: ("requete_invalide", "Requête invalide"),
    401: ("non_authentifie", "Authentification requise"),
    403: ("interdit", "Accès interdit"),
    404: ("introuvable", "Ressource introuvable"),
    405: ("methode_non_autorisee", "Méthode non autorisée"),
    406: ("non_acceptable", "Format de réponse non disponible"),
    409: ("conflit", "Conflit avec l'état de la ressource"),
    412: ("revision_perimee", "La ressource a été modifiée depuis sa lecture"),
    413: ("trop_volumineux", "Requête trop volumineuse"),
    415: ("type_non_supporte", "Type de contenu non pris en charge"),
    422: ("validation", "Données invalides"),
    428: ("precondition_requise", "En-tête If-Match requis"),
    429: ("trop_de_requetes", "Trop de requêtes"),
}


# Marshmallow's parameterised messages (validate.Range, validate.Length, validate.OneOf), most specific first.
_MOTIFS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(f"^{motif}$"), francais)
    for motif, francais in (
        (r"Must be greater than or equal to (.+) and less than or equal to (.+)\.", r"Valeur entre \1 et \2 attendue"),
        (
            r"Must be greater than (.+) and less than or equal to (.+)\.",
            r"Valeur supérieure à \1 et au plus \2 attendue",
        ),
        (
            r"Must be greater than or equal to (.+) and less than (.+)\.",
            r"Valeur d'au moins \1 et inférieure à \2 attendue",
        ),
        (r"Must be greater than (.+) and less than (.+)\.", r"Valeur supérieure à \1 et inférieure à \2 attendue"),
        (r"Must be greater than or equal to (.+)\.", r"Valeur d'au moins \1 attendue"),
        (r"Must be greater than (.+)\.", r"Valeur supérieure à \1 attendue"),
        (r"Must be less than or equal to (.+)\.", r"Valeur d'au plus \1 attendue"),
        (r"Must be less than (.+)\.", r"Valeur inférieure à \1 attendue"),
        (r"Shorter than minimum length (\d+)\.", r"Longueur minimale : \1"),
        (r"Longer than maximum length (\d+)\.", r"Longueur maximale : \1"),
        (r"Length must be between (\d+) and (\d+)\.", r"Longueur entre \1 et \2 attendue"),
        (r"Length must be (\d+)\.", r"Longueur de \1 attendue"),
        (r"Must be one of: (.+)\.", r"Valeur inconnue : valeurs admises \1"),
    )
)


def traduire(message: str) -> str:
    if message in _TRADUCTIONS:
        return _TRADUCTIONS[message]
    for motif, francais in _MOTIFS:
        if motif.match(message):
            return motif.sub(francais, message)
    return message


def flatten_messages(messages: Any, prefix: str = "") -> list[dict[str, str | None]]:
    """Marshmallow's nested `{field: {index: [msg]}}` → `[{"champ": "a.0.b", "message": msg}]`."""
    erreurs: list[dict[str, str | None]] = []
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            key = str(key)
            path = prefix if key == "_schema" else (f"{prefix}.{key}" if prefix else key)
            erreurs.extend(flatten_messages(value, path))
    elif isinstance(messages, list | tuple):
        for item in messages:
            erreurs.extend(flatten_messages(item, prefix))
    else:
        erreurs.append({"champ": prefix or None, "message": traduire(str(messages))})
    return erreurs


class DonneesInvalides(ApiError):
    """The payload breaks the contract; `erreurs` names each faulty field by its dotted path (every service)."""

    status = 422
    code = "validation"
    default_message = "Données invalides"

    @classmethod
    def depuis(cls, error: ValidationError, message: str | None = None) -> DonneesInvalides:
        return cls(message, flatten_messages(error.messages))

    @classmethod
    def champ(cls, champ: str, message: str) -> DonneesInvalides:
        return cls(None, [{"champ": champ, "message": message}])


class ErreurChampSchema(Schema):
    champ = fields.String(allow_none=True, metadata={"description": "chemin pointé du champ (souhaits.communes.0)"})
    message = fields.String()


class ErreurSchema(Schema):
    """Documentation of the error body (every 4xx of the API)."""

    code = fields.String(metadata={"description": "code machine stable (validation, transition_impossible...)"})
    message = fields.String(metadata={"description": "message en français"})
    erreurs = fields.List(fields.Nested(ErreurChampSchema), metadata={"description": "erreurs par champ"})


BIGINT_MAX = 2**63 - 1


class IdentifiantConverter(IntegerConverter):
    """`<int:...>` bounded to PostgreSQL's bigint (every id column): a larger id matches no route (404) instead of
    reaching the database and failing there (`bigint out of range`, a 500). The bound is documented in the spec."""

    def __init__(
        self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = BIGINT_MAX, signed: bool = False
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


class ServiceApi(Api):
    """flask-smorest's `Api`, documenting the service's real error body: the spec's default error response and the
    422 of every `@blp.arguments` use `ErreurSchema` instead of flask-smorest's own `Error` (an integer `code`).
    Also bounds the `int` URL converter of every route registered after it (`IdentifiantConverter`)."""

    ERROR_SCHEMA = ErreurSchema

    def init_app(self, app: Flask, *, spec_kwargs: dict[str, Any] | None = None) -> None:
        app.url_map.converters["int"] = IdentifiantConverter
        super().init_app(app, spec_kwargs=spec_kwargs)


_LOCATIONS = {"json", "query", "form", "headers", "files", "view_args", "path"}


def _http_error_body(error: HTTPException) -> tuple[dict[str, Any], dict[str, str]]:
    code, message = _HTTP_CODES.get(error.code or 500, ("erreur", error.name))
    if (error.code or 500) >= 500:
        code, message = "erreur_interne", "Erreur interne du service"
    body: dict[str, Any] = {"code": code, "message": message}
    headers: dict[str, str] = {}
    data = getattr(error, "data", None) or {}
    if data.get("message"):
        body["message"] = str(data["message"])
    messages = data.get("errors") or data.get("messages")
    if messages:
        # webargs nests by location ({"json": {...}, "query": {...}}): the location is not part of the field path.
        if isinstance(messages, Mapping) and set(messages) <= _LOCATIONS:
            erreurs = [e for value in messages.values() for e in flatten_messages(value)]
        else:
            erreurs = flatten_messages(messages)
        body["erreurs"] = erreurs
    headers.update(data.get("headers") or {})
    return body, headers


class CaractereNulInterdit(ApiError):
    status = 422
    code = "validation"
    default_message = "Données invalides"


_NUL = "\x00"
_MESSAGE_NUL = "Caractère NUL (\\u0000) interdit"


def _champs_avec_nul(value: Any, prefix: str = "") -> list[str]:
    """Dotted paths of the strings (values or keys) holding a NUL character in a decoded JSON document."""
    if isinstance(value, str):
        return [prefix] if _NUL in value else []
    found: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            found.extend([path] if _NUL in str(key) else _champs_avec_nul(item, path))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_champs_avec_nul(item, f"{prefix}.{index}" if prefix else str(index)))
    return found


def refuser_caracteres_nuls() -> None:
    """PostgreSQL text cannot hold NUL: a NUL in the path, a query argument or a JSON string is refused with 422
    before it reaches a query (where it failed with a 500, `UntranslatableCharacter`)."""
    if not request.path.startswith(API_PREFIX):
        return
    champs = ["url"] if _NUL in request.path else []
    champs += [name for name, value in request.args.items(multi=True) if _NUL in name or _NUL in value]
    if request.is_json:
        champs += _champs_avec_nul(request.get_json(silent=True))
    if champs:
        raise CaractereNulInterdit(erreurs=[{"champ": champ, "message": _MESSAGE_NUL} for champ in champs])


def register_error_handlers(app: Flask) -> None:
    """Register after `Api(app)`: it replaces flask-smorest's HTTPException handler."""
    smorest_handler = app.error_handler_spec.get(None, {}).get(None, {}).get(HTTPException)
    app.before_request(refuser_caracteres_nuls)

    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        return error.body(), error.status, error.headers

    @app.errorhandler(HTTPException)
    def handle_http_exception(error: HTTPException):
        if not request.path.startswith(API_PREFIX):
            return smorest_handler(error) if smorest_handler else error
        body, headers = _http_error_body(error)
        return body, error.code or 500, headers
