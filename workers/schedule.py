"""Celery beat schedule (Europe/Paris)."""

from __future__ import annotations

from typing import Any


def beat_schedule() -> dict[str, dict[str, Any]]:
    return {}
