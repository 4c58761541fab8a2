"""Document numbers of the Flemish Government (VR 2020 2711 DOC.1294/1BIS): parse, find in text, normalise."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from tracker.parsing.text import (
    _FLAGS,
    DocumentNumberError,
    _date_problem,
    _quote,
    _unify_spaces,
)

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


