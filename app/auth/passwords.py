"""Password hashing (Argon2id, argon2-cffi defaults) and the length policy."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12
MAX_LENGTH = 128

_hasher = PasswordHasher()
# Verified when the login is unknown, so that a wrong login costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("mot de passe factice pour égaliser les temps")


def policy_errors(password: str) -> list[str]:
    if len(password) < MIN_LENGTH:
        return [f"Le mot de passe doit comporter au moins {MIN_LENGTH} caractères."]
    if len(password) > MAX_LENGTH:
        return [f"Le mot de passe doit comporter au plus {MAX_LENGTH} caractères."]
    return []


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False
