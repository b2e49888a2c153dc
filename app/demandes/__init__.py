"""Demandes de logement social: the record, its lifecycle, its API, bulk import."""
