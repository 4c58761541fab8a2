"""What the parsers share: their error classes, Dutch month names, space handling and message quoting."""
from __future__ import annotations

import re
from datetime import date


class AmountError(ValueError):
    """An amount could not be read as a whole number of euros."""


class DocumentNumberError(ValueError):
    """A document number of the Flemish Government is invalid."""


class DateError(ValueError):
    """A date could not be read."""


# --------------------------------------------------------------------------- shared helpers

DUTCH_MONTHS: tuple[str, ...] = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)
_DUTCH_WEEKDAYS: tuple[str, ...] = (
    "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
)
_MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "febr": 2, "mrt": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}
_MONTH_NUMBERS: dict[str, int] = {
    **{name: i for i, name in enumerate(DUTCH_MONTHS, start=1)},
    **_MONTH_ABBREVIATIONS,
}

# Spaces that typesetters use as thousands separator or that sneak in from PDFs.
_SPACE_CHARS = "\u00a0\u202f\u2007\u2009\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
_SPACE_TABLE = str.maketrans({c: " " for c in _SPACE_CHARS})

# ASCII so that \s, \d and case folding never match exotic Unicode characters.
_FLAGS = re.ASCII | re.IGNORECASE


def _quote(text: str) -> str:
    """Quote user input for an error message, shortened when very long."""
    shown = text if len(text) <= 80 else text[:77] + "…"
    return f'"{shown}"'


def _unify_spaces(text: str) -> str:
    """Replace non-breaking and other typographic spaces by a plain space."""
    return text.translate(_SPACE_TABLE)


def _date_problem(year: int, month: int, day: int) -> str | None:
    """Describe in Dutch why year/month/day is not a real date, or None if it is."""
    if not 1 <= month <= 12:
        return f"maand {month} bestaat niet"
    if day < 1:
        return f"dag {day} bestaat niet"
    if not 1 <= year <= 9999:
        return f"jaar {year} bestaat niet"
    try:
        date(year, month, day)
    except ValueError:
        return f"{day} {DUTCH_MONTHS[month - 1]} {year} bestaat niet"
    return None




_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+\-!|~])")


def escape_markdown(text: object) -> str:
    """Text that Markdown shows as written (titles hold brackets, asterisks and hyphens), on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text or "").split()))
