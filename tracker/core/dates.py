"""Reading dates from query arguments."""
from __future__ import annotations

import re
from datetime import date

from flask import request
from werkzeug.exceptions import BadRequest

_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_UNPRINTABLE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def date_arg(name: str, label: str) -> date | None:
    """A YYYY-MM-DD query argument (ASCII digits only). :raise 400: with a Dutch message for anything else.

    ``date.fromisoformat`` alone would also take 20240630 and 2024-W26-7; a permalink has one spelling.
    """
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if _ISO_DATE_RE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    shown = _UNPRINTABLE_RE.sub("?", raw[:40]) + ("…" if len(raw) > 40 else "")
    raise BadRequest(f'"{shown}" is geen geldige {label}. Gebruik de vorm JJJJ-MM-DD, bijvoorbeeld 2024-06-30.')
