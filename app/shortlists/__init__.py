"""Nightly shortlists: N candidates proposed for every vacant logement, a household in at most K proposals."""
