"""Parse and format amounts, document numbers and dates as Flemish government texts write them.

Three groups of helpers, all stdlib only:

* Amounts: ``parse_amount`` turns Belgian spellings such as ``€ 1.362.000``,
  ``5 000 000 €`` or ``1.362.000,00 EUR`` into whole euros; ``format_euro`` writes
  them back as ``€ 1.362.000``.
* Document numbers of the Flemish Government (``VR 2020 2711 DOC.1294/1BIS``):
  ``DocumentNumber`` plus ``parse_document_number(s)`` for one field,
  ``find_document_numbers`` for running text and ``normalise_document_token`` for
  search indexes.
* Dates: ``parse_dutch_date`` / ``format_dutch_date`` (``27 november 2020``).

Every error is a ``ValueError`` subclass of this module with a Dutch message that
quotes the input and says what is wrong, because users see these messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = [
    "AmountError",
    "DateError",
    "DocumentNumber",
    "DocumentNumberError",
    "DUTCH_MONTHS",
    "MAX_AMOUNT_DIGITS",
    "SUFFIXES",
    "find_document_numbers",
    "format_dutch_date",
    "format_euro",
    "normalise_document_token",
    "parse_amount",
    "parse_document_number",
    "parse_document_numbers",
    "parse_dutch_date",
]


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


# --------------------------------------------------------------------------- amounts

MAX_AMOUNT_DIGITS = 15
"""Longest accepted amount (999.999.999.999.999 euro); keeps values inside a 64-bit integer."""

_CURRENCY_RE = re.compile(r"€|(?<![A-Za-z])(?:euro|eur)(?![A-Za-z])", _FLAGS)
_LETTERS_RE = re.compile(r"[^\W\d_]+")
_NEGATIVE_SIGNS = "-\u2212\u2013\u2014"
_ZERO_CENT_MARKS = {"-", "--", "\u2013", "\u2014"}


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
        raise _amount_error(text, "er staat meer dan één komma in")
    integer_part, comma, decimals = body.partition(",")
    if not integer_part:
        raise _amount_error(text, "er staan geen cijfers voor de komma")
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


# --------------------------------------------------------------------------- document numbers

SUFFIXES: tuple[str, ...] = (
    "BIS", "TER", "QUATER", "QUINQUIES", "SEXIES", "SEPTIES", "OCTIES", "NOVIES", "DECIES",
)
"""Version suffixes in order: no suffix is version 1, BIS version 2, TER version 3, ..."""

_VERSION_BY_SUFFIX: dict[str, int] = {s: i for i, s in enumerate(SUFFIXES, start=2)}
_MIN_YEAR, _MAX_YEAR = 1980, 2100
_MAX_POSITION = 999
_MAX_VERSION = len(SUFFIXES) + 1
_EXPECTED_FORM = "verwacht: VR jjjj DDMM DOC.nnnn/p, bv. VR 2020 2711 DOC.1294/1"
_SUFFIX_ALTERNATIVES = "|".join(SUFFIXES)


def _suffix_for(version: int) -> str:
    """Return the suffix for a version number ('' for version 1)."""
    return "" if version == 1 else SUFFIXES[version - 2]


def _int_field_problem(name: str, value: object, low: int, high: int) -> str | None:
    """Check that value is an int (not bool) within [low, high]; describe the problem in Dutch."""
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{name} moet een geheel getal zijn, niet {value!r}"
    if not low <= value <= high:
        return f"{name} {value} ligt buiten {low}–{high}"
    return None


def _field_problem(
    year: int, day: int, month: int, case: int, position: int, version: int
) -> str | None:
    """Describe in Dutch what makes these document number fields invalid, or None."""
    problem = (
        _int_field_problem("jaar", year, _MIN_YEAR, _MAX_YEAR)
        or _int_field_problem("dag", day, 0, 99)
        or _int_field_problem("maand", month, 0, 99)
        or _int_field_problem("dossiernummer", case, 1, 9999)
        or _int_field_problem("positie", position, 1, _MAX_POSITION)
        or _int_field_problem("versie", version, 1, _MAX_VERSION)
    )
    return problem or _date_problem(year, month, day)


@dataclass(frozen=True)
class DocumentNumber:
    """A Flemish Government document number such as VR 2021 0204 DOC.0330/1BIS."""

    year: int
    day: int
    month: int
    case: int
    position: int
    version: int = 1

    def __post_init__(self) -> None:
        """Refuse impossible numbers so that no invalid DocumentNumber can exist."""
        problem = _field_problem(
            self.year, self.day, self.month, self.case, self.position, self.version
        )
        if problem:
            raise DocumentNumberError(f"Ongeldig documentnummer: {problem}.")

    def __str__(self) -> str:
        """Return the canonical form."""
        return self.canonical

    @property
    def suffix(self) -> str:
        """Version suffix: '' for version 1, 'BIS' for 2, 'TER' for 3, ..."""
        return _suffix_for(self.version)

    @property
    def canonical(self) -> str:
        """Canonical spelling, e.g. 'VR 2021 0204 DOC.0330/1BIS'."""
        return (
            f"VR {self.year:04d} {self.day:02d}{self.month:02d} "
            f"DOC.{self.case:04d}/{self.position}{self.suffix}"
        )

    @property
    def meeting_date(self) -> date:
        """Date of the government meeting (VR 2020 2711 -> 2020-11-27)."""
        return date(self.year, self.month, self.day)

    @property
    def case_key(self) -> str:
        """Key shared by all pieces of one case, e.g. '2020-1294'."""
        return f"{self.year:04d}-{self.case:04d}"

    @property
    def sort_key(self) -> tuple[int, int, int, int, int, int]:
        """Chronological sort key (meeting date, case, position, version)."""
        return (self.year, self.month, self.day, self.case, self.position, self.version)

    @property
    def search_tokens(self) -> list[str]:
        """Normalised tokens under which a search index should store this number.

        Every token is a fixed point of ``normalise_document_token``: the index stores
        these tokens and looks up ``normalise_document_token(query)``. So 'DOC.1294/1',
        'VR 2020 2711 DOC.1294/1', 'VR20202711 DOC.1294/1', '1294/1' and 'doc.1294' all
        find VR 2020 2711 DOC.1294/1. A version (BIS, ...) is also found by the
        number without suffix.
        """
        meeting = f"vr{self.year:04d}{self.day:02d}{self.month:02d}"
        case = f"{self.case:04d}"
        piece = f"{case}{self.position}"
        suffix = self.suffix.lower()
        tokens = [
            f"{meeting}doc{piece}{suffix}",
            f"doc{piece}{suffix}",
            f"{piece}{suffix}",
        ]
        if suffix:
            tokens += [f"{meeting}doc{piece}", f"doc{piece}", piece]
        tokens += [f"{meeting}doc{case}", f"doc{case}", meeting]
        return list(dict.fromkeys(tokens))


_DOC_PAD_RE = re.compile(r"(doc[^a-z0-9]*)([0-9]{1,3})(?![0-9])", _FLAGS)
_BARE_PIECE_RE = re.compile(r"\s*([0-9]{1,3})(\s*/\s*[0-9]+\s*[a-z]*\s*)", _FLAGS)
_NON_TOKEN_RE = re.compile(r"[^a-z0-9]+")


def _pad_doc_cases(value: str) -> str:
    """Zero-pad case numbers of one to three digits written after 'doc' to four digits."""
    return _DOC_PAD_RE.sub(lambda m: m.group(1) + m.group(2).zfill(4), value)


def normalise_document_token(text: str) -> str:
    """Normalise a document number or fragment for indexing and querying alike.

    The idea: lower-case and drop every character other than a-z and 0-9, so that
    'VR 2020 2711 DOC.1294/1', 'VR20202711 DOC.1294/1' and 'vr/2020/2711/doc 1294/1'
    all become 'vr20202711doc12941'. Case numbers written without zero padding are
    padded to four digits first, so 'doc.330/1' and 'DOC.0330/1' both give
    'doc03301' and '330/1' gives '03301'. Apply it to the stored tokens and to the
    query alike; it is idempotent and never raises.
    """
    if not isinstance(text, str):
        return ""
    value = _pad_doc_cases(_unify_spaces(text).lower())
    bare = _BARE_PIECE_RE.fullmatch(value)
    if bare:
        value = bare.group(1).zfill(4) + bare.group(2)
    return _pad_doc_cases(_NON_TOKEN_RE.sub("", value))


def _doc_error(text: str, reason: str) -> DocumentNumberError:
    """Build a DocumentNumberError with the standard Dutch message."""
    return DocumentNumberError(f"Ongeldig documentnummer {_quote(text)}: {reason}.")


def _build_document(
    original: str,
    year: int,
    day: int,
    month: int,
    case_digits: str,
    position_digits: str,
    suffix: str,
) -> DocumentNumber:
    """Validate textual pieces of a document number and build it, or raise with a Dutch reason."""
    if not _MIN_YEAR <= year <= _MAX_YEAR:
        raise _doc_error(original, f"jaar {year} ligt buiten {_MIN_YEAR}–{_MAX_YEAR}")
    problem = _date_problem(year, month, day)
    if problem:
        raise _doc_error(original, f"de vergaderdatum klopt niet: {problem}")
    if len(case_digits) != 4:
        raise _doc_error(
            original,
            f'het dossiernummer "{case_digits}" moet uit vier cijfers bestaan (bv. DOC.0330)',
        )
    case = int(case_digits)
    if case == 0:
        raise _doc_error(original, "dossiernummer 0000 bestaat niet")
    if len(position_digits) > 3 or position_digits.startswith("0"):
        raise _doc_error(
            original,
            f'de positie "/{position_digits}" is ongeldig (een getal van 1 tot {_MAX_POSITION}, '
            "zonder voorloopnul)",
        )
    version = 1
    if suffix:
        upper = suffix.upper()
        if upper not in _VERSION_BY_SUFFIX:
            raise _doc_error(
                original,
                f'onbekend achtervoegsel "{suffix}" (toegelaten: {", ".join(SUFFIXES)})',
            )
        version = _VERSION_BY_SUFFIX[upper]
    return DocumentNumber(year, day, month, case, int(position_digits), version)


_VR_RE = re.compile(r"\s*VR(?![A-Za-z])", _FLAGS)
_YEAR_RE = re.compile(r"[\s/\-]*([0-9]{4})", _FLAGS)
_DDMM_RE = re.compile(r"[\s/\-]*([0-9]{4})(?![0-9])", _FLAGS)
_DOC_RE = re.compile(r"[\s/\-]*DOC(?![A-Za-z])", _FLAGS)
_CASE_RE = re.compile(r"[\s.]*([0-9]+)", _FLAGS)
_POSITION_RE = re.compile(r"\s*/\s*([0-9]+)", _FLAGS)
_SUFFIX_RE = re.compile(r"\s*([A-Za-z]+)", _FLAGS)
_BARE_POSITION_RE = re.compile(r"/?\s*([0-9]+)\s*([A-Za-z]*)\s*", _FLAGS)
_NUMBER_ONLY_RE = re.compile(r"\s*/?\s*[0-9]+(?:\s*/\s*[0-9]+)?\s*[A-Za-z]*\s*", _FLAGS)
_LIST_SPLIT_RE = re.compile(r"\s*[,;&]\s*|\s+en\s+", _FLAGS)


def _scan_from_doc(
    part: str, index: int, original: str, year: int, day: int, month: int
) -> DocumentNumber:
    """Read 'DOC.nnnn/p[SUFFIX]' from part[index:] for a known meeting and build the number."""
    doc = _DOC_RE.match(part, index)
    if not doc:
        raise _doc_error(original, f"het DOC-deel ontbreekt ({_EXPECTED_FORM})")
    case = _CASE_RE.match(part, doc.end())
    if not case:
        raise _doc_error(original, "het dossiernummer ontbreekt na DOC (bv. DOC.1294)")
    position = _POSITION_RE.match(part, case.end())
    if not position:
        raise _doc_error(original, "de positie ontbreekt na het dossiernummer (bv. DOC.1294/1)")
    end = position.end()
    suffix = _SUFFIX_RE.match(part, end)
    if suffix:
        end = suffix.end()
    rest = part[end:].strip()
    if rest:
        raise _doc_error(original, f'onverwachte tekst "{rest}" na het documentnummer')
    return _build_document(
        original,
        year,
        day,
        month,
        case.group(1),
        position.group(1),
        suffix.group(1) if suffix else "",
    )


def _scan_full(part: str, original: str) -> DocumentNumber:
    """Read one complete number 'VR yyyy DDMM DOC.nnnn/p[SUFFIX]' that fills the whole part."""
    vr = _VR_RE.match(part)
    if not vr:
        if _NUMBER_ONLY_RE.fullmatch(part):
            raise _doc_error(
                original, f"alleen een nummer, zonder VR- en DOC-deel ({_EXPECTED_FORM})"
            )
        if re.search(r"DOC", part, _FLAGS):
            raise _doc_error(
                original, f"het VR-deel met jaar en vergaderdatum ontbreekt ({_EXPECTED_FORM})"
            )
        raise _doc_error(original, f"geen documentnummer herkend ({_EXPECTED_FORM})")
    year = _YEAR_RE.match(part, vr.end())
    if not year:
        raise _doc_error(original, "het jaartal (vier cijfers) ontbreekt na VR")
    ddmm = _DDMM_RE.match(part, year.end())
    if not ddmm:
        raise _doc_error(
            original, "de vergaderdatum (DDMM, vier cijfers) ontbreekt na het jaartal"
        )
    digits = ddmm.group(1)
    return _scan_from_doc(
        part, ddmm.end(), original, int(year.group(1)), int(digits[:2]), int(digits[2:])
    )


def _scan_part(part: str, original: str, previous: DocumentNumber | None) -> DocumentNumber:
    """Read one list item: a full number, 'DOC.nnnn/p' of the previous meeting or a position."""
    if previous is not None:
        if _DOC_RE.match(part) and not _VR_RE.match(part):
            return _scan_from_doc(
                part, 0, original, previous.year, previous.day, previous.month
            )
        bare = _BARE_POSITION_RE.fullmatch(part)
        if bare:
            return _build_document(
                original,
                previous.year,
                previous.day,
                previous.month,
                f"{previous.case:04d}",
                bare.group(1),
                bare.group(2),
            )
    return _scan_full(part, original)


def parse_document_numbers(text: str) -> list[DocumentNumber]:
    """Parse a field naming one or more document numbers ('... DOC 1462/1 en 2', ',' or ';' lists).

    A list item that is only a position ('en 2') belongs to the case of the item
    before it; an item starting with DOC belongs to the meeting of the item before
    it. Duplicates are dropped, order is kept.
    """
    if not isinstance(text, str):
        raise DocumentNumberError(f"Ongeldig documentnummer {text!r}: tekst verwacht.")
    cleaned = _unify_spaces(text).strip()
    parts = [p for p in _LIST_SPLIT_RE.split(cleaned) if p.strip()]
    if not parts:
        raise _doc_error(text, "het documentnummer is leeg")
    found: list[DocumentNumber] = []
    previous: DocumentNumber | None = None
    for part in parts:
        try:
            previous = _scan_part(part.strip(), text, previous)
        except DocumentNumberError as error:
            if len(parts) == 1:
                raise
            message = str(error).removesuffix(".")
            raise DocumentNumberError(f'{message} (in het deel "{part.strip()}").') from None
        found.append(previous)
    return list(dict.fromkeys(found))


def parse_document_number(text: str) -> DocumentNumber:
    """Parse a field that must name exactly one document number."""
    found = parse_document_numbers(text)
    if len(found) != 1:
        raise _doc_error(
            text,
            f"er staan {len(found)} documentnummers in, terwijl er precies één verwacht wordt",
        )
    return found[0]


_FIND_RE = re.compile(
    r"(?<![A-Za-z0-9])VR[\s/\-]*(?P<year>[0-9]{4})[\s/\-]*(?P<ddmm>[0-9]{4})"
    r"[\s/\-]*DOC[\s.]*(?P<case>[0-9]{1,6})\s*/\s*(?P<pos>[0-9]{1,4})"
    rf"(?P<suf>{_SUFFIX_ALTERNATIVES})?(?![A-Za-z0-9])",
    _FLAGS,
)
_FIND_SPACED_SUFFIX_RE = re.compile(rf"[ \t]+({_SUFFIX_ALTERNATIVES})(?![A-Za-z0-9])", _FLAGS)
_FIND_MORE_RE = re.compile(
    rf"\s+en\s+(?P<pos>[0-9]{{1,3}})(?P<suf>{_SUFFIX_ALTERNATIVES})?(?![A-Za-z0-9])"
    r"(?!\s*[.,/:][0-9])(?![ \t]*[0-9])"
    r"(?!\s*(?:%|€|euro|eur|miljoen|miljard|procent|keer|maal)(?![A-Za-z]))",
    _FLAGS,
)


def _spaced_suffix(text: str, index: int) -> tuple[str, int]:
    """Read a suffix separated by a space in running text; 'ter' counts only as upper-case TER."""
    match = _FIND_SPACED_SUFFIX_RE.match(text, index)
    if not match:
        return "", index
    word = match.group(1)
    if word.upper() == "TER" and word != "TER":
        return "", index  # Dutch 'ter' as in 'ter goedkeuring'
    return word, match.end()


def find_document_numbers(text: str, *, strict: bool = False) -> list[DocumentNumber]:
    """Find all document numbers in running text, including 'VR ... DOC 1462/1 en 2'.

    Look-alikes that are invalid (e.g. a non-existing meeting date) are skipped, or
    raise DocumentNumberError when strict is true. A suffix after a space is read
    in any case except 'ter', which must be written TER. Duplicates are dropped.
    """
    if not isinstance(text, str):
        raise DocumentNumberError(f"Ongeldige tekst {text!r}: tekst verwacht.")
    cleaned = _unify_spaces(text)
    found: list[DocumentNumber] = []
    for match in _FIND_RE.finditer(cleaned):
        year, ddmm = int(match.group("year")), match.group("ddmm")
        day, month = int(ddmm[:2]), int(ddmm[2:])
        suffix, end = match.group("suf") or "", match.end()
        if not suffix:
            suffix, end = _spaced_suffix(cleaned, end)
        pieces = [(match.group("pos"), suffix)]
        while more := _FIND_MORE_RE.match(cleaned, end):
            more_suffix, end = more.group("suf") or "", more.end()
            if not more_suffix:
                more_suffix, end = _spaced_suffix(cleaned, end)
            pieces.append((more.group("pos"), more_suffix))
        original = cleaned[match.start():end]
        for position, piece_suffix in pieces:
            try:
                found.append(
                    _build_document(
                        original, year, day, month, match.group("case"), position, piece_suffix
                    )
                )
            except DocumentNumberError:
                if strict:
                    raise
    return list(dict.fromkeys(found))


# --------------------------------------------------------------------------- dates

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
    """Format a date in Dutch, e.g. date(2020, 11, 27) -> '27 november 2020'."""
    return f"{value.day} {DUTCH_MONTHS[value.month - 1]} {value.year}"
