"""Entry point of the `celery` command: `celery -A workers.main worker` / `celery -A workers.main beat`."""

from app import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
