"""Dutch dates: parse_dutch_date and format_dutch_date (27 november 2020)."""
from __future__ import annotations

import re
from datetime import date

from tracker.parsing.text import (
    _DUTCH_WEEKDAYS,
    _FLAGS,
    _MONTH_NUMBERS,
    DUTCH_MONTHS,
    DateError,
    _date_problem,
    _quote,
    _unify_spaces,
)

_WORD_DATE_RE = re.compile(
    r"(?:(?P<weekday>[a-z]+),?\s+)?(?P<day>[0-9]{1,2})\s+(?P<month>[a-z]+)\.?\s+(?P<year>[0-9]{4})",
    _FLAGS,
)
_NUMERIC_DATE_RE = re.compile(
    r"(?P<day>[0-9]{1,2})(?P<sep>[/.\-])(?P<month>[0-9]{1,2})(?P=sep)(?P<year>[0-9]{4})", _FLAGS
)
_ISO_DATE_RE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{1,2})-(?P<day>[0-9]{1,2})", _FLAGS)
_DATE_FORMS = '"27 november 2020", "27/11/2020" of "2020-11-27"'


def _date_error(text: str, reason: str) -> DateError:
    """Build a DateError with the standard Dutch message."""
    return DateError(f"Ongeldige datum {_quote(text)}: {reason}.")


def _make_date(text: str, year: int, month: int, day: int) -> date:
    """Build a date or raise DateError saying why it does not exist."""
    problem = _date_problem(year, month, day)
    if problem:
        raise _date_error(text, problem)
    return date(year, month, day)


def parse_dutch_date(text: str) -> date:
    """Parse '27 november 2020', 'vrijdag 27 november 2020', '27/11/2020' or '2020-11-27'."""
    if not isinstance(text, str):
        raise DateError(f"Ongeldige datum {text!r}: tekst verwacht.")
    value = " ".join(_unify_spaces(text).split())
    if not value:
        raise _date_error(text, "de datum is leeg")
    numeric = _NUMERIC_DATE_RE.fullmatch(value) or _ISO_DATE_RE.fullmatch(value)
    if numeric:
        return _make_date(
            text, int(numeric.group("year")), int(numeric.group("month")), int(numeric.group("day"))
        )
    words = _WORD_DATE_RE.fullmatch(value)
    if not words:
        raise _date_error(text, f"onbekende schrijfwijze; verwacht bv. {_DATE_FORMS}")
    month_word = words.group("month").lower()
    if month_word not in _MONTH_NUMBERS:
        raise _date_error(text, f'onbekende maand "{words.group("month")}"')
    result = _make_date(
        text, int(words.group("year")), _MONTH_NUMBERS[month_word], int(words.group("day"))
    )
    weekday = words.group("weekday")
    if weekday:
        if weekday.lower() not in _DUTCH_WEEKDAYS:
            raise _date_error(text, f'onbekende weekdag "{weekday}"')
        actual = _DUTCH_WEEKDAYS[result.weekday()]
        if weekday.lower() != actual:
            raise _date_error(
                text, f"{format_dutch_date(result)} is een {actual}, geen {weekday.lower()}"
            )
    return result


def format_dutch_date(value: date) -> str:
    """Format a date in Dutch, e.g. date(2020, 11, 27) -> '27 november 2020'.

    The year has four digits ('1 januari 0001'), so that parse_dutch_date reads back every date.
    """
    return f"{value.day} {DUTCH_MONTHS[value.month - 1]} {value.year:04d}"
