"""Short-lived cache of the exclusion counts ("pourquoi si peu de candidats ?").

The counts are the costly part of a candidate list (a scope of n − 1 of n rules over the whole file, benchmarks/
results/matching-*.md) and do not depend on the facets ticked nor on the page: an agent ticking facets or paging
re-asks the same counts. They explain a list, they select nobody, so counts up to `DUREE_S` old are acceptable;
the response says when they were counted. The key is the exclusion request itself, so a logement, rule or barème
change asks for new counts. Redis unavailable: counted every time.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from flask import current_app

log = logging.getLogger(__name__)

DUREE_S = 120


def _prefixe() -> str:
    return f"{current_app.config['SETTINGS'].es_index_prefix}:exclusions:"


def _cle(corps: dict[str, Any]) -> str:
    return _prefixe() + hashlib.sha256(json.dumps(corps, sort_keys=True, default=str).encode()).hexdigest()


def lire(corps: dict[str, Any]) -> dict[str, Any] | None:
    """{"exclusions": [...], "le": iso datetime} counted less than DUREE_S ago, or None."""
    try:
        brut = current_app.extensions["redis"].get(_cle(corps))
    except Exception:
        log.warning("exclusion counts cache unreadable", exc_info=True)
        return None
    return json.loads(brut) if brut else None


def ecrire(corps: dict[str, Any], valeur: dict[str, Any]) -> None:
    try:
        current_app.extensions["redis"].set(_cle(corps), json.dumps(valeur), ex=DUREE_S)
    except Exception:
        log.warning("exclusion counts not cached", exc_info=True)


def vider() -> None:
    """Forget every cached count (a measure of the cold case, a test that starts from another file)."""
    redis = current_app.extensions["redis"]
    for cle in redis.scan_iter(_prefixe() + "*"):
        redis.delete(cle)
