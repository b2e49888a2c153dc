"""First-quartile thresholds per EPCI and year: validation, creation or update (audited), lookup."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sqlalchemy import select

from app import audit
from app.auth.context import current_actor
from app.extensions import db
from app.referentiel.service import get_epci
from app.statistiques.models import SeuilPremierQuartile

ANNEE_MIN, ANNEE_MAX = 2000, 2100
SEUIL_MAX = Decimal("1000000")


class SeuilInvalide(ValueError):
    """Field errors (French messages), keyed by the form's field names."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _annee(value: str | int | None, errors: dict[str, list[str]]) -> int | None:
    texte = str(value if value is not None else "").strip()
    if not texte:
        errors["annee"] = ["Saisissez l'année."]
        return None
    try:
        annee = int(texte)
    except ValueError:
        errors["annee"] = ["L'année doit être un nombre entier (par exemple 2025)."]
        return None
    if not ANNEE_MIN <= annee <= ANNEE_MAX:
        errors["annee"] = [f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}."]
        return None
    return annee


def _seuil(value: str | Decimal | None, errors: dict[str, list[str]]) -> Decimal | None:
    texte = str(value if value is not None else "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    texte = texte.removesuffix("€")
    if not texte:
        errors["seuil"] = ["Saisissez le seuil en euros par unité de consommation et par an."]
        return None
    try:
        seuil = Decimal(texte)
    except InvalidOperation:
        errors["seuil"] = ["Le seuil doit être un montant en euros (par exemple 10830 ou 10830,50)."]
        return None
    if not seuil.is_finite() or seuil <= 0:
        errors["seuil"] = ["Le seuil doit être strictement positif."]
        return None
    if seuil >= SEUIL_MAX:
        errors["seuil"] = ["Le seuil doit être inférieur à 1 000 000 €."]
        return None
    return seuil.quantize(Decimal("0.01"))


def enregistrer(epci: str | None, annee: str | int | None, seuil: str | Decimal | None) -> SeuilPremierQuartile:
    """Create the threshold of (epci, annee), or update it if one exists; audited in the same transaction."""
    errors: dict[str, list[str]] = {}
    code = (epci or "").strip()
    if not code:
        errors["epci"] = ["Choisissez un EPCI."]
    elif get_epci(code) is None:
        errors["epci"] = [f"L'EPCI {code} n'existe pas dans le référentiel territorial."]
    valeur_annee = _annee(annee, errors)
    valeur_seuil = _seuil(seuil, errors)
    if errors or valeur_annee is None or valeur_seuil is None:
        raise SeuilInvalide(errors)
    actor = current_actor()
    row = db.session.scalars(
        select(SeuilPremierQuartile)
        .where(SeuilPremierQuartile.epci == code, SeuilPremierQuartile.annee == valeur_annee)
        .with_for_update()
    ).one_or_none()
    ancien = str(row.seuil) if row is not None else None
    if row is None:
        row = SeuilPremierQuartile(epci=code, annee=valeur_annee, seuil=valeur_seuil, modifie_par=actor.login)
        db.session.add(row)
    else:
        row.seuil, row.modifie_par = valeur_seuil, actor.login
    audit.record(
        "seuil_premier_quartile", (), actor=actor, epci=code, annee=valeur_annee, seuil=str(valeur_seuil), ancien=ancien
    )
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return row


def lister() -> list[SeuilPremierQuartile]:
    return list(
        db.session.scalars(
            select(SeuilPremierQuartile).order_by(SeuilPremierQuartile.annee.desc(), SeuilPremierQuartile.epci)
        )
    )


def par_epci_annee() -> dict[tuple[str, int], Decimal]:
    return {(s.epci, s.annee): s.seuil for s in lister()}


def seuil(epci: str | None, annee: int) -> Decimal | None:
    """The threshold of an EPCI for a year (None when not configured)."""
    if not epci:
        return None
    return db.session.scalar(
        select(SeuilPremierQuartile.seuil).where(SeuilPremierQuartile.epci == epci, SeuilPremierQuartile.annee == annee)
    )
