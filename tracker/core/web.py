"""Request lifecycle (one transaction per request) and template helpers."""
from __future__ import annotations

from datetime import date, datetime
from flask import Flask, Response, request
from flask_wtf import CSRFProtect
from markupsafe import Markup, escape

from tracker.parsing import format_dutch_date, format_euro

from tracker.core.signals import transaction_committed

csrf = CSRFProtect()


def register_request_hooks(app: Flask) -> None:
    from tracker.core.db import db

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
    app.jinja_env.filters["euro"] = _euro
    app.jinja_env.filters["percent"] = lambda v: "–" if v is None else f"{round(v)} %"
    app.jinja_env.filters["paragraphs"] = _paragraphs
    app.jinja_env.globals["url_with"] = _url_with
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions


def _dutch_date(value: date | datetime | None, empty: str = "datum onbekend") -> str:
    if value is None:
        return empty
    if isinstance(value, datetime):
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
