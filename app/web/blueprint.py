"""The `web` blueprint: server-rendered pages in French."""

from flask import Blueprint

from app.web.libelles import filters

bp = Blueprint("web", __name__, template_folder="../templates")

for _name, _function in filters().items():
    bp.add_app_template_filter(_function, _name)
