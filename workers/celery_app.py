"""The Celery application. Tasks run inside the Flask app context (database session, ES client, settings).

Broker and result backend: Redis (run with `maxmemory-policy noeviction` and append-only persistence).
Tasks acknowledge late, after their work is durable, and a task lost with its worker is redelivered.
"""

from __future__ import annotations

from celery import Celery, Task
from flask import Flask

from app.config import Settings

# Longest task we run (a full rebuild checkpoints in batches) must stay below this, or Redis redelivers it.
VISIBILITY_TIMEOUT_S = 3600


def make_celery(flask_app: Flask) -> Celery:
    settings: Settings = flask_app.config["SETTINGS"]

    class FlaskTask(Task):
        def __call__(self, *args, **kwargs):
            with flask_app.app_context():
                from app.baremes.service import synchroniser

                synchroniser()  # the barèmes in force (the gestionnaire may have changed them since the last task)
                return self.run(*args, **kwargs)

    app = Celery(flask_app.import_name, task_cls=FlaskTask)
    app.conf.update(
        broker_url=settings.redis_url,
        result_backend=None,
        task_ignore_result=True,
        task_default_queue=settings.celery_queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options={"visibility_timeout": VISIBILITY_TIMEOUT_S},
        broker_connection_retry_on_startup=True,
        # On a lost broker connection, late-ack tasks are cancelled and redelivered rather than half-acknowledged.
        worker_cancel_long_running_tasks_on_connection_loss=True,
        timezone=settings.timezone,
        enable_utc=True,
        worker_hijack_root_logger=False,
        include=["workers.retention", "workers.tasks", "workers.demandes_tasks", "workers.shortlists"],
    )
    from workers.schedule import beat_schedule

    app.conf.beat_schedule = beat_schedule()
    flask_app.extensions["celery"] = app
    return app
