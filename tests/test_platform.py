"""The platform: real services reachable, secured, and reported by the readiness probe."""

from __future__ import annotations

import os
import time

import pytest
import requests

from tests.conftest import services


def test_healthz_needs_no_authentication(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_readyz_reports_every_component_with_elasticsearch_9(client, celery_worker_process):
    response = client.get("/readyz")
    body = response.get_json()
    assert response.status_code == 200, body
    assert set(body["components"]) == {"database", "redis", "elasticsearch", "celery"}
    assert body["components"]["elasticsearch"]["version"].startswith("9.")
    assert any("fp-test-worker" in w for w in body["components"]["celery"]["workers"])


def _wait_ready(client, expected: int, timeout: float = 30) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        response = client.get("/readyz")
        if response.status_code == expected or time.monotonic() > deadline:
            return {**response.get_json(), "http_status": response.status_code}
        time.sleep(0.5)


@pytest.mark.disruptive
def test_readyz_names_redis_when_it_is_down_and_recovers(client, celery_worker_process):
    services("stop", "redis")
    try:
        down = _wait_ready(client, 503)
        assert down["http_status"] == 503
        assert "redis" in down["failing"]
        assert down["components"]["redis"]["status"] == "error"
        assert down["components"]["database"]["status"] == "ok"
    finally:
        services("start-one", "redis")
    up = _wait_ready(client, 200, timeout=60)
    assert up["http_status"] == 200, up


def test_elasticsearch_refuses_anonymous_requests():
    response = requests.get(os.environ.get("ES_URL", "http://127.0.0.1:9200") + "/_cluster/health", timeout=5)
    assert response.status_code == 401


def test_application_user_cannot_touch_other_indices(app):
    from elasticsearch import AuthorizationException

    es = app.extensions["elasticsearch"]
    with pytest.raises(AuthorizationException):
        es.indices.create(index="not-the-projects-index")


def test_redis_is_configured_as_a_durable_broker(app):
    r = app.extensions["redis"]
    assert r.config_get("maxmemory-policy")["maxmemory-policy"] == "noeviction"
    assert r.config_get("appendonly")["appendonly"] == "yes"


def test_redis_requires_a_password(app):
    import redis

    url = os.environ["REDIS_URL"]
    host_port = url.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.split(":")
    with pytest.raises(redis.AuthenticationError):
        redis.Redis(host=host, port=int(port)).ping()
