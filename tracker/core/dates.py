"""Reading dates from query arguments."""
from __future__ import annotations

from datetime import date

from flask import request
from werkzeug.exceptions import BadRequest


def date_arg(name: str, label: str) -> date | None:
    """A YYYY-MM-DD query argument. :raise 400: with a Dutch message for anything else."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(f'"{raw[:40]}" is geen geldige {label}. Gebruik de vorm JJJJ-MM-DD, bijvoorbeeld 2024-06-30.')
