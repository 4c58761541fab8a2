"""Helpers for the editors' forms: an operation's refusal shown beside the field it belongs to."""
from __future__ import annotations

from flask_wtf import FlaskForm

from tracker.core.errors import TrackerError


def attach_error(form: FlaskForm, exc: TrackerError, default_field: str | None = None) -> None:
    """Put ``exc``'s Dutch message beside its field (``exc.field``, else ``default_field``), else above the form."""
    name = getattr(exc, "field", None) or default_field
    target = getattr(form, name, None) if name else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))
