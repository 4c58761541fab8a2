"""Query arguments of the open-data routes: each bad value is a 400 with a Dutch message, never a 500.

Each helper takes the raw value (read in the view with request.args.get and a literal name, so the hostile-input
sweep finds the name) and the name to show in the message.
"""
from __future__ import annotations

import re
from typing import TypeVar

from werkzeug.exceptions import BadRequest

from tracker.core.enums import LabelledEnum

E = TypeVar("E", bound=LabelledEnum)

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 100_000
MAX_TEXT = 300
_UNPRINTABLE_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def exact_date(raw: str, name: str) -> None:
    """Refuse a date with spaces around it (``date_arg`` would forgive them; the API has one spelling)."""
    if raw != raw.strip():
        raise BadRequest(f'{name} "{shown(raw)}" heeft spaties; gebruik de vorm JJJJ-MM-DD, bijvoorbeeld 2024-06-30.')


def shown(raw: str) -> str:
    """A value as a message may echo it: short, without control characters."""
    return _UNPRINTABLE_RE.sub("?", raw[:40]) + ("…" if len(raw) > 40 else "")


def whole(raw: str, name: str, low: int, high: int, default: int | None = None) -> int | None:
    """A whole number from ``low`` to ``high`` in ASCII digits; empty gives ``default``."""
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > len(str(high)) or not low <= int(raw) <= high:
        raise BadRequest(f'{name} moet een geheel getal van {low} tot {high} zijn, niet "{shown(raw)}".')
    return int(raw)


def year(raw: str, name: str = "year") -> int | None:
    return whole(raw, name, 1000, 9999)


def page(raw: str) -> int:
    return whole(raw, "page", 1, MAX_PAGE, 1)  # type: ignore[return-value]


def per_page(raw: str) -> int:
    return whole(raw, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE)  # type: ignore[return-value]


def choice(raw: str, name: str, enum: type[E]) -> E | None:
    """One of an enum's values (empty: no filter)."""
    if not raw:
        return None
    for member in enum:
        if raw == member.value:
            return member
    allowed = ", ".join(m.value for m in enum)
    raise BadRequest(f'{name} "{shown(raw)}" bestaat niet; kies uit: {allowed}.')


def printable(raw: str) -> bool:
    return not _UNPRINTABLE_RE.search(raw)


def text(raw: str, name: str) -> str:
    """A key or a name to filter on, exactly (empty: no filter)."""
    if len(raw) > MAX_TEXT or not printable(raw):
        raise BadRequest(f"{name} mag hoogstens {MAX_TEXT} tekens tellen, zonder stuurtekens.")
    return raw
