"""Nightly erasure of personal data one year after radiation."""

from __future__ import annotations

from celery import shared_task

from app.retention import erase_expired


@shared_task(name="retention.erase_expired")
def erase_expired_task() -> int:
    return len(erase_expired())
