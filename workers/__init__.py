"""Celery app, tasks and beat schedule."""
