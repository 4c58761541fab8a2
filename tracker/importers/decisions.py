"""Import the 3,003 decisions of the Flemish Government (../shared/real-data), idempotent by site id.

A decision the import created (key ``vrb-<site id>``) is kept in step with the file. Seeded decisions
(``ana-NN``) are matched by meeting date and title; the import only fills their empty fields (site id,
text, address), which the seeds do not set. Nothing is ever deleted.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.accounts.models import User
from tracker.core.writes import operation
from tracker.decisions.models import Decision, DecisionDocument, DecisionKind
from tracker.decisions.operations import (
    add_document_numbers,
    create_decision,
    update_decision,
)
from tracker.importers.cleaning import collapse_spaces, fallback_title
from tracker.importers.jsonl import (
    ATTRIBUTION,
    MAX_TEXT_CHARS,
    ImportReport,
    ProgressCallback,
    _get_source,
    _log,
    _n,
    _read_lines,
    _Row,
)
from tracker.parsing import find_document_numbers
from tracker.sources.models import SourceKind

DECISIONS_FILE = "vr-decisions-2019-2024.jsonl"
DECISIONS_SOURCE = {
    "key": "vr-beslissingen",
    # The public decisions site publishes its decisions as news items; no kind fits better.
    "kind": SourceKind.NIEUWSBERICHT,
    "title": "Beslissingen van de Vlaamse Regering (publieke beslissingensite)",
    "url": "https://beslissingenvlaamseregering.vlaanderen.be/",
}
DECISION_FIELDS = ("id", "meeting_date", "kind", "title", "text", "source_url")
DECISION_KINDS = {"nota": DecisionKind.NOTA, "mededeling": DecisionKind.MEDEDELING}


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
    seen: dict[str, tuple[int, str]] = {}  # by lower-cased id, as the key: line and spelling
    for line, data in rows:
        row = _Row(line, data, report)
        if not row.looks_like(DECISION_FIELDS):
            continue
        site_id = row.get("id", str, required_nonempty=True)
        if site_id is not None and not _SITE_ID_RE.fullmatch(site_id):
            row.fail(f'id "{site_id}" is geen geldige identificatie van de beslissingensite '
                     "(letters, cijfers en streepjes, hoogstens 64 tekens).")
        elif site_id is not None and site_id.lower() in seen:
            other_line, other = seen[site_id.lower()]
            if other == site_id:
                row.fail(f"id {site_id} staat ook op regel {other_line}.")
            else:
                row.fail(f"id {site_id} verschilt alleen in hoofdletters van id {other} op regel {other_line}; "
                         "de tracker onderscheidt ze niet.")
        meeting_date = row.date("meeting_date")
        kind_value = row.get("kind", str)
        kind = DECISION_KINDS.get(kind_value) if kind_value is not None else None
        if kind_value is not None and kind is None:
            row.fail(f'kind "{kind_value}" is onbekend (toegelaten: {", ".join(DECISION_KINDS)}).')
        title = row.get("title", str, max_length=1000)
        text = row.get("text", str, max_length=MAX_TEXT_CHARS)
        url = row.get("source_url", str, max_length=2000)
        if url and not url.startswith(("http://", "https://")):
            row.fail(f'source_url "{url[:80]}" is geen webadres (http:// of https://).')
        if title is not None and text is not None and not title.strip() and not text.strip():
            row.fail('"title" en "text" zijn allebei leeg.')
        if not row.valid:
            continue
        seen[site_id.lower()] = (line, site_id)
        result.append(_DecisionRow(line, site_id, kind, meeting_date,  # type: ignore[arg-type]
                                   collapse_spaces(title) or fallback_title(text), text, url.strip()))
    return result


@operation
def import_decisions(session: Session, path: Path, actor: User | None = None,
                     progress: ProgressCallback | None = None) -> ImportReport:
    """Import the decisions file, idempotent by site id, matching seeded decisions; the caller commits."""
    path = Path(path)
    report = ImportReport("Beslissingen van de Vlaamse Regering", path, "beslissingen")
    rows = _read_decisions(path, report)
    if not report.ok:
        return report
    source = _get_source(session, DECISIONS_SOURCE, report,
                         {"read_from": f"real-data/{path.name}", "summary": ATTRIBUTION}, actor)
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
            decision = create_decision({"key": row.key, "sources": [source], **values}, actor)
            by_key[row.key] = decision
            report.created_record("beslissing", row.key, row.title)
        else:
            changes = _owned_values(decision, values, owned=decision.key == row.key)
            if source not in decision.sources:
                changes["sources"] = [*decision.sources, source]
            report.updated_record("beslissing", decision.key,
                                  update_decision(decision, changes, actor) if changes else {})
        by_site[row.site_id] = decision
        new_numbers = []
        for number in find_document_numbers(row.text):
            doc = documents.get(number.canonical)
            if doc is None:
                new_numbers.append((number, number.canonical))
            elif doc in decision.documents:
                report.count("unchanged", "documentnummers")
            else:
                owner = by_id.get(doc.decision_id) or doc.decision  # the latter only for a clash in this file
                report.notes.append(f"regel {row.line}: documentnummer {number.canonical} hoort al bij "
                                    f"beslissing {owner.key}; niet opnieuw gekoppeld.")
        if new_numbers:
            added = add_document_numbers(decision, new_numbers, actor, known=documents)
            report.count("created", "documentnummers", len(added))
        if progress is not None and (done % 100 == 0 or done == total):
            progress(done, total)
    if matched:
        report.notes.append(f"{_n(matched)} beslissing(en) uit de seeddata herkend aan datum en titel en "
                            "aangevuld (site-id, tekst) in plaats van opnieuw aangemaakt.")
    session.flush()
    _log(report, actor, source, "beslissingen")
    return report


def _owned_values(decision: Decision, values: dict[str, Any], *, owned: bool) -> dict[str, Any]:
    """What the import may change: every field of a decision it owns, else only the empty ones."""
    return {name: value for name, value in values.items() if getattr(decision, name) != value
            and (owned or getattr(decision, name) in (None, "") and name != "cite")}


