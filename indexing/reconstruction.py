"""Index rebuild run by the workers (nightly, and after a change of the cotation grids), with live progress.

The indexed values that depend on the date or on the grids (`anciennete_mois`, `points_cotation`,
`jeune_menage`) are computed when a document is built; the nightly rebuild recomputes them for every demande, and
so does a rebuild queued when the gestionnaire changes a grid. Progress lives in one Redis hash (the suivi page
polls it): it is operational state, not a record, and survives only as long as it is useful.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime
from typing import Any

from flask import current_app

from indexing import lifecycle

log = logging.getLogger(__name__)

EN_COURS, TERMINEE, ECHOUEE = "en_cours", "terminee", "echouee"
MOTIFS = {
    "nocturne": "Actualisation nocturne (ancienneté, points de cotation)",
    "cotation": "Modification des grilles de cotation",
    "manuelle": "Lancée par un gestionnaire",
}
ECRITURE_MIN_S = 1.0  # progress is written at most once a second (a rebuild reports every document)


def _cle() -> str:
    return f"{current_app.config['SETTINGS'].es_index_prefix}:reconstruction-demandes"


def etat() -> dict[str, Any] | None:
    """Last rebuild run by a worker: statut, motif, total, traites, debut, fin, erreur (None if never run)."""
    brut = current_app.extensions["redis"].hgetall(_cle())
    if not brut:
        return None
    data = {k.decode(): v.decode() for k, v in brut.items()}
    for champ in ("total", "traites"):
        data[champ] = int(data.get(champ) or 0)
    return data


class _Suivi:
    """Started once the rebuild holds its lock, so that a refused second rebuild leaves the running one's progress."""

    def __init__(self, motif: str) -> None:
        self.redis = current_app.extensions["redis"]
        self.cle = _cle()
        self.motif = motif
        self.traites = 0
        self.ecrit_le = 0.0
        self.demarre = False

    def _ecrire(self, **champs: Any) -> None:
        try:
            self.redis.hset(self.cle, mapping={k: str(v) for k, v in champs.items()})
        except Exception:  # progress is a courtesy: a Redis hiccup must not fail the rebuild
            log.warning("rebuild progress not written", exc_info=True)

    def total(self, total: int) -> None:
        self.demarre = True
        self._ecrire(statut=EN_COURS, motif=self.motif, total=total, traites=0, debut=_maintenant(), fin="", erreur="")

    def avancer(self, n: int) -> None:
        self.traites += n
        if time.monotonic() - self.ecrit_le >= ECRITURE_MIN_S:
            self.ecrit_le = time.monotonic()
            self._ecrire(traites=self.traites)

    def terminer(self, statut: str, erreur: str = "") -> None:
        if not self.demarre:
            return
        self._ecrire(statut=statut, traites=self.traites, fin=_maintenant(), erreur=erreur)


def _maintenant() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def reconstruire(motif: str) -> dict[str, Any]:
    """Rebuild the index (zero downtime, see lifecycle.rebuild) and record its progress."""
    suivi = _Suivi(motif if motif in MOTIFS else "manuelle")
    try:
        report = lifecycle.rebuild(progress=suivi.avancer, on_total=suivi.total)
    except Exception as exc:
        suivi.terminer(ECHOUEE, str(exc)[:500])
        raise
    suivi.terminer(TERMINEE)
    return {"index": report.new_index, "indexes": report.indexed, "rejoues": report.replayed}
