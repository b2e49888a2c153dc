"""Flask application factory of the shared-file matching service."""

from __future__ import annotations

from typing import Any

import redis
from flask import Flask
from flask_smorest import Api

from app.config import Settings
from app.extensions import db, migrate
from app.logging import configure_logging
from indexing.client import make_client
from workers.celery_app import make_celery


def register_matching_blueprints(api: Api) -> None:
    """Logements, candidats (rapprochement), CAL lists and nightly shortlists (issue 5)."""
    from app.cal.api import blp as cal_blp
    from app.logements.api import blp as logements_blp
    from app.rapprochement.api import blp as rapprochement_blp
    from app.shortlists.api import blp as shortlists_blp

    for blueprint in (logements_blp, rapprochement_blp, cal_blp, shortlists_blp):
        api.register_blueprint(blueprint)


def register_web(app: Flask, api: Api) -> None:
    """Agents' web pages (session login, CSRF) and the statistics API (issue 6)."""
    from app import web
    from app.statistiques.api import blp as statistiques_blp

    api.register_blueprint(statistiques_blp)
    web.init_app(app)


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    configure_logging()
    settings = Settings.from_env()
    app = Flask(__name__)
    app.config.update(
        SETTINGS=settings,
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        JSON_SORT_KEYS=False,
        API_TITLE="Fichier partagé de la demande locative sociale — rapprochement",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    app.config.update(overrides or {})

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    app.extensions["redis"] = redis.Redis.from_url(settings.redis_url, socket_timeout=3, socket_connect_timeout=3)
    app.extensions["elasticsearch"] = make_client(settings.es_url, settings.es_user, settings.es_password)

    from app import models  # noqa: F401  (register every table on the metadata)
    from app.api_errors import ServiceApi, register_error_handlers
    from app.audit_api import blp as acces_blp
    from app.auth import guard
    from app.auth.api import blp as auth_blp
    from app.baremes.service import install as install_baremes
    from app.cli import register_cli
    from app.demandes.api import blp as demandes_blp
    from app.demandes.imports_api import blp as imports_blp
    from app.demandes.search_api import blp as demandes_recherche_blp
    from app.health import bp as health_bp
    from app.outbox import install_after_commit_hook
    from app.referentiel.api import blp as referentiel_blp

    guard.init_app(app)
    app.register_blueprint(health_bp)
    api = ServiceApi(app, spec_kwargs={"security": [{"bearerAuth": []}]})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.register_blueprint(auth_blp)
    api.register_blueprint(acces_blp)
    api.register_blueprint(referentiel_blp)
    register_matching_blueprints(api)
    api.register_blueprint(demandes_recherche_blp)
    api.register_blueprint(demandes_blp)
    api.register_blueprint(imports_blp)
    register_error_handlers(app)
    install_after_commit_hook(app)
    install_baremes(app)
    register_web(app, api)
    register_cli(app)
    make_celery(app)
    return app
