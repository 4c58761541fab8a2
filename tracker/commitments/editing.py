"""What every editor's form shares: run the operation, and on a refusal re-show the form with the input.

A refused write rolls back and re-shows the editor's own input: a ``ValidationError`` beside its field
(422), a ``Conflict`` with what changed meanwhile (409). Nothing is stored in either case (the request
commits only below 400).
"""
from __future__ import annotations

from enum import Enum
from typing import Any, Callable, TypeVar

from flask import redirect, request, url_for
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import Field

from tracker.core.db import db
from tracker.core.errors import Conflict, ValidationError

E = TypeVar("E", bound=Enum)
# Where an operation's field name differs from the form's (``ValidationError.field`` → form field).
FIELD_ALIASES = {"removal_reason": "reason", "source": "parent"}


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def enum_value(enum_cls: type[E], raw: str | None) -> E | str:
    """The member for a submitted value; an unknown value goes to the operation as it is (it refuses it)."""
    try:
        return enum_cls(raw)
    except ValueError:
        return raw or ""


def place_error(form: FlaskForm, exc: ValidationError) -> None:
    """Put the operation's message beside its field, or above the form when it belongs to none."""
    name = FIELD_ALIASES.get(exc.field or "", exc.field)
    field: Field | None = form._fields.get(name) if name else None
    if field is not None and name not in ("csrf_token",) and field.type != "HiddenField":
        field.errors = [*field.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))


def seen_version(form: FlaskForm) -> int | None:
    """The version (or audit marker) the form was shown with; None when it carries none."""
    raw = str(form.version.data or "").strip() if hasattr(form, "version") else ""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None


def _shown(value: Any) -> str:
    text = "(leeg)" if value in (None, "") else str(value)
    return f"“{text[:80]}{'…' if len(text) > 80 else ''}”"


def detailed_changes(obj: Any, seen: int | None, labels: dict[str, str], by_entry: bool = False) -> list[str]:
    """What others changed in ``obj`` after the version (or, ``by_entry``, the audit entry) ``seen``:
    each audit summary with the fields it changed, old → new."""
    from tracker.audit.models import LogEntry

    if seen is None:
        return []
    entries = db.session.scalars(select(LogEntry).where(
        LogEntry.target_type == obj.__tablename__, LogEntry.target_id == obj.id).order_by(LogEntry.id))
    lines = []
    for entry in entries:
        data = entry.data or {}
        if (entry.id if by_entry else data.get("version", 0)) <= seen:
            continue
        before, after = data.get("before") or {}, data.get("after") or {}
        fields = [f"{labels.get(name, name).split(' ', 1)[-1]} {_shown(before.get(name))} → {_shown(value)}"
                  for name, value in after.items() if name != "version"]
        lines.append(entry.summary + (": " + "; ".join(fields) if fields else ""))
    return lines


def submit(form: FlaskForm, write: Callable[[], Any], show: Callable[..., str],
           done: Callable[[Any], Any], fresh_version: Callable[[], int] | None = None,
           details: Callable[[int | None], list[str]] | None = None) -> Any:
    """The life of an editor's form: show it (GET), refuse it (422/409) or write and go on (``done``).

    :param write: calls the operation with the form's data; returns what ``done`` needs.
    :param show: renders the page with the form; takes ``conflict=`` for a version conflict.
    :param fresh_version: the record's version after a conflict, so that saving again is a choice
        made after seeing what changed, not a silent overwrite.
    :param details: what changed after the version the form carries, field by field (replaces the
        conflict's summaries).
    """
    if not form.validate_on_submit():
        return show(), 200 if request.method == "GET" else 422
    try:
        result = write()
    except ValidationError as exc:
        db.session.rollback()
        place_error(form, exc)
        return show(), 422
    except Conflict as exc:
        db.session.rollback()
        if details is not None:
            exc.changes = details(seen_version(form)) or exc.changes
        if fresh_version is not None and hasattr(form, "version"):
            form.version.data = str(fresh_version())
        return show(conflict=exc), 409
    return done(result)


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site may follow a form (never ``//elsewhere``)."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return fallback


def back_to(endpoint: str, **values: Any) -> Any:
    return redirect(url_for(endpoint, **values), code=303)
