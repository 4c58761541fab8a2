"""Amounts in euros as Belgian documents print them: parse_amount and format_euro."""
from __future__ import annotations

import re

from tracker.parsing.text import _FLAGS, AmountError, _quote, _unify_spaces

MAX_AMOUNT_DIGITS = 15
"""Longest accepted amount (999.999.999.999.999 euro); keeps values inside a 64-bit integer."""

_CURRENCY_RE = re.compile(r"€|(?<![A-Za-z])(?:euro|eur)(?![A-Za-z])", _FLAGS)
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_NEGATIVE_SIGNS = "-\u2212\u2013\u2014"
_ZERO_CENT_MARKS = {"-", "--", "\u2013", "\u2014"}
# "5,000" or "12,500": English thousands (5000, 12500) or Belgian decimals (5, 12.50)? One to three
# digits without a leading zero before the comma and exactly three after it could be either, so the
# amount is refused; "1234,000" or "0,500" can only be decimals, "5.000,000" has its thousands point.
_AMBIGUOUS_RE = re.compile(r"[1-9][0-9]{0,2}")
_THREE_DIGITS_RE = re.compile(r"[0-9]{3}")
_COMMA_THOUSANDS_RE = re.compile(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+")


def _amount_error(text: str, reason: str) -> AmountError:
    """Build an AmountError with the standard Dutch message."""
    return AmountError(f"Ongeldig bedrag {_quote(text)}: {reason}.")


def _check_cents(text: str, decimals: str) -> None:
    """Accept only zero cents (',00' or ',-') after the decimal comma."""
    if decimals in _ZERO_CENT_MARKS:
        return
    if not decimals:
        raise _amount_error(text, "er staan geen cijfers na de komma")
    if not re.fullmatch(r"[0-9]+", decimals):
        raise _amount_error(text, f'ongeldige decimalen ",{decimals}" na de komma')
    if decimals.strip("0"):
        raise _amount_error(
            text,
            f"het bedrag bevat eurocent (,{decimals}); de tracker bewaart enkel hele euro's, "
            "rond het bedrag af op een hele euro",
        )


def _integer_digits(text: str, integer_part: str, has_comma: bool) -> str:
    """Validate the part before the decimal comma and return its bare digits."""
    bad = re.search(r"[^0-9. ]", integer_part)
    if bad:
        raise _amount_error(text, f'onverwacht teken "{bad.group()}"')
    has_dot, has_space = "." in integer_part, " " in integer_part
    if has_dot and has_space:
        raise _amount_error(
            text, "punt en spatie staan door elkaar als scheidingsteken voor duizendtallen"
        )
    if not (has_dot or has_space):
        return integer_part
    separator = "." if has_dot else " "
    groups = integer_part.split(separator)
    if (
        separator == "."
        and not has_comma
        and len(groups) == 2
        and groups[0]
        and 1 <= len(groups[1]) <= 2
    ):
        raise _amount_error(
            text,
            "de punt wordt als decimaalteken gebruikt; in Belgische notatie is de punt "
            "het scheidingsteken voor duizendtallen en de komma het decimaalteken",
        )
    if any(not group for group in groups):
        what = "punt" if separator == "." else "spatie"
        raise _amount_error(text, f"een {what} als scheidingsteken zonder cijfers errond")
    if len(groups[0]) > 3 or any(len(group) != 3 for group in groups[1:]):
        raise _amount_error(text, "groepen van drie cijfers verwacht na het scheidingsteken")
    if groups[0].startswith("0"):
        raise _amount_error(text, "een voorloopnul voor het scheidingsteken van duizendtallen")
    return "".join(groups)


def parse_amount(text: str) -> int:
    """Parse a Belgian euro amount ('€ 1.362.000', '5 000 000 €', ...) into whole euros."""
    if not isinstance(text, str):
        raise AmountError(f"Ongeldig bedrag {text!r}: tekst verwacht.")
    body = _unify_spaces(text).strip()
    if not body:
        raise _amount_error(text, "het bedrag is leeg")
    if body[0] in _NEGATIVE_SIGNS:
        raise _amount_error(text, "negatieve bedragen zijn niet toegelaten")
    marks = list(_CURRENCY_RE.finditer(body))
    if len(marks) > 1:
        raise _amount_error(
            text, "het bevat meer dan één muntteken; schrijf €, EUR of euro maar één keer"
        )
    if marks:
        mark = marks[0]
        if mark.start() == 0:
            body = body[mark.end():]
        elif mark.end() == len(body):
            body = body[: mark.start()]
        else:
            raise _amount_error(text, "het muntteken staat midden in het bedrag")
        body = body.strip()
    if not body:
        raise _amount_error(text, "er staat geen getal in")
    if body[0] in _NEGATIVE_SIGNS:
        raise _amount_error(text, "negatieve bedragen zijn niet toegelaten")
    letters = _LETTERS_RE.search(body)
    if letters:
        raise _amount_error(
            text,
            f'onverwachte letters "{letters.group()}"; alleen de munteenheid '
            "(€, EUR of euro) mag bij het getal staan",
        )
    if body.count(",") > 1:
        if _COMMA_THOUSANDS_RE.fullmatch(body):
            raise _amount_error(
                text,
                "de komma wordt als scheidingsteken voor duizendtallen gebruikt; in Belgische notatie "
                f'is dat de punt: schrijf "{body.replace(",", ".")}"',
            )
        raise _amount_error(text, "er staat meer dan één komma in")
    integer_part, comma, decimals = body.partition(",")
    if not integer_part:
        raise _amount_error(text, "er staan geen cijfers voor de komma")
    if comma and _AMBIGUOUS_RE.fullmatch(integer_part) and _THREE_DIGITS_RE.fullmatch(decimals):
        cents = decimals[:2]
        decimal_reading = integer_part if cents == "00" else f"{integer_part},{cents}"
        raise _amount_error(
            text,
            "dubbelzinnig: een komma met precies drie cijfers erna kan duizendtallen of decimalen "
            f'scheiden; schrijf "{integer_part}.{decimals}" als u € {integer_part}.{decimals} bedoelt '
            f'(punt voor duizendtallen) of "{integer_part},{cents}" als u € {decimal_reading} bedoelt '
            "(komma voor decimalen)",
        )
    if comma:
        _check_cents(text, decimals)
    digits = _integer_digits(text, integer_part, bool(comma))
    if len(digits.lstrip("0")) > MAX_AMOUNT_DIGITS:
        raise _amount_error(
            text, f"het bedrag is onrealistisch groot (meer dan {MAX_AMOUNT_DIGITS} cijfers)"
        )
    return int(digits)


def format_euro(amount: int) -> str:
    """Format whole euros the Belgian way: 1362000 -> '€ 1.362.000', -1000 -> '€ -1.000'."""
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise TypeError(f"Een bedrag in hele euro's (int) verwacht, niet {amount!r}.")
    sign = "-" if amount < 0 else ""
    return f"€ {sign}{abs(amount):,}".replace(",", ".")


