"""Domain exceptions and the error pages they map to."""
from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from werkzeug.exceptions import HTTPException


class TrackerError(Exception):
    """Base class: the message is Dutch and shown to the user."""

    status_code = 400


class ValidationError(TrackerError):
    status_code = 400


class NotAllowed(TrackerError):
    status_code = 403


class InvalidTransition(TrackerError):
    status_code = 400


class Conflict(TrackerError):
    """The record changed after the user loaded it."""

    status_code = 409

    def __init__(self, message: str, changes: list[str] | None = None) -> None:
        super().__init__(message)
        self.changes = changes or []


bp = Blueprint("errors", __name__)

_TITLES = {
    400: "Ongeldige aanvraag",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    409: "Intussen gewijzigd",
    500: "Er ging iets mis",
}
_MESSAGES = {
    404: "Deze pagina bestaat niet (meer). Controleer het adres of gebruik de zoekfunctie.",
    500: "Er ging iets mis aan onze kant. Er is niets opgeslagen; probeer het later opnieuw.",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


@bp.app_errorhandler(HTTPException)
def handle_http(exc: HTTPException):  # type: ignore[no-untyped-def]
    code = exc.code or 500
    message = _MESSAGES.get(code) or (exc.description if code < 500 else _MESSAGES[500])
    if _wants_json():
        return jsonify(error=message, status=code), code
    return render_template("error.html", code=code, title=_TITLES.get(code, "Fout"),
                           message=message), code


@bp.app_errorhandler(TrackerError)
def handle_tracker_error(exc: TrackerError):  # type: ignore[no-untyped-def]
    from tracker.core.db import db

    db.session.rollback()
    code = exc.status_code
    changes = getattr(exc, "changes", [])
    if _wants_json():
        return jsonify(error=str(exc), status=code, changes=changes), code
    return render_template("error.html", code=code, title=_TITLES.get(code, "Fout"),
                           message=str(exc), changes=changes), code
