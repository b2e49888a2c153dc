"""French error pages of the web blueprint (the API keeps its JSON errors)."""

from __future__ import annotations

from flask import render_template
from flask_wtf.csrf import CSRFError

from app.web.blueprint import bp

_MESSAGES = {
    400: ("Requête invalide", "La demande envoyée au serveur est invalide."),
    403: ("Accès refusé", "Votre rôle ne permet pas d'accéder à cette page."),
    404: ("Page introuvable", "Cette page n'existe pas ou plus."),
}


def _page(code: int, detail: str | None = None):
    titre, message = _MESSAGES[code]
    return render_template("erreur.html", code=code, titre=titre, message=detail or message), code


CSRF_MESSAGE = "Le formulaire a expiré ou n'est pas valide (jeton de sécurité manquant). Rechargez la page."


@bp.errorhandler(400)
def bad_request(error):
    return _page(400, CSRF_MESSAGE if isinstance(error, CSRFError) else None)


@bp.errorhandler(403)
def forbidden(error):
    return _page(403)


@bp.errorhandler(404)
def not_found(error):
    return _page(404)
