"""Domain exceptions and the error pages they map to."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, default_exceptions


class TrackerError(Exception):
    """Base class: the message is Dutch and shown to the user."""

    status_code = 400


class ValidationError(TrackerError):
    """Input an operation refuses; ``field`` names the form field it belongs beside, when there is one."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


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
    401: "Niet aangemeld",
    403: "Geen toegang",
    404: "Niet gevonden",
    405: "Methode niet toegestaan",
    409: "Intussen gewijzigd",
    413: "Aanvraag te groot",
    414: "Adres te lang",
    422: "Niet opgeslagen",
    429: "Te veel pogingen",
    500: "Er ging iets mis",
}
_MESSAGES = {
    400: "De aanvraag kon niet verwerkt worden. Controleer het adres of het formulier en probeer het opnieuw.",
    401: "Meld u eerst aan; uw sessie is afgelopen of u was niet aangemeld. Er is niets opgeslagen.",
    404: "Deze pagina bestaat niet (meer). Controleer het adres of gebruik de zoekfunctie.",
    405: "Dit adres aanvaardt geen {method}-aanvraag; toegestaan: {allowed}.",
    413: "De verzonden gegevens zijn te groot (hoogstens {max_content}). Verstuur minder tekst of "
         "een kleiner bestand.",
    414: "Het adres is te lang: de zoekparameters (na het vraagteken) mogen samen hoogstens {max_query} tekens "
         "tellen en het pad hoogstens {max_path}. Verkort uw zoekopdracht of verwijder filters.",
    500: "Er ging iets mis aan onze kant. Er is niets opgeslagen; probeer het later opnieuw.",
}
_OTHER_4XX = "De aanvraag kon niet verwerkt worden (HTTP-fout {code})."
_ENGLISH = {e.description for e in default_exceptions.values() if isinstance(e.description, str)}
_CSRF = "Het formulier is verlopen of onvolledig. Laad de pagina opnieuw en probeer het nog eens."


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _size(n: int) -> str:
    if n and n % 1024 ** 2 == 0:
        return f"{_n(n // 1024 ** 2)} MB"
    if n > 1024 ** 2:
        return f"{n / 1024 ** 2:.1f} MB".replace(".", ",")
    return f"{_n(n)} bytes"


def _message(exc: HTTPException, code: int) -> str:
    """The Dutch message for an HTTP error: our own description, else the fixed text for its code.

    Werkzeug's default descriptions (and Flask-WTF's CSRF reasons) are English, so they are never shown.
    """
    own = exc.description and exc.description not in _ENGLISH
    if code >= 500:
        # A 503 may say what to do instead (print to PDF, try again later); other 5xx say nothing inside.
        return str(exc.description) if own and code == 503 else _MESSAGES[500]
    if isinstance(exc, CSRFError):
        return _CSRF
    if own and code not in (405, 413):
        return str(exc.description)
    from tracker.core.web import body_limit

    config = current_app.config
    return _MESSAGES.get(code, _OTHER_4XX).format(
        code=code, method=request.method[:20],
        allowed=", ".join(sorted(getattr(exc, "valid_methods", None) or ["GET"])),
        max_content=_size(body_limit() or 0),
        max_query=_n(config.get("MAX_QUERY_STRING_CHARS", 0)), max_path=_n(config.get("MAX_PATH_CHARS", 0)))


@bp.app_errorhandler(HTTPException)
def handle_http(exc: HTTPException):  # type: ignore[no-untyped-def]
    code = exc.code or 500
    message = _message(exc, code)
    # Keep the headers the exception carries (Allow on a 405), not its English HTML body's type.
    headers = [(k, v) for k, v in exc.get_headers() if k.lower() != "content-type"]
    if _wants_json():
        return jsonify(error=message, status=code), code, headers
    return render_template("error.html", code=code, title=_TITLES.get(code, "Fout"),
                           message=message), code, headers


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
