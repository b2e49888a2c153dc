"""Organisations, users, roles, authentication and the permission matrix."""
