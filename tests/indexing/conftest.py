from __future__ import annotations

import pytest

from tests.indexing import helpers


@pytest.fixture
def es(app_ctx):
    return app_ctx.extensions["elasticsearch"]


@pytest.fixture
def clean(app_ctx, es):
    """Empty demandes/outbox tables and a fresh test index for each test."""
    helpers.reset(es)
    yield app_ctx
    from app.extensions import db

    db.session.rollback()
