"""Reading the real-data JSONL files: a line reader that validates every line, typed field access with
line-numbered Dutch errors, and the report an import prints and logs.

Both importers read and validate the whole file before they touch the database: a malformed file
gives line-numbered errors in the report and nothing is written.
"""
from __future__ import annotations

import json
import logging
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


def _read_lines(path: Path, report: ImportReport) -> list[tuple[int, dict[str, Any]]]:
    """Parse every non-empty line as a JSON object; errors go to the report."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        report.error(None, f"bestand {path} bestaat niet.")
        return []
    except OSError as exc:
        report.error(None, f"bestand {path} kan niet gelezen worden ({exc.strerror}).")
        return []
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(raw[:exc.start].count(b"\n") + 1, "geen geldige UTF-8-tekst.")
        return []
    rows = []
    # Not splitlines(): it also splits on U+2028 and friends, which JSON strings may contain.
    for number, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            reason = _JSON_REASONS.get(exc.msg, "ongeldige schrijfwijze")
            report.error(number, f"geen geldige JSON: {reason} (kolom {exc.colno}).")
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
