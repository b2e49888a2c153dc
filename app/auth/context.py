"""Who is acting: the authenticated user of the request, or the system (workers, CLI, nightly jobs).

Services record `current_actor()` as the author of every event and audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import g


@dataclass(frozen=True)
class Actor:
    login: str
    organisation: str | None
    organisation_type: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    user_id: int | None = None
    address: str | None = None
    contingents: frozenset[str] = field(default_factory=frozenset)

    def can(self, permission: str) -> bool:
        from app.auth.permissions import permissions_of

        return permission in permissions_of(self.roles)

    @property
    def is_system(self) -> bool:
        return self.user_id is None


SYSTEM = Actor(login="systeme", organisation=None)


def current_actor() -> Actor:
    try:
        return g.get("actor") or SYSTEM
    except RuntimeError:  # outside any application context
        return SYSTEM
