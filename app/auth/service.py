"""Users, organisations and tokens: the operations behind the API, the CLI and the login page."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from app.auth import passwords, throttle
from app.auth.context import Actor
from app.auth.models import ORGANISATION_TYPES, Jeton, Organisation, Utilisateur
from app.auth.permissions import Role
from app.extensions import db

TOKEN_LIFETIME = timedelta(hours=8)


class AuthError(Exception):
    """Refused login; `message` is French and says nothing about which of login or password was wrong."""

    def __init__(self, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


class InvalidUser(ValueError):
    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def _fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def actor_of(user: Utilisateur, address: str | None = None) -> Actor:
    org = user.organisation
    return Actor(
        login=user.login,
        organisation=org.code,
        organisation_type=org.type,
        roles=frozenset(user.roles),
        user_id=user.id,
        address=address,
        contingents=frozenset(org.contingents or ()),
    )


def authenticate(login: str, password: str, address: str | None) -> Utilisateur:
    wait = throttle.retry_after(login, address)
    if wait is not None:
        minutes = max(1, round(wait / 60))
        raise AuthError(f"Trop de tentatives de connexion. Réessayez dans {minutes} minute(s).", retry_after=wait)
    user = db.session.scalar(select(Utilisateur).where(Utilisateur.login == login))
    # Always verify a hash, even for an unknown login: no enumeration through timing.
    ok = passwords.verify(user.mot_de_passe_hash if user else None, password)
    demo_refused = user is not None and user.demo and not current_app.config["SETTINGS"].demo_mode
    if not ok or user is None or not user.actif or demo_refused:
        throttle.record_failure(login, address)
        raise AuthError("Identifiant ou mot de passe incorrect.")
    throttle.reset_login(login)
    return user


def issue_token(user: Utilisateur, lifetime: timedelta = TOKEN_LIFETIME) -> tuple[str, datetime]:
    token = secrets.token_urlsafe(32)
    expires = datetime.now(UTC) + lifetime
    db.session.add(Jeton(empreinte=_fingerprint(token), utilisateur_id=user.id, expire_le=expires))
    db.session.commit()
    return token, expires


def user_for_token(token: str) -> tuple[Utilisateur, Jeton] | None:
    jeton = db.session.scalar(select(Jeton).where(Jeton.empreinte == _fingerprint(token)))
    if jeton is None or jeton.revoque_le is not None or jeton.expire_le <= datetime.now(UTC):
        return None
    if not jeton.utilisateur.actif:
        return None
    return jeton.utilisateur, jeton


def revoke(jeton: Jeton) -> None:
    jeton.revoque_le = datetime.now(UTC)
    db.session.commit()


def create_organisation(code: str, nom: str, type_: str, contingents: list[str] | None = None) -> Organisation:
    if type_ not in ORGANISATION_TYPES:
        raise InvalidUser({"type": [f"Type d'organisation inconnu : {type_}"]})
    org = db.session.scalar(select(Organisation).where(Organisation.code == code))
    if org is None:
        org = Organisation(code=code, nom=nom, type=type_, contingents=contingents or [])
        db.session.add(org)
    else:
        org.nom, org.type, org.contingents = nom, type_, contingents or []
    db.session.commit()
    return org


def create_user(login: str, organisation_code: str, roles: list[str], password: str, demo: bool = False) -> Utilisateur:
    errors: dict[str, list[str]] = {}
    org = db.session.scalar(select(Organisation).where(Organisation.code == organisation_code))
    if org is None:
        errors["organisation"] = [f"Organisation inconnue : {organisation_code}"]
    unknown = [r for r in roles if r not in Role._value2member_map_]
    if unknown or not roles:
        errors["roles"] = [f"Rôle inconnu : {', '.join(unknown)}" if unknown else "Au moins un rôle est requis."]
    if policy := passwords.policy_errors(password):
        errors["mot_de_passe"] = policy
    if db.session.scalar(select(Utilisateur.id).where(Utilisateur.login == login)) is not None:
        errors["login"] = [f"L'identifiant {login} existe déjà."]
    if errors:
        raise InvalidUser(errors)
    user = Utilisateur(
        login=login,
        organisation_id=org.id,
        roles=sorted(set(roles)),
        mot_de_passe_hash=passwords.hash_password(password),
        actif=True,
        demo=demo,
    )
    db.session.add(user)
    db.session.commit()
    return user


def set_password(login: str, password: str) -> None:
    if policy := passwords.policy_errors(password):
        raise InvalidUser({"mot_de_passe": policy})
    user = _get(login)
    user.mot_de_passe_hash = passwords.hash_password(password)
    _revoke_all(user)
    db.session.commit()


def disable(login: str) -> None:
    user = _get(login)
    user.actif = False
    _revoke_all(user)
    db.session.commit()


def _get(login: str) -> Utilisateur:
    user = db.session.scalar(select(Utilisateur).where(Utilisateur.login == login))
    if user is None:
        raise InvalidUser({"login": [f"Utilisateur inconnu : {login}"]})
    return user


def _revoke_all(user: Utilisateur) -> None:
    now = datetime.now(UTC)
    for jeton in db.session.scalars(select(Jeton).where(Jeton.utilisateur_id == user.id, Jeton.revoque_le.is_(None))):
        jeton.revoque_le = now
