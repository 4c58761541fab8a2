"""Request lifecycle (one transaction per request, request limits, response headers) and template helpers."""
from __future__ import annotations

from datetime import date, datetime
from urllib.parse import unquote_to_bytes

from flask import Flask, Response, current_app, request
from flask_wtf import CSRFProtect
from markupsafe import Markup, escape
from werkzeug.exceptions import RequestEntityTooLarge, RequestURITooLarge
from werkzeug.serving import WSGIRequestHandler

from tracker.core.clock import local
from tracker.core.signals import transaction_committed
from tracker.parsing import format_dutch_date, format_euro
from tracker.parsing.text import escape_markdown

csrf = CSRFProtect()


# Percent-encoded, one character takes at most 12 bytes (%F0%9F%98%80).
_MAX_ENCODED_BYTES_PER_CHAR = 12


UPLOAD_LIMIT_ATTR = "upload_limit_setting"


def accepts_upload(setting: str):  # type: ignore[no-untyped-def]
    """Let a view take a body up to the config value ``setting`` instead of MAX_CONTENT_LENGTH (a file upload)."""
    def mark(view):  # type: ignore[no-untyped-def]
        setattr(view, UPLOAD_LIMIT_ATTR, setting)
        return view
    return mark


def body_limit() -> int | None:
    """The largest body this request's view accepts: its upload limit, else MAX_CONTENT_LENGTH."""
    config = current_app.config
    view = current_app.view_functions.get(request.endpoint or "")
    setting = getattr(view, UPLOAD_LIMIT_ATTR, None)
    if setting and _signed_in():
        return config[setting]
    return config.get("MAX_CONTENT_LENGTH")


def _signed_in() -> bool:
    """Whether the request comes from a logged-in account: only they may send an upload's large body.

    Checked before the body is read (the CSRF check parses it before any view's role check), so that
    nobody without an account can make the server spool megabytes.
    """
    if getattr(current_app, "login_manager", None) is None:
        return True
    from flask_login import current_user

    return bool(current_user.is_authenticated)


def check_request_size() -> None:
    """Refuse over-long addresses (414) and bodies (413) before any view, CSRF check or routing error.

    The query string counts in characters after %-decoding (so a Dutch word with accents costs what it
    shows), against MAX_QUERY_STRING_CHARS; the path against MAX_PATH_CHARS.
    """
    config = current_app.config
    limit = config["MAX_QUERY_STRING_CHARS"]
    raw = request.query_string
    if len(raw) > limit and (
        len(raw) > _MAX_ENCODED_BYTES_PER_CHAR * limit
        or len(unquote_to_bytes(raw).decode("utf-8", "replace")) > limit
    ):
        raise RequestURITooLarge()
    if len(request.path) > config["MAX_PATH_CHARS"]:
        raise RequestURITooLarge()
    maximum = body_limit()
    request.max_content_length = maximum  # Werkzeug's form parser enforces the same limit
    if maximum is not None and (request.content_length or 0) > maximum:
        raise RequestEntityTooLarge()


def register_request_hooks(app: Flask) -> None:
    from tracker.core.db import db

    # First of all before_request functions (Flask-WTF's CSRF check reads the body).
    app.before_request_funcs.setdefault(None, []).insert(0, check_request_size)

    @app.after_request
    def _headers(response: Response) -> Response:
        # Name the application, not the server software and its versions.
        response.headers["Server"] = app.config["SERVER_HEADER"]
        return response

    @app.after_request
    def _commit(response: Response) -> Response:
        # Reads commit nothing; a failed request leaves no trace.
        if response.status_code >= 400:
            db.session.rollback()
            return response
        session = db.session()
        if session.in_transaction():
            session.commit()
            transaction_committed.send(app, in_request=True)
        return response


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.filters["dutch_date"] = _dutch_date
    # A recorded time (naive UTC) for <time datetime>, with its offset, as the text beside it shows it.
    app.jinja_env.filters["iso_moment"] = lambda value: local(value).isoformat(timespec="seconds")
    app.jinja_env.filters["euro"] = _euro
    app.jinja_env.filters["percent"] = lambda v: "–" if v is None else f"{round(v)} %"
    app.jinja_env.filters["paragraphs"] = _paragraphs
    app.jinja_env.filters["md"] = escape_markdown
    app.jinja_env.filters["md_paragraphs"] = lambda text: "\n\n".join(
        escape_markdown(p) for p in (text or "").split("\n\n") if p.strip())
    app.jinja_env.globals["url_with"] = _url_with
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions


def _dutch_date(value: date | datetime | None, empty: str = "datum onbekend") -> str:
    if value is None:
        return empty
    if isinstance(value, datetime):  # a recorded time (UTC), shown as Brussels time
        value = local(value)
        return f"{format_dutch_date(value.date())} {value:%H:%M}"
    return format_dutch_date(value)


def _euro(value: int | None) -> str:
    return "–" if value is None else format_euro(value)


def _paragraphs(text: str) -> Markup:
    parts = [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    return Markup("".join(f"<p>{escape(p)}</p>" for p in parts))


def _url_with(**changes: object) -> str:
    """The current URL with some query arguments replaced (None removes one)."""
    from urllib.parse import urlencode

    args = request.args.to_dict(flat=True)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = str(value)
    query = urlencode(args)
    return f"{request.path}?{query}" if query else request.path


class DevRequestHandler(WSGIRequestHandler):
    """The development server's request handler (``tracker run``), minus its own ``Server`` header.

    http.server adds ``Server: Werkzeug/x.y Python/x.y`` to every response, beside the one the app
    sets; this handler sends only the app's. Its own error pages (a request line over 64 KB, a
    malformed request) are in Dutch and name no versions either.
    """

    error_message_format = (
        '<!doctype html>\n<html lang="nl"><head><meta charset="utf-8"><title>Fout %(code)d</title></head>'
        "<body><h1>%(message)s</h1><p>%(explain)s</p></body></html>\n"
    )
    _DUTCH = {
        400: ("Ongeldige aanvraag", "De browser stuurde een aanvraag die de server niet begrijpt."),
        414: ("Adres te lang", "Het adres is te lang. Verkort uw zoekopdracht of verwijder filters."),
        431: ("Kopregels te groot", "De aanvraag bevat te veel of te lange kopregels."),
        501: ("Methode niet ondersteund", "Deze methode wordt niet ondersteund."),
        505: ("HTTP-versie niet ondersteund", "Deze versie van HTTP wordt niet ondersteund."),
    }

    def send_response(self, code: int, message: str | None = None) -> None:
        self.log_request(code)
        self.send_response_only(code, message)
        self.send_header("Date", self.date_time_string())

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        dutch = self._DUTCH.get(code, ("Fout", "De server kon deze aanvraag niet verwerken."))
        super().send_error(code, dutch[0], dutch[1])

