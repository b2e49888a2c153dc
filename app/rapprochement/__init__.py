"""Matching a logement against the demandes index: ranked, explained candidates, facets and exclusions."""
