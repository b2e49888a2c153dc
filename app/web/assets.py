"""Front-end libraries installed from npm (package.json, pinned in package-lock.json) served by the application
itself: no CDN at run time. Only the files listed here are reachable."""

from __future__ import annotations

from flask import Flask, abort, send_from_directory

from app.config import ROOT

NODE_MODULES = ROOT / "node_modules"
VENDOR: dict[str, str] = {
    "chart.umd.min.js": "chart.js/dist/chart.umd.min.js",
}


def vendor(name: str):
    relative = VENDOR.get(name)
    if relative is None:
        abort(404)
    path = NODE_MODULES / relative
    if not path.is_file():
        abort(404)
    return send_from_directory(path.parent, path.name, max_age=3600)


def init_app(app: Flask) -> None:
    app.add_url_rule("/static/vendor/<path:name>", "vendor", vendor)
