"""Reading a file of decisions: CSV (RFC 4180, UTF-8, header row), a JSON array of objects, or JSON Lines.

Every problem is a Dutch message that says what to change. A problem with the file as a whole (its
encoding, its size, unknown or missing columns, content that is neither CSV nor JSON) refuses the file;
a problem with one row refuses only that row, with its line number. The columns are documented in
docs/import-besluiten.md, with an example file in tests/intake/fixtures/besluiten.csv.
"""
from __future__ import annotations

import codecs
import csv
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.decisions.models import DecisionKind
from tracker.importers.jsonl import (
    _JSON_REASONS,
    MAX_JSON_DEPTH,
    MAX_LINE_BYTES,
    MAX_TEXT_CHARS,
    _bad_character,
    _LineProblem,
    _n,
    _parse_constant,
    _parse_float,
    _parse_int,
    _structure_problem,
)
from tracker.parsing import DocumentNumber, parse_document_numbers
from tracker.parsing.text import DocumentNumberError, _date_problem

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A decisions file over 20 MB is refused unread (the 3,003 real decisions take 4.5 MB)."""

COLUMNS = ("site_id", "meeting_date", "kind", "title", "document_numbers", "summary", "text", "url")
"""The documented columns, in the order of the example file."""
ALIASES = {"id": "site_id", "source_url": "url"}
"""The real-data file's names for two of them (vr-decisions-2019-2024.jsonl)."""
REQUIRED = ("meeting_date", "title")
KINDS = {kind.value: kind for kind in DecisionKind}
SITE_ID_RE = re.compile(r"[A-Za-z0-9-]{1,64}")
_ISO_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
MAX_TITLE_CHARS = 1000
MAX_URL_CHARS = 2000


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message is Dutch and says what to change."""


@dataclass
class Row:
    """One valid row: typed values, with None for a column the file leaves out or empty."""

    line: int
    where: str
    site_id: str | None = None
    meeting_date: date | None = None
    kind: DecisionKind | None = None
    title: str = ""
    summary: str | None = None
    text: str | None = None
    url: str | None = None
    numbers: list[tuple[DocumentNumber, str]] = field(default_factory=list)


@dataclass
class Refusal:
    line: int
    where: str
    reason: str


@dataclass
class ReadResult:
    """What a file holds: its format, the valid rows and the refused ones."""

    format: str
    rows: list[Row] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


# --------------------------------------------------------------------------- bytes to text

def decode(data: bytes) -> str:
    """The file's text; refused with the encoding it looks like when that is not UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRefused("Het bestand is in UTF-16 opgeslagen (het begint met een UTF-16-bytevolgordeteken). "
                          "Sla het op als UTF-8 (in Excel: 'CSV UTF-8 (gescheiden door lijstscheidingsteken)') "
                          "en probeer opnieuw.")
    if data.startswith(codecs.BOM_UTF32_LE) or data.startswith(codecs.BOM_UTF32_BE):
        raise FileRefused("Het bestand is in UTF-32 opgeslagen. Sla het op als UTF-8 en probeer opnieuw.")
    head = data[:4096]
    if b"\x00" in head:
        if head[1::2].count(0) > len(head) // 4 or head[0::2].count(0) > len(head) // 4:
            raise FileRefused("Het bestand lijkt UTF-16 te zijn (zonder bytevolgordeteken). Sla het op als UTF-8 "
                              "en probeer opnieuw.")
        raise FileRefused("Het bestand bevat NUL-tekens: het is geen tekstbestand en dus geen CSV of JSON. "
                          "Kies een CSV-, JSON- of JSONL-bestand.")
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start]
        looks = ("Windows-1252" if any(0x80 <= b <= 0x9F for b in data) else "Latin-1 (ISO-8859-1)")
        raise FileRefused(f"Het bestand is geen UTF-8: byte 0x{byte:02X} op regel {line} is geen geldige UTF-8. "
                          f"Het lijkt {looks} te zijn. Sla het op als UTF-8 (in Excel: 'CSV UTF-8') "
                          "en probeer opnieuw.") from None
    if "\x00" in text:
        raise FileRefused("Het bestand bevat NUL-tekens: het is geen tekstbestand en dus geen CSV of JSON. "
                          "Kies een CSV-, JSON- of JSONL-bestand.")
    return text


def check_size(size: int, limit: int = MAX_FILE_BYTES) -> None:
    if size > limit:
        raise FileRefused(f"Het bestand is te groot ({_n(size)} bytes; hoogstens {_n(limit)}). "
                          "Splits het in kleinere bestanden.")


def read_file(data: bytes, name: str = "") -> ReadResult:
    """Read a decisions file of any supported format (told apart by its content, not its name)."""
    check_size(len(data))
    text = decode(data)
    stripped = text.lstrip()
    if not stripped:
        raise FileRefused("Het bestand is leeg. Kies een bestand met een kopregel en minstens één beslissing.")
    if stripped[0] == "[":
        return _read_json_array(text)
    if stripped[0] == "{":
        return _read_json_lines(text)
    return _read_csv(text)


# --------------------------------------------------------------------------- formats

def _columns(names: list[str], where: str) -> list[str]:
    """The canonical names of a header (or of all keys of the objects); refused when unknown or missing."""
    canonical = [ALIASES.get(n.strip().lower(), n.strip().lower()) for n in names]
    unknown = [original for original, name in zip(names, canonical) if name not in COLUMNS]
    if unknown:
        shown = ", ".join(f'"{u[:40]}"' for u in unknown[:5])
        raise FileRefused(f"Onbekende {'kolom' if len(unknown) == 1 else 'kolommen'} {shown} {where}. "
                          f"Toegelaten kolommen: {', '.join(COLUMNS)} (en id, source_url uit het "
                          "bestand met echte data). Hernoem of verwijder ze.")
    doubled = sorted({n for n in canonical if canonical.count(n) > 1})
    if doubled:
        raise FileRefused(f"De kolom {doubled[0]} staat meer dan eens {where}; laat er één over.")
    missing = [n for n in REQUIRED if n not in canonical]
    if missing:
        raise FileRefused(f"De {'kolom' if len(missing) == 1 else 'kolommen'} {', '.join(missing)} "
                          f"{'ontbreekt' if len(missing) == 1 else 'ontbreken'} {where}. "
                          f"Verplicht zijn: {', '.join(REQUIRED)}.")
    return canonical


def _read_csv(text: str) -> ReadResult:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    if "," not in first and ";" not in first and first.strip().lower() not in COLUMNS:
        raise FileRefused("Dit is geen CSV- of JSON-bestand: de eerste regel is geen kopregel met kolomnamen "
                          f"gescheiden door komma's. Verwacht bv.: {','.join(COLUMNS)}")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    result = ReadResult("CSV")
    try:
        header = next(reader)
        columns = _columns(header, "in de kopregel")
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue
            where = f"regel {line}"
            if len(cells) != len(columns):
                result.refused.append(Refusal(line, where, f"de regel heeft {len(cells)} cellen, de kopregel "
                                                           f"{len(columns)}. Controleer de scheidingstekens en "
                                                           "zet tekst met komma's tussen dubbele aanhalingstekens."))
                continue
            _add(result, line, where, dict(zip(columns, cells)))
    except csv.Error as exc:
        raise FileRefused(f"Dit is geen geldige CSV (rond regel {reader.line_num}): {_csv_reason(exc)}. "
                          "Zet tekst met komma's, regeleinden of aanhalingstekens tussen dubbele "
                          'aanhalingstekens en verdubbel aanhalingstekens in de tekst ("").') from None
    return result


def _csv_reason(exc: csv.Error) -> str:
    message = str(exc)
    if "field larger" in message:
        return "een cel is te lang"
    if "expected" in message and "after" in message:
        return "een aanhalingsteken midden in een cel"
    return "onverwacht einde van een cel"


def _loads(chunk: str) -> Any:
    return json.loads(chunk, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)


def _read_json_lines(text: str) -> ReadResult:
    result = ReadResult("JSON Lines")
    objects: list[tuple[int, Any]] = []
    for number, chunk in enumerate(text.split("\n"), start=1):
        if not chunk.strip():
            continue
        if len(chunk.encode("utf-8")) > MAX_LINE_BYTES:
            result.refused.append(Refusal(number, f"regel {number}", f"de regel is te lang (hoogstens "
                                                                      f"{_n(MAX_LINE_BYTES)} bytes)."))
            continue
        try:
            objects.append((number, _loads(chunk)))
        except json.JSONDecodeError as exc:
            result.refused.append(Refusal(number, f"regel {number}", f"geen geldige JSON: "
                                          f"{_JSON_REASONS.get(exc.msg, 'ongeldige schrijfwijze')} "
                                          f"(kolom {exc.colno}). Schrijf één JSON-object per regel."))
        except (_LineProblem, RecursionError) as exc:
            result.refused.append(Refusal(number, f"regel {number}", str(exc) if isinstance(exc, _LineProblem)
                                          else f"de JSON is te diep genest (meer dan {MAX_JSON_DEPTH} niveaus)."))
    if not objects:
        raise FileRefused("Geen enkele regel van dit JSON Lines-bestand is een geldig JSON-object. "
                          + (result.refused[0].where + ": " + result.refused[0].reason if result.refused else ""))
    _add_objects(result, objects)
    return result


def _read_json_array(text: str) -> ReadResult:
    try:
        value = _loads(text)
    except json.JSONDecodeError as exc:
        raise FileRefused(f"Dit is geen geldige JSON: {_JSON_REASONS.get(exc.msg, 'ongeldige schrijfwijze')} "
                          f"op regel {exc.lineno}, kolom {exc.colno}.") from None
    except _LineProblem as exc:
        raise FileRefused(f"Dit is geen geldige JSON: {exc}") from None
    except RecursionError:
        raise FileRefused(f"De JSON is te diep genest (meer dan {MAX_JSON_DEPTH} niveaus).") from None
    lines = _element_lines(text, len(value))
    result = ReadResult("JSON")
    _add_objects(result, list(zip(lines, value)), numbered=True)
    return result


def _element_lines(text: str, count: int) -> list[int]:
    """The line on which each element of a top-level JSON array starts (for the messages)."""
    decoder = json.JSONDecoder()
    index = text.index("[") + 1
    lines = []
    for _ in range(count):
        while text[index] in " \t\r\n,":
            index += 1
        lines.append(text.count("\n", 0, index) + 1)
        _, index = decoder.raw_decode(text, index)
    return lines


def _add_objects(result: ReadResult, objects: list[tuple[int, Any]], numbered: bool = False) -> None:
    names: list[str] = []
    for _, obj in objects:
        if isinstance(obj, dict):
            names += [k for k in obj if k not in names]
    if not names:
        raise FileRefused("Het bestand bevat geen JSON-objecten met velden. Verwacht: een lijst van objecten "
                          f"met de velden {', '.join(COLUMNS)}.")
    _columns(names, "in de objecten")
    for position, (line, obj) in enumerate(objects, start=1):
        where = f"object {position} (regel {line})" if numbered else f"regel {line}"
        if not isinstance(obj, dict):
            result.refused.append(Refusal(line, where, "verwacht een JSON-object ({...}) met de velden van een "
                                                       "beslissing."))
            continue
        problem = _structure_problem(obj)
        if problem:
            result.refused.append(Refusal(line, where, problem))
            continue
        cells: dict[str, Any] = {}
        wrong = None
        for key, value in obj.items():
            name = ALIASES.get(key.strip().lower(), key.strip().lower())
            if name == "document_numbers" and isinstance(value, list) and all(isinstance(v, str) for v in value):
                value = "; ".join(value)
            if value is not None and not isinstance(value, str):
                wrong = f'veld "{key}" moet tekst zijn (tussen aanhalingstekens), niet {type(value).__name__}.'
            cells[name] = value or ""
        if wrong:
            result.refused.append(Refusal(line, where, wrong))
            continue
        _add(result, line, where, cells)


# --------------------------------------------------------------------------- one row

def parse_iso_date(value: str) -> date:
    """A YYYY-MM-DD date; ValueError with a Dutch reason otherwise."""
    match = _ISO_DATE_RE.fullmatch(value.strip())
    problem = _date_problem(*(int(g) for g in match.groups())) if match else None
    if match is None or problem:
        why = f" ({problem})" if problem else ""
        raise ValueError(f'meeting_date "{value[:40]}" is geen geldige datum{why}; schrijf JJJJ-MM-DD, '
                         "bv. 2024-03-01.")
    return date(*(int(g) for g in match.groups()))


def validate(cells: dict[str, str], line: int, where: str) -> Row | Refusal:
    """Check and type the cells of one row (missing columns count as empty)."""
    problems: list[str] = []
    row = Row(line, where)
    for name, value in cells.items():
        bad = _bad_character(value)
        if bad:
            problems.append(f"{name} bevat {bad}; verwijder dat teken.")
    get = lambda name: (cells.get(name) or "").strip()  # noqa: E731
    try:
        row.meeting_date = parse_iso_date(get("meeting_date")) if get("meeting_date") else None
    except ValueError as exc:
        problems.append(str(exc))
    if row.meeting_date is None and not problems:
        problems.append("meeting_date is leeg; vul de datum van de vergadering in (JJJJ-MM-DD).")
    if get("site_id"):
        row.site_id = get("site_id")
        if not SITE_ID_RE.fullmatch(row.site_id):
            problems.append(f'site_id "{row.site_id[:80]}" is geen geldige identificatie van de beslissingensite '
                            "(letters, cijfers en streepjes, hoogstens 64 tekens).")
    if get("kind"):
        row.kind = KINDS.get(get("kind").lower())
        if row.kind is None:
            problems.append(f'kind "{get("kind")[:40]}" is onbekend; schrijf {", ".join(KINDS)}.')
    row.title = " ".join(get("title").split())
    row.text = cells.get("text") or None
    if row.text is not None:
        row.text = row.text.strip()
    row.summary = get("summary") or None
    if not row.title and not row.text:
        problems.append("title en text zijn allebei leeg; vul minstens de titel in.")
    elif not row.title:
        from tracker.importers.cleaning import fallback_title

        row.title = fallback_title(row.text or "")
    for name, value, limit in (("title", row.title, MAX_TITLE_CHARS), ("text", row.text, MAX_TEXT_CHARS),
                               ("summary", row.summary, MAX_TEXT_CHARS)):
        if value and len(value) > limit:
            problems.append(f"{name} is te lang ({_n(len(value))} tekens; hoogstens {_n(limit)}); kort het in.")
    if get("url"):
        row.url = get("url")
        if not row.url.startswith(("http://", "https://")) or len(row.url) > MAX_URL_CHARS or " " in row.url:
            problems.append(f'url "{row.url[:80]}" is geen webadres; schrijf een adres dat begint met '
                            "https:// (hoogstens 2.000 tekens, zonder spaties).")
    if get("document_numbers"):
        try:
            row.numbers = [(n, n.canonical) for n in parse_document_numbers(get("document_numbers"))]
        except DocumentNumberError as exc:
            problems.append(f"document_numbers: {exc} Schrijf bv. VR 2021 1712 DOC.1462/1; meerdere "
                            "gescheiden door ; of 'en'.")
    if problems:
        return Refusal(line, where, " ".join(problems))
    return row


def _add(result: ReadResult, line: int, where: str, cells: dict[str, str]) -> None:
    checked = validate(cells, line, where)
    (result.refused if isinstance(checked, Refusal) else result.rows).append(checked)  # type: ignore[arg-type]
