"""Elasticsearch side of the service: document builders, text folding, index lifecycle."""
