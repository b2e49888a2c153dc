"""Vacant logements of the bailleurs (system of record) and their `/api/v1/logements` API."""
