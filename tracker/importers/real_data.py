"""Import the public real data (../shared/real-data): the coalition agreement 2019-2024 and 3,003 decisions.

Both importers read and validate the whole file before they touch the database: a malformed file
gives line-numbered Dutch errors in the report and nothing is written. They only flush; the caller
commits once per import (one transaction) and then runs the after-commit hooks.

Who owns which field:
- A record the import created is kept in step with the file. Imported coalition-agreement nodes are
  recognised by their ``cite`` ("<file>, regel N (deel P)"), imported decisions by their key
  (``vrb-<site id>``).
- A record made by the seed loader (or by hand) is never overwritten. Seeded coalition-agreement nodes
  (e.g. ``ra-2019/bestuurzaken/3.2.3``, whose seeded text is a cleaned-up version of the imported one)
  are matched by key and reused as they are: the seed loader re-applies every column of its records on
  each ``tracker seed``, so any value the import put there would flip back and forth. Imported nodes
  are hung below them. Seeded decisions (``ana-NN``) are matched by meeting date and title; the import
  only fills their empty fields (site id, text, address), which the seeds do not set.
- Nothing is ever deleted.

Section texts: the heading that the PDF extraction repeats at the start is dropped, and a
hyphenation artefact ``infor-matie`` is joined only when the joined word (``informatie``) occurs
unhyphenated elsewhere in the same file, so ``e-commerce`` or ``milieu-uitdagingen`` stay as they are.
Decision texts are kept exactly as published.

Data: datamindedbe/demo-elections2024-website (MIT licence, (c) 2024 data minded); the texts are
public-sector information of the Flemish Government.
"""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.accounts.models import User
from tracker.audit.operations import log
from tracker.commitments.models import Commitment, Level
from tracker.decisions.models import Decision, DecisionDocument, DecisionKind
from tracker.parsing import find_document_numbers
from tracker.sources.models import Source, SourceKind

logger = logging.getLogger(__name__)

AGREEMENT_FILE = "regeerakkoord-2019-2024-sections.jsonl"
DECISIONS_FILE = "vr-decisions-2019-2024.jsonl"
AGREEMENT_SOURCE = {
    "key": "ra-2019",
    "kind": SourceKind.REGEERAKKOORD,
    "title": "Regeerakkoord Vlaamse Regering 2019-2024",
    "government": "Vlaamse Regering 2019-2024",
}
DECISIONS_SOURCE = {
    "key": "vr-beslissingen",
    # The public decisions site publishes its decisions as news items; no kind fits better.
    "kind": SourceKind.NIEUWSBERICHT,
    "title": "Beslissingen van de Vlaamse Regering (publieke beslissingensite)",
    "url": "https://beslissingenvlaamseregering.vlaanderen.be/",
}
ATTRIBUTION = ("Gegevens: datamindedbe/demo-elections2024-website (MIT-licentie, © 2024 data minded); "
               "de teksten zijn overheidsinformatie van de Vlaamse Regering.")
SECTION_FIELDS = ("part", "path", "number", "title", "text")
DECISION_FIELDS = ("id", "meeting_date", "kind", "title", "text", "source_url")
DECISION_KINDS = {"nota": DecisionKind.NOTA, "mededeling": DecisionKind.MEDEDELING}
# One spelling per policy domain: the seeded analysis and the government itself write "Bestuurszaken".
POLICY_DOMAINS = {"Bestuurzaken": "Bestuurszaken"}
MAX_ERRORS = 50  # shown
MAX_STORED_ERRORS = 1000  # kept, so a garbage file cannot fill the memory
FALLBACK_TITLE_LENGTH = 100

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
_NUMBER_RE = re.compile(r"[0-9]+(?:\.[0-9]+)*")


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


# --------------------------------------------------------------------------- text helpers

def slugify(text: str, max_length: int = 60) -> str:
    """Lower-case ASCII words joined by dashes, cut at a word boundary: 'Gelijke kansen' -> 'gelijke-kansen'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length + 1].rsplit("-", 1)[0] if "-" in slug[:max_length + 1] else slug[:max_length]
    return slug or "kop"


def collapse_spaces(text: str) -> str:
    """Collapse runs of whitespace to one space."""
    return " ".join(text.split())


_WORD_RE = re.compile(r"[^\W\d_]+")
# A word broken by a hyphen, also when it ends a suspended compound ("infor-matie- en ICT-diensten").
_HYPHENATED_RE = re.compile(r"(?<![\w-])([^\W\d_]+)-([^\W\d_]+)(?!\w|-\w)")


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """How often each lower-cased word occurs (the vocabulary that decides which hyphens to join)."""
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(w.lower() for w in _WORD_RE.findall(text))
    return counts


def join_hyphenation(text: str, vocabulary: Counter[str] | set[str]) -> str:
    """Join 'infor-matie' into 'informatie' when that word occurs unhyphenated in the vocabulary."""

    def repl(match: re.Match[str]) -> str:
        left, right = match.group(1), match.group(2)
        if left[-1].islower() and right[0].islower() and (left + right).lower() in vocabulary:
            return left + right
        return match.group(0)

    return _HYPHENATED_RE.sub(repl, text)


def strip_heading(text: str, heading: str) -> str:
    """Drop the heading that the PDF extraction repeats at the start of a section's text.

    The heading's words must all follow in order (case-insensitive, any punctuation between, an
    optional leading part number such as '3 Dierenwelzijn'); otherwise the text is left as it is.
    """
    words = [w.lower() for w in re.findall(r"\w+", heading)]
    pos = 0
    tokens = list(re.finditer(r"\w+", text))
    index = 0
    if words and tokens and tokens[0].group(0).isdigit() and tokens[0].group(0).lower() != words[0]:
        index = 1
    for word in words:
        if index >= len(tokens) or tokens[index].group(0).lower() != word:
            return text
        pos = tokens[index].end()
        index += 1
    rest = text[pos:]
    stripped = rest.lstrip(" .:;–-\t\n")
    return stripped if stripped else text


def fallback_title(text: str, limit: int = FALLBACK_TITLE_LENGTH) -> str:
    """A readable title for an untitled decision: the text's heading, else its first sentence, cut with '…'."""
    # The published text runs title, formal title and body together, separated by runs of spaces.
    first = collapse_spaces(re.split(r"\s{2,}", text.strip(), maxsplit=1)[0])
    if len(first) <= limit + 20:
        return first
    sentence = re.split(r"(?<=[a-z][.!?])\s+(?=[A-ZÀ-Ý])", first, maxsplit=1)[0]
    if 20 <= len(sentence) <= limit + 20:
        return sentence
    cut = first[:limit + 1].rsplit(" ", 1)[0] if " " in first[:limit + 1] else first[:limit]
    return cut.rstrip(" ,;:–-") + "…"


# --------------------------------------------------------------------------- coalition agreement

@dataclass
class _Node:
    key: str
    parent_key: str | None
    level: Level
    reference: str
    title: str
    policy_domain: str
    line: int
    part: int
    sort: tuple[Any, ...]
    text: str = ""
    section_line: int | None = None
    position: int = 1


_HEADING_RE = re.compile(r"([0-9]+(?:\.[0-9]+)*)\.?\s+(.+)")
_IMPORTED_CITE_RE = re.compile(r".+\.jsonl, regel [0-9]+ \(deel [0-9]+\)")


def _split_heading(heading: str) -> tuple[str, str]:
    match = _HEADING_RE.fullmatch(heading.strip())
    if match:
        return match.group(1), collapse_spaces(match.group(2))
    return "", collapse_spaces(heading)


def _number_sort(number: str, line: int) -> tuple[Any, ...]:
    # Numbered headings in document order (1.2 before 1.10); the file lists them alphabetically.
    return (0, tuple(int(p) for p in number.split(".")), line) if number else (1, (), line)


def _read_sections(path: Path, report: ImportReport) -> dict[str, _Node]:
    """Validate the sections file and build the tree of nodes, keyed like the seeds."""
    rows = _read_lines(path, report)
    report.read = len(rows)
    vocabulary = word_counts(str(d.get("text", "")) for _, d in rows)
    root = AGREEMENT_SOURCE["key"]
    nodes: dict[str, _Node] = {}
    for line, data in rows:
        row = _Row(line, data, report)
        if not row.looks_like(SECTION_FIELDS):
            continue
        part = row.get("part", int)
        if part is not None and part < 1:
            row.fail(f'veld "part" moet 1 of meer zijn, niet {part}.')
        headings = row.get("path", list, required_nonempty=True)
        if headings is not None and not all(isinstance(h, str) and h.strip() for h in headings):
            row.fail('veld "path" moet een lijst van niet-lege koppen (tekst) zijn.')
        number = row.get("number", str, max_length=40)
        if number and not _NUMBER_RE.fullmatch(number.strip()):
            row.fail(f'number "{number}" is geen nummer zoals 3.2.3.')
        title = row.get("title", str, required_nonempty=True, max_length=500)
        text = row.get("text", str)
        if not row.valid:
            continue
        chapter = collapse_spaces(headings[0])
        domain = POLICY_DOMAINS.get(chapter, chapter)
        chapter_key = parent = f"{root}/{slugify(chapter)}"
        if chapter_key not in nodes:
            nodes[chapter_key] = _Node(chapter_key, None, Level.HOOFDSTUK, "", chapter, domain, line, part,
                                       (part, line))
        for depth, heading in enumerate(headings[1:], start=2):
            if depth == len(headings):
                ref, head_title = number.strip(), collapse_spaces(title)
            else:
                ref, head_title = _split_heading(heading)
            # Numbers restart in every part, so a number is unique only within its chapter.
            key = f"{chapter_key}/{ref}" if ref else f"{parent}/{slugify(head_title)}"
            if len(key) > 200 or len(head_title) > 500:
                row.fail(f'kop "{heading[:80]}" is te lang.')
                break
            node = nodes.get(key)
            if node is None:
                nodes[key] = _Node(key, parent, Level.AFDELING, ref, head_title, domain, line, part,
                                   _number_sort(ref, line))
            elif node.parent_key != parent or node.title != head_title:
                row.fail(f'kop "{heading}" staat ook op regel {node.line}, maar onder een andere bovenkop '
                         f"of met een andere titel.")
                break
            parent = key
        if not row.valid:
            continue
        section = nodes[parent]
        if section.section_line is not None:
            row.fail(f"dezelfde sectie ({section.key}) staat al op regel {section.section_line}.")
            continue
        section.section_line = line
        section.text = collapse_spaces(join_hyphenation(strip_heading(text, headings[-1]), vocabulary))
    siblings: dict[str | None, list[_Node]] = defaultdict(list)
    for node in nodes.values():
        siblings[node.parent_key].append(node)
    for group in siblings.values():
        for position, node in enumerate(sorted(group, key=lambda n: n.sort), start=1):
            node.position = position
    return nodes


def _get_source(session: Session, spec: dict[str, Any], report: ImportReport, extra: dict[str, Any]) -> Source:
    source = session.scalar(select(Source).where(Source.key == spec["key"]))
    if source is None:
        source = Source(**spec, **extra)
        session.add(source)
        report.count("created", "bronnen")
    else:
        # An existing source (e.g. seeded) keeps its own description.
        report.count("unchanged", "bronnen")
    return source


def import_agreement(session: Session, path: Path, actor: User | None = None) -> ImportReport:
    """Import the coalition agreement 2019-2024 (sections file) as source ra-2019 with its tree; the caller commits."""
    path = Path(path)
    report = ImportReport("Regeerakkoord 2019-2024", path, "secties")
    nodes = _read_sections(path, report)
    if not report.ok:
        return report
    root = AGREEMENT_SOURCE["key"]
    existing = {c.key: c for c in session.scalars(
        select(Commitment).where(Commitment.key.startswith(f"{root}/", autoescape=True)))}
    source = session.scalar(select(Source).where(Source.key == root))
    for key in nodes:
        obj = existing.get(key)
        if obj is not None and (source is None or obj.source_id != source.id):
            report.error(nodes[key].line, f"engagement {key} bestaat al, maar bij een andere bron.")
    if not report.ok:
        return report
    source = _get_source(session, AGREEMENT_SOURCE, report,
                         {"read_from": f"real-data/{path.name}", "summary": ATTRIBUTION})
    keys_by_id = {c.id: k for k, c in existing.items()}
    objects: dict[str, Commitment] = {}
    kept = 0
    for key, node in nodes.items():  # parents come before their children
        parent = objects[node.parent_key] if node.parent_key else None
        values = {
            "level": node.level, "reference": node.reference, "position": node.position,
            "title": node.title, "text": node.text, "policy_domain": node.policy_domain,
            "cite": f"{path.name}, regel {node.section_line or node.line} (deel {node.part})",
        }
        obj = existing.get(key)
        if obj is None:
            obj = Commitment(key=key, source=source, parent=parent, **values)
            session.add(obj)
            report.count("created", "engagementen")
        elif not _IMPORTED_CITE_RE.fullmatch(obj.cite or ""):
            kept += 1
            report.count("unchanged", "engagementen")
            if keys_by_id.get(obj.parent_id) != node.parent_key:
                report.notes.append(f"Let op: {key} hangt in de database onder "
                                    f"{keys_by_id.get(obj.parent_id) or 'geen ouder'}, in het bestand onder "
                                    f"{node.parent_key or 'geen ouder'}; niet gewijzigd.")
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            for name in changed:
                setattr(obj, name, values[name])
            if _parent_differs(obj, parent):
                obj.parent = parent
                changed.append("parent")
            report.count("updated" if changed else "unchanged", "engagementen")
        objects[key] = obj
    if kept:
        report.notes.append(f"{_n(kept)} engagement(en) uit de seeddata hergebruikt zoals ze zijn "
                            "(tekst en koppelingen blijven behouden).")
    session.flush()
    _log(report, actor, source, "regeerakkoord")
    return report


def _parent_differs(obj: Commitment, parent: Commitment | None) -> bool:
    # Compared by id, so that no parent is loaded; a parent created in this run has no id yet.
    if parent is None:
        return obj.parent_id is not None
    return parent.id is None or obj.parent_id != parent.id


# --------------------------------------------------------------------------- decisions

@dataclass
class _DecisionRow:
    line: int
    site_id: str
    kind: DecisionKind
    meeting_date: date
    title: str
    text: str
    url: str

    @property
    def key(self) -> str:
        return f"vrb-{self.site_id.lower()}"


_SITE_ID_RE = re.compile(r"[A-Za-z0-9-]{1,64}")


def _read_decisions(path: Path, report: ImportReport) -> list[_DecisionRow]:
    """Validate the decisions file; every row comes back typed, with a title (a fallback when empty)."""
    rows = _read_lines(path, report)
    report.read = len(rows)
    result: list[_DecisionRow] = []
    seen: dict[str, int] = {}
    for line, data in rows:
        row = _Row(line, data, report)
        if not row.looks_like(DECISION_FIELDS):
            continue
        site_id = row.get("id", str, required_nonempty=True)
        if site_id is not None and not _SITE_ID_RE.fullmatch(site_id):
            row.fail(f'id "{site_id}" is geen geldige identificatie van de beslissingensite '
                     "(letters, cijfers en streepjes, hoogstens 64 tekens).")
        elif site_id is not None and site_id in seen:
            row.fail(f"id {site_id} staat ook op regel {seen[site_id]}.")
        meeting_date = row.date("meeting_date")
        kind_value = row.get("kind", str)
        kind = DECISION_KINDS.get(kind_value) if kind_value is not None else None
        if kind_value is not None and kind is None:
            row.fail(f'kind "{kind_value}" is onbekend (toegelaten: {", ".join(DECISION_KINDS)}).')
        title = row.get("title", str, max_length=1000)
        text = row.get("text", str)
        url = row.get("source_url", str, max_length=2000)
        if url and not url.startswith(("http://", "https://")):
            row.fail(f'source_url "{url[:80]}" is geen webadres (http:// of https://).')
        if title is not None and text is not None and not title.strip() and not text.strip():
            row.fail('"title" en "text" zijn allebei leeg.')
        if not row.valid:
            continue
        seen[site_id] = line
        result.append(_DecisionRow(line, site_id, kind, meeting_date,  # type: ignore[arg-type]
                                   collapse_spaces(title) or fallback_title(text), text, url.strip()))
    return result


def import_decisions(session: Session, path: Path, actor: User | None = None,
                     progress: ProgressCallback | None = None) -> ImportReport:
    """Import the decisions file, idempotent by site id, matching seeded decisions; the caller commits."""
    path = Path(path)
    report = ImportReport("Beslissingen van de Vlaamse Regering", path, "beslissingen")
    rows = _read_decisions(path, report)
    if not report.ok:
        return report
    source = _get_source(session, DECISIONS_SOURCE, report,
                         {"read_from": f"real-data/{path.name}", "summary": ATTRIBUTION})
    decisions = list(session.scalars(
        select(Decision).options(selectinload(Decision.sources), selectinload(Decision.documents))))
    by_site = {d.site_id: d for d in decisions if d.site_id}
    by_key = {d.key: d for d in decisions}
    by_id = {d.id: d for d in decisions}
    untaken: dict[tuple[date | None, str], list[Decision]] = defaultdict(list)
    for d in decisions:
        if not d.site_id:
            untaken[(d.meeting_date, collapse_spaces(d.title))].append(d)
    documents = {doc.canonical: doc for doc in session.scalars(select(DecisionDocument))}
    matched = 0
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        decision = by_site.get(row.site_id) or by_key.get(row.key)
        if decision is None and untaken.get((row.meeting_date, row.title)):
            decision = untaken[(row.meeting_date, row.title)].pop(0)
            matched += 1
        values = {"site_id": row.site_id, "kind": row.kind, "meeting_date": row.meeting_date,
                  "title": row.title, "text": row.text, "url": row.url,
                  "cite": f"{path.name}, regel {row.line}"}
        if decision is None:
            decision = Decision(key=row.key, sources=[source], **values)
            session.add(decision)
            by_key[row.key] = decision
            report.count("created", "beslissingen")
            changed = False
        else:
            changed = _update_decision(decision, values, owned=decision.key == row.key)
            if source not in decision.sources:
                decision.sources.append(source)
                changed = True
            report.count("updated" if changed else "unchanged", "beslissingen")
        by_site[row.site_id] = decision
        for number in find_document_numbers(row.text):
            doc = documents.get(number.canonical)
            if doc is None:
                doc = DecisionDocument(canonical=number.canonical, printed=number.canonical,
                                       case_key=number.case_key, version=number.version)
                decision.documents.append(doc)
                documents[number.canonical] = doc
                report.count("created", "documentnummers")
            elif doc in decision.documents:
                report.count("unchanged", "documentnummers")
            else:
                owner = by_id.get(doc.decision_id) or doc.decision  # the latter only for a clash in this file
                report.notes.append(f"regel {row.line}: documentnummer {number.canonical} hoort al bij "
                                    f"beslissing {owner.key}; niet opnieuw gekoppeld.")
        if progress is not None and (done % 100 == 0 or done == total):
            progress(done, total)
    if matched:
        report.notes.append(f"{_n(matched)} beslissing(en) uit de seeddata herkend aan datum en titel en "
                            "aangevuld (site-id, tekst) in plaats van opnieuw aangemaakt.")
    session.flush()
    _log(report, actor, source, "beslissingen")
    return report


def _update_decision(decision: Decision, values: dict[str, Any], *, owned: bool) -> bool:
    """Bring an existing decision in step: all fields when the import owns it, else only empty ones."""
    changed = False
    for name, value in values.items():
        current = getattr(decision, name)
        if current == value:
            continue
        if owned or current in (None, "") and name != "cite":
            setattr(decision, name, value)
            changed = True
    return changed


def _log(report: ImportReport, actor: User | None, source: Source, kind: str) -> None:
    if report.changed:
        log("import", kind, report.summary().splitlines()[0], actor, source, report.as_data())
        logger.info("%s imported by %s: %s", report.path.name, actor, report.as_data())
