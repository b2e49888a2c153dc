"""Structured JSON logs on standard error, one object per line, for the web app, the workers and the CLI."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter


def configure_logging(level: str = "INFO") -> None:
    root = logging.getLogger()
    if any(getattr(h, "_fp_json", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s", rename_fields={"levelname": "level"})
    )
    handler._fp_json = True  # type: ignore[attr-defined]
    root.handlers = [handler]
    root.setLevel(level)
    # Client libraries log every HTTP request at INFO: keep them for debugging only.
    for noisy in ("elastic_transport", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
