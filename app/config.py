"""Configuration from environment variables, with working local defaults.

The setup script (`scripts/services.sh`) writes generated credentials to a git-ignored env file (`.env`); it is
read here so that `flask`, `celery` and the tests need no manual export. Real deployments set the same variables
in their environment (see docker-compose.yml); an already-set variable always wins over the env file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent


def load_env_file() -> None:
    load_dotenv(os.environ.get("FP_ENV_FILE", ROOT / ".env"), override=False)


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str
    es_url: str
    es_user: str
    es_password: str
    es_index_prefix: str
    secret_key: str
    demo_mode: bool
    celery_queue: str
    timezone: str = "Europe/Paris"
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        load_env_file()
        missing = [
            name for name in ("DATABASE_URL", "REDIS_URL", "ES_APP_PASSWORD", "SECRET_KEY") if not os.environ.get(name)
        ]
        if missing:
            raise RuntimeError(
                f"missing configuration: {', '.join(missing)} (run `make run` once, or set them in the environment)"
            )
        return cls(
            database_url=os.environ["DATABASE_URL"],
            redis_url=os.environ["REDIS_URL"],
            es_url=os.environ.get("ES_URL", "http://127.0.0.1:9200"),
            es_user=os.environ.get("ES_APP_USER", "fichier_partage"),
            es_password=os.environ["ES_APP_PASSWORD"],
            es_index_prefix=os.environ.get("ES_INDEX_PREFIX", "fp"),
            secret_key=os.environ["SECRET_KEY"],
            demo_mode=_bool("FP_DEMO", False),
            celery_queue=os.environ.get("CELERY_QUEUE", "fichier-partage"),
        )
