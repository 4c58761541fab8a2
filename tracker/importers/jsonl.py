"""Reading the real-data JSONL files: a line reader that validates every line, typed field access with
line-numbered Dutch errors, and the report an import prints and logs.

Both importers read and validate the whole file before they touch the database: a malformed file
gives line-numbered errors in the report and nothing is written.
"""
from __future__ import annotations

import codecs
import enum
import hashlib
import json
import logging
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.accounts.models import User
from tracker.audit.operations import log_event
from tracker.sources.models import Source

logger = logging.getLogger(__name__)

ATTRIBUTION = ("Gegevens: datamindedbe/demo-elections2024-website (MIT-licentie, © 2024 data minded); "
               "de teksten zijn overheidsinformatie van de Vlaamse Regering.")
MAX_ERRORS = 50  # shown
MAX_STORED_ERRORS = 1000  # kept, so a garbage file cannot fill the memory

ProgressCallback = Callable[[int, int], None]



@dataclass
class ImportReport:
    """What one import read, created, changed and found wrong."""

    label: str
    path: Path
    unit: str
    read: int = 0
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    error_count: int = 0
    _errors: list[tuple[int, str]] = field(default_factory=list, repr=False)
    # What the preview lists: (noun, key, title) per created record, (noun, key, field → (old, new)) per update.
    new_records: list[tuple[str, str, str]] = field(default_factory=list, repr=False)
    changed_records: list[tuple[str, str, dict[str, tuple[str, str]]]] = field(default_factory=list, repr=False)

    def error(self, line: int | None, message: str) -> None:
        """Record an error, line-numbered when known (the file as a whole has line 0)."""
        self.error_count += 1
        if len(self._errors) < MAX_STORED_ERRORS:
            self._errors.append((line or 0, f"regel {line}: {message}" if line else message))

    @property
    def errors(self) -> list[str]:
        """The errors in line order, at most MAX_ERRORS, plus a closing line when some were left out."""
        shown = [message for _, message in sorted(self._errors, key=lambda e: e[0])[:MAX_ERRORS]]
        hidden = self.error_count - len(shown)
        return shown + ([f"… en nog {_n(hidden)} {_plural(hidden, 'fout', 'fouten')}."] if hidden > 0 else [])

    def count(self, bucket: str, kind: str, n: int = 1) -> None:
        """Add n to the created, updated or unchanged count of one kind of record."""
        getattr(self, bucket)[kind] += n

    def created_record(self, noun: str, key: str, title: str) -> None:
        self.count("created", PLURALS.get(noun, noun))
        self.new_records.append((noun, key, title))

    def updated_record(self, noun: str, key: str, changes: dict[str, tuple[Any, Any]]) -> None:
        """Count an update; ``changes`` is what the operation returned (field → (old, new)), empty when none."""
        if not changes:
            self.count("unchanged", PLURALS.get(noun, noun))
            return
        self.count("updated", PLURALS.get(noun, noun))
        self.changed_records.append((noun, key, {name: (_shown(old), _shown(new))
                                                 for name, (old, new) in changes.items()}))

    def describe_changes(self, limit: int = 50) -> list[str]:
        """The records the import creates and the fields it changes (old → new), for a preview."""
        lines = [f"  nieuw       {noun} {key}: {_clip(title, 70)}" for noun, key, title in self.new_records]
        for noun, key, changes in self.changed_records:
            lines.append(f"  bijgewerkt  {noun} {key}:")
            lines += [f"      {name}: {_clip(old, 60) or '(leeg)'} → {_clip(new, 60) or '(leeg)'}"
                      for name, (old, new) in changes.items()]
        if len(lines) > limit:
            hidden = len(lines) - limit
            lines = lines[:limit] + [f"  … en nog {_n(hidden)} regels."]
        return lines

    @property
    def fingerprint(self) -> str:
        """What the import does, as a digest: a confirmation must do what the preview showed."""
        what = [self.error_count, sorted(self.created.items()), sorted(self.updated.items()),
                sorted(self.unchanged.items()), self.new_records, self.changed_records]
        return hashlib.sha256(json.dumps(what, default=str, sort_keys=True).encode()).hexdigest()

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def changed(self) -> bool:
        return self.ok and bool(+self.created or +self.updated)

    def summary(self) -> str:
        """Dutch lines for the CLI and the audit log."""
        if not self.ok:
            return "\n".join([f"{self.label} ({self.path.name}) is niet geïmporteerd; er is niets gewijzigd. "
                              f"{_n(self.error_count)} {_plural(self.error_count, 'fout', 'fouten')}:"]
                             + [f"  - {e}" for e in self.errors])
        lines = [f"{self.label} ({self.path.name}): {_n(self.read)} {self.unit} gelezen."]
        for kind in sorted(set(self.created) | set(self.updated) | set(self.unchanged)):
            lines.append(f"  {kind}: {_n(self.created[kind])} nieuw, {_n(self.updated[kind])} bijgewerkt, "
                         f"{_n(self.unchanged[kind])} ongewijzigd")
        lines += [f"  {note}" for note in self.notes]
        if not self.changed:
            lines.append("Niets gewijzigd: alles stond al in de database.")
        return "\n".join(lines)

    def as_data(self) -> dict[str, Any]:
        """The counts as plain data for the audit log."""
        return {"file": self.path.name, "read": self.read, "created": dict(self.created),
                "updated": dict(self.updated), "unchanged": dict(self.unchanged), "notes": self.notes}


PLURALS = {"beslissing": "beslissingen", "engagement": "engagementen"}


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple, set)):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if hasattr(value, "key") and not isinstance(value, (str, int, dict)):
        return str(value.key)
    return value.isoformat() if isinstance(value, date) else str(value)


def _clip(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many



# --------------------------------------------------------------------------- reading and validation

_JSON_REASONS = {
    "Expecting value": "waarde verwacht",
    "Expecting ',' delimiter": "komma verwacht",
    "Expecting ':' delimiter": "dubbele punt verwacht",
    "Expecting property name enclosed in double quotes": "veldnaam tussen dubbele aanhalingstekens verwacht",
    "Unterminated string starting at": "tekst tussen aanhalingstekens niet afgesloten",
    "Extra data": "extra tekens na het object",
    "Invalid control character at": "ongeldig stuurteken",
    "Invalid \\escape": "ongeldige escape met \\",
}
_JSON_TYPES = {str: "tekst", int: "een getal", float: "een getal", bool: "true/false", list: "een lijst",
               dict: "een object", type(None): "null"}
def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), "iets anders")


_ISO_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

# Limits on what an import reads (README, "Input and limits"). The real files stay far below them:
# largest line 13,466 bytes, deepest nesting 2 (an object holding the list "path"), longest text
# 13,330 characters (a section; a decision's at most 2,876), largest number 8 (a "part").
MAX_FILE_BYTES = 100 * 1024 * 1024
"""A file over 100 MB is not read at all (the decisions file is 4.5 MB)."""
MAX_LINE_BYTES = 1024 * 1024
"""A line over 1 MB is reported and not parsed."""
MAX_JSON_DEPTH = 10
"""Objects and lists nested deeper than this are refused (the real data nests 2 deep)."""
MAX_TEXT_CHARS = 100_000
"""The longest text field ("text" of a decision or a section) in characters."""
MAX_HEADINGS = 20
"""Headings in a section's "path" (the real file has at most 5)."""
MAX_HEADING_CHARS = 500
"""Characters in one heading of a section's "path" (the real file's longest has 158)."""
MIN_INT, MAX_INT = -(2**63), 2**63 - 1
"""Whole numbers must fit in a signed 64-bit integer, as the database stores them."""

# NUL and the other C0 control characters (tab, line feed and carriage return are text), and UTF-16
# surrogates, which JSON can write as "\ud800" but which are no character and cannot be stored.
_BAD_CHAR_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


class _LineProblem(ValueError):
    """Raised while parsing one line; the message is Dutch and goes to the report."""


def _shorten(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else f"{text[:limit]}… ({_n(len(text))} tekens)"


def _parse_int(text: str) -> int:
    # Checked on the digits first: int() of 5,000 digits already fails (and is slow).
    if len(text.lstrip("-")) > 19 or not MIN_INT <= int(text) <= MAX_INT:
        raise _LineProblem(f"het getal {_shorten(text)} is te groot; een geheel getal moet in 64 bits passen "
                           f"({_n(MIN_INT)} tot {_n(MAX_INT)}).")
    return int(text)


def _parse_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _LineProblem(f"het getal {_shorten(text)} is te groot.")
    return value


def _parse_constant(name: str) -> Any:
    raise _LineProblem(f"{name} is geen getal in JSON; schrijf een gewoon getal of null.")


def _bad_character(value: str) -> str | None:
    """What is wrong with a character of this text, in Dutch, or None."""
    match = _BAD_CHAR_RE.search(value)
    if match is None:
        return None
    code = ord(match.group())
    if code == 0:
        return "een NUL-teken (\\u0000)"
    if code < 0x20:
        return f"een stuurteken (\\u{code:04x})"
    return f"een losse UTF-16-surrogaat (\\u{code:04x}), geen geldig teken"


def _structure_problem(obj: Any) -> str | None:
    """The first nesting or character problem of a parsed line, in Dutch, or None."""
    stack: list[tuple[Any, str, int]] = [(obj, "", 0)]
    while stack:
        value, where, depth = stack.pop()
        if isinstance(value, (dict, list)):
            if depth + 1 > MAX_JSON_DEPTH:
                return f"de JSON is te diep genest (meer dan {MAX_JSON_DEPTH} niveaus)."
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in reversed(list(items)):
                if isinstance(key, str):
                    bad = _bad_character(key)
                    if bad:
                        return f"een veldnaam bevat {bad}."
                    name = key if not where else f"{where}.{key}"
                else:
                    name = f"{where}[{key}]"
                stack.append((item, name, depth + 1))
        elif isinstance(value, str):
            bad = _bad_character(value)
            if bad:
                return f'veld "{_shorten(where, 60)}" bevat {bad}.'
    return None


def _read_lines(path: Path, report: ImportReport) -> list[tuple[int, dict[str, Any]]]:
    """Parse every non-empty line as a JSON object; errors go to the report.

    Refused, per line: a line over MAX_LINE_BYTES (before it is parsed), bytes that are not UTF-8,
    malformed JSON, nesting deeper than MAX_JSON_DEPTH, whole numbers outside 64 bits, NaN and
    Infinity, NUL and other control characters and lone surrogates in any string.
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            report.error(None, f"bestand {path.name} is te groot ({_n(size)} bytes; hoogstens "
                               f"{_n(MAX_FILE_BYTES)}).")
            return []
        raw = path.read_bytes()
    except FileNotFoundError:
        report.error(None, f"bestand {path} bestaat niet.")
        return []
    except OSError as exc:
        report.error(None, f"bestand {path} kan niet gelezen worden ({exc.strerror}).")
        return []
    raw = raw.removeprefix(codecs.BOM_UTF8)
    rows = []
    # Split on b"\n" only: no UTF-8 sequence contains that byte, and str.splitlines() would also split on
    # U+2028 and friends, which JSON strings may contain.
    for number, chunk in enumerate(raw.split(b"\n"), start=1):
        if len(chunk) > MAX_LINE_BYTES:
            report.error(number, f"de regel is te lang ({_n(len(chunk))} bytes; hoogstens {_n(MAX_LINE_BYTES)}); "
                                 "ze is niet gelezen.")
            continue
        try:
            line = chunk.decode("utf-8")
        except UnicodeDecodeError as exc:
            report.error(number, f"geen geldige UTF-8-tekst (byte {exc.start + 1}).")
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line, parse_int=_parse_int, parse_float=_parse_float,
                             parse_constant=_parse_constant)
        except json.JSONDecodeError as exc:
            reason = _JSON_REASONS.get(exc.msg, "ongeldige schrijfwijze")
            report.error(number, f"geen geldige JSON: {reason} (kolom {exc.colno}).")
            continue
        except _LineProblem as exc:
            report.error(number, str(exc))
            continue
        except RecursionError:
            report.error(number, f"de JSON is te diep genest (meer dan {MAX_JSON_DEPTH} niveaus).")
            continue
        problem = _structure_problem(obj)
        if problem:
            report.error(number, problem)
            continue
        if not isinstance(obj, dict):
            report.error(number, f"verwacht een JSON-object ({{...}}), niet {_json_type(obj)}.")
            continue
        rows.append((number, obj))
    if not rows and report.ok:
        report.error(None, f"bestand {path.name} bevat geen enkele regel.")
    return rows


class _Row:
    """Typed access to the fields of one JSON line; every problem is reported with the line number."""

    def __init__(self, line: int, data: dict[str, Any], report: ImportReport) -> None:
        self.line, self.data, self.report, self.valid = line, data, report, True

    def fail(self, message: str) -> None:
        self.valid = False
        self.report.error(self.line, message)

    def looks_like(self, names: tuple[str, ...]) -> bool:
        """False (after one error) when most expected fields are missing: probably the wrong file."""
        missing = [name for name in names if name not in self.data]
        if len(missing) <= len(names) // 2:
            return True
        self.fail(f"de velden {', '.join(missing)} ontbreken; is dit wel het juiste bestand?")
        return False

    def get(self, name: str, kind: type, *, required_nonempty: bool = False,
            max_length: int | None = None) -> Any:
        """The value of a field of the given JSON type, or None after reporting why not."""
        if name not in self.data:
            self.fail(f'veld "{name}" ontbreekt.')
            return None
        value = self.data[name]
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            self.fail(f'veld "{name}" moet {_JSON_TYPES[kind]} zijn, niet {_json_type(value)}.')
            return None
        if required_nonempty and not (value.strip() if isinstance(value, str) else value):
            self.fail(f'veld "{name}" is leeg.')
            return None
        if max_length is not None and isinstance(value, str) and len(value) > max_length:
            self.fail(f'veld "{name}" is te lang ({_n(len(value))} tekens; hoogstens {_n(max_length)}).')
            return None
        return value

    def date(self, name: str) -> date | None:
        """A YYYY-MM-DD date field."""
        value = self.get(name, str)
        if value is None:
            return None
        if _ISO_DATE_RE.fullmatch(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        self.fail(f'{name} "{value}" is geen geldige datum (JJJJ-MM-DD).')
        return None



# --------------------------------------------------------------------------- shared by both importers

def _get_source(session: Session, spec: dict[str, Any], report: ImportReport, extra: dict[str, Any],
                actor: User | None = None) -> Source:
    """The source an import fills, created on first use; an existing (e.g. seeded) one keeps its description."""
    from tracker.sources.operations import create_source

    source = session.scalar(select(Source).where(Source.key == spec["key"]))
    if source is None:
        source = create_source({**spec, **extra}, actor)
        report.count("created", "bronnen")
    else:
        report.count("unchanged", "bronnen")
    return source


def _log(report: ImportReport, actor: User | None, source: Source, kind: str) -> None:
    if report.changed:
        log_event("import", kind, report.summary().splitlines()[0], actor, source, report.as_data())
        logger.info("%s imported by %s: %s", report.path.name, actor, report.as_data())
