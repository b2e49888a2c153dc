"""The one place that builds the Elasticsearch client, and the naming of the project's indices."""

from __future__ import annotations

from elasticsearch import Elasticsearch


def make_client(url: str, user: str, password: str, request_timeout: float = 10.0) -> Elasticsearch:
    """Client authenticated as the application's own least-privilege user (never `elastic`)."""
    return Elasticsearch(
        url,
        basic_auth=(user, password),
        request_timeout=request_timeout,
        retry_on_timeout=True,
        max_retries=2,
    )


def server_version(client: Elasticsearch) -> str:
    """Version of the local node. `GET /` is not served by the integ-test distribution; `_nodes` is."""
    nodes = client.nodes.info(node_id="_local", metric="_none", filter_path="nodes.*.version")
    return next(iter(nodes["nodes"].values()))["version"]
