"""Login throttling in Redis, per account and per client address (fixed windows)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app


@dataclass(frozen=True)
class Limits:
    per_login: int = 5
    per_address: int = 20
    window_s: int = 15 * 60


LIMITS = Limits()


def _keys(login: str, address: str | None) -> list[tuple[str, int]]:
    return [
        (f"fp:connexion:compte:{login.lower()}", LIMITS.per_login),
        (f"fp:connexion:adresse:{address or 'inconnue'}", LIMITS.per_address),
    ]


def retry_after(login: str, address: str | None) -> int | None:
    """Seconds to wait when one of the counters is exhausted, else None."""
    redis = current_app.extensions["redis"]
    for key, limit in _keys(login, address):
        count = redis.get(key)
        if count is not None and int(count) >= limit:
            return max(int(redis.ttl(key)), 1)
    return None


def record_failure(login: str, address: str | None) -> None:
    redis = current_app.extensions["redis"]
    pipe = redis.pipeline()
    for key, _ in _keys(login, address):
        pipe.incr(key)
        pipe.expire(key, LIMITS.window_s, nx=True)
    pipe.execute()


def reset_login(login: str) -> None:
    current_app.extensions["redis"].delete(f"fp:connexion:compte:{login.lower()}")
