"""Helpers for the editors' forms: an operation's refusal shown beside the field it belongs to."""
from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm

from tracker.core.errors import TrackerError

try:  # WTForms 3.3 deprecates (value, label) tuples as choices
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover  (WTForms before 3.3)
    SelectChoice = None


def choices(pairs: Any) -> list[Any]:
    """SelectField choices from ``(value, label)`` pairs, in the form this WTForms version wants."""
    return [SelectChoice(v, label) if SelectChoice else (v, label) for v, label in pairs]


def attach_error(form: FlaskForm, exc: TrackerError, default_field: str | None = None) -> None:
    """Put ``exc``'s Dutch message beside its field (``exc.field``, else ``default_field``), else above the form."""
    name = getattr(exc, "field", None) or default_field
    target = getattr(form, name, None) if name else None
    if target is not None and hasattr(target, "errors"):
        target.errors = [*target.errors, str(exc)]
    else:
        form.form_errors.append(str(exc))
