"""The preview of an import: which rows create a decision, which update one (each field old → new),
which change nothing and which are refused, with the reason. Nothing is written here.

A row is matched to a decision by its site identifier, else by one of its document numbers, else by
meeting date and title; so the real-data file, imported again, finds every decision already there.
A decision that an import created (key ``vrb-…`` or ``imp-…``) follows the file; one that the seed data
or an editor made is only completed: the import fills its empty fields and never overwrites them.
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.decisions.models import Decision, DecisionDocument, DecisionKind
from tracker.importers.cleaning import collapse_spaces, slugify
from tracker.importers.jsonl import _n, _shown
from tracker.intake.formats import ReadResult, Row
from tracker.parsing import DocumentNumber, find_document_numbers
from tracker.sources.models import Source

CREATE, UPDATE, UNCHANGED, REFUSED = "create", "update", "unchanged", "refused"
ACTION_LABELS = {CREATE: "nieuw", UPDATE: "bijgewerkt", UNCHANGED: "ongewijzigd", REFUSED: "geweigerd"}
OWNED_PREFIXES = ("vrb-", "imp-")
FIELD_LABELS = {"site_id": "site-id", "meeting_date": "datum", "kind": "soort", "title": "titel",
                "summary": "samenvatting", "text": "tekst", "url": "webadres", "documents": "documentnummers",
                "sources": "bronnen"}
ProgressCallback = Callable[[int, int], None]


@dataclass
class Item:
    """What the import does with one row."""

    action: str
    line: int
    where: str
    title: str = ""
    reason: str = ""
    decision: Decision | None = None
    values: dict[str, Any] = field(default_factory=dict)
    numbers: list[tuple[DocumentNumber, str]] = field(default_factory=list)
    add_source: bool = False
    changes: dict[str, tuple[str, str]] = field(default_factory=dict)  # shown: label → (old, new)
    matched_by: str = ""
    kept: list[str] = field(default_factory=list)  # fields the file gives otherwise but the import may not overwrite

    @property
    def label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class Plan:
    name: str
    format: str
    items: list[Item]
    source_spec: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def of(self, action: str) -> list[Item]:
        return [item for item in self.items if item.action == action]

    @property
    def counts(self) -> dict[str, int]:
        return {action: len(self.of(action)) for action in ACTION_LABELS}

    @property
    def changes_anything(self) -> bool:
        return any(item.action in (CREATE, UPDATE) for item in self.items)

    @property
    def digest(self) -> str:
        """A fingerprint of what the plan would do: the confirmation must match the preview it confirms."""
        what = [(i.action, i.line, i.decision.id if i.decision else None, sorted(i.changes.items()), i.reason)
                for i in self.items]
        return hashlib.sha256(json.dumps(what, default=str).encode()).hexdigest()

    def summary(self) -> str:
        c = self.counts
        return (f"{self.name} ({self.format}): {_n(len(self.items))} rijen; {_n(c[CREATE])} nieuw, "
                f"{_n(c[UPDATE])} bijgewerkt, {_n(c[UNCHANGED])} ongewijzigd, {_n(c[REFUSED])} geweigerd.")

    def describe(self, limit: int = 50) -> list[str]:
        """The preview as Dutch lines for the CLI: the summary, then the changes and refusals."""
        lines = [self.summary()]
        shown = [i for i in self.items if i.action != UNCHANGED]
        for item in shown[:limit]:
            if item.action == REFUSED:
                lines.append(f"  geweigerd  {item.where}: {item.reason}")
                continue
            target = item.decision.key if item.decision is not None else item.values.get("key", "")
            lines.append(f"  {item.label:<10} {item.where}: {target} {_short(item.title, 70)}")
            for name, (old, new) in item.changes.items():
                lines.append(f"             {name}: {_short(old, 60) or '(leeg)'} → {_short(new, 60) or '(leeg)'}")
        if len(shown) > limit:
            lines.append(f"  … en nog {_n(len(shown) - limit)} rijen.")
        lines += [f"  {note}" for note in self.notes]
        return lines


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[:limit - 1] + "…"


def _new_key(row: Row, taken: set[str]) -> str:
    if row.site_id:
        return f"vrb-{row.site_id.lower()}"
    base = f"imp-{row.meeting_date.isoformat() if row.meeting_date else 'zonder-datum'}-{slugify(row.title, 40)}"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


class _Index:
    """The decisions in the database, by site id, key, document number and meeting date + title."""

    def __init__(self, session: Session) -> None:
        decisions = list(session.scalars(select(Decision).options(
            selectinload(Decision.documents), selectinload(Decision.sources))))
        self.by_site = {d.site_id: d for d in decisions if d.site_id}
        self.by_key = {d.key: d for d in decisions}
        self.by_id = {d.id: d for d in decisions}
        self.by_doc: dict[str, Decision] = {}
        for d in decisions:
            for doc in d.documents:
                self.by_doc[doc.canonical] = d
        self.by_date_title: dict[tuple[date | None, str], list[Decision]] = defaultdict(list)
        for d in decisions:
            self.by_date_title[(d.meeting_date, collapse_spaces(d.title))].append(d)
        self.docs = {doc.canonical: doc for doc in session.scalars(select(DecisionDocument))}

    def match(self, row: Row) -> tuple[Decision | None, str]:
        if row.site_id:
            found = self.by_site.get(row.site_id) or self.by_key.get(f"vrb-{row.site_id.lower()}")
            if found is not None:
                return found, "site-id"
        for number, _ in row.numbers:
            if number.canonical in self.by_doc:
                return self.by_doc[number.canonical], "documentnummer"
        for candidate in self.by_date_title.get((row.meeting_date, row.title), []):
            if not (row.site_id and candidate.site_id):
                return candidate, "datum en titel"
        return None, ""


def make_plan(session: Session, read: ReadResult, name: str, *, progress: ProgressCallback | None = None) -> Plan:
    """The preview of importing these rows into the database as it is now.

    A row with a site identifier comes from the public decisions site: its decision gets that site as a
    source (DECISIONS_SOURCE, as the real-data importer gives it).
    """
    from tracker.importers.decisions import DECISIONS_SOURCE

    source_spec = DECISIONS_SOURCE
    index = _Index(session)
    source = session.scalar(select(Source).where(Source.key == source_spec["key"]))
    items: list[Item] = [Item(REFUSED, r.line, r.where, reason=r.reason) for r in read.refused]
    taken_keys = set(index.by_key)
    claimed: dict[int, str] = {}  # decision id → the row (where) that already matched it
    planned_docs: dict[str, str] = {}  # canonical number → the row that gives it to a new decision
    planned_sites: dict[str, str] = {}  # lower-cased site id → the row that creates its decision
    total = len(read.rows)
    for done, row in enumerate(read.rows, start=1):
        items.append(_plan_row(row, index, claimed, planned_docs, planned_sites, taken_keys, name,
                               source_spec, source))
        if progress is not None and (done % 100 == 0 or done == total):
            progress(done, total)
    items.sort(key=lambda i: i.line)
    plan = Plan(name, read.format, items, source_spec)
    kept = [i for i in items if i.kept]
    if kept:
        plan.notes.append(f"{_n(len(kept))} rij(en) geven andere waarden voor een beslissing uit de seeddata of van "
                          f"een redacteur (bv. {kept[0].where}: {', '.join(kept[0].kept)}); die worden niet "
                          "overschreven, alleen lege velden worden aangevuld.")
    return plan


def _plan_row(row: Row, index: _Index, claimed: dict[int, str], planned_docs: dict[str, str],
              planned_sites: dict[str, str],
              taken_keys: set[str], name: str, source_spec: dict[str, Any], source: Source | None) -> Item:
    decision, matched_by = index.match(row)
    item = Item(CREATE, row.line, row.where, row.title, decision=decision, matched_by=matched_by)
    if decision is None and row.site_id and row.site_id.lower() in planned_sites:
        return _refuse(item, f"site_id {row.site_id} staat ook op {planned_sites[row.site_id.lower()]}; "
                             "laat één van beide rijen over.")
    if decision is not None and decision.id in claimed:
        return _refuse(item, f"beschrijft dezelfde beslissing ({decision.key}) als {claimed[decision.id]}; "
                             "laat één van beide rijen over.")
    if row.site_id and decision is not None and decision.site_id not in (None, row.site_id):
        return _refuse(item, f"het {matched_by} wijst naar beslissing {decision.key}, die site-id "
                             f"{decision.site_id} heeft, niet {row.site_id}; controleer de site_id.")
    # Document numbers: those of the column must be free or already this decision's.
    numbers: list[tuple[DocumentNumber, str]] = []
    for number, printed in row.numbers:
        owner = index.by_doc.get(number.canonical)
        if owner is not None and owner is not decision:
            return _refuse(item, f"documentnummer {number.canonical} hoort al bij beslissing {owner.key} "
                                 f"(“{_short(owner.title, 60)}”); controleer het nummer.")
        if number.canonical in planned_docs:
            return _refuse(item, f"documentnummer {number.canonical} staat ook op {planned_docs[number.canonical]}.")
        if owner is None:
            numbers.append((number, printed))
    # ... those found in the text are added when free, as the real-data importer does.
    listed = {n.canonical for n, _ in numbers}
    for number in find_document_numbers(row.text or ""):
        if number.canonical not in index.by_doc and number.canonical not in planned_docs \
                and number.canonical not in listed:
            numbers.append((number, number.canonical))
            listed.add(number.canonical)
    given = {"site_id": row.site_id, "meeting_date": row.meeting_date, "kind": row.kind, "title": row.title,
             "summary": row.summary, "text": row.text, "url": row.url}
    given = {k: v for k, v in given.items() if v not in (None, "")}
    if decision is None:
        key = _new_key(row, taken_keys)
        taken_keys.add(key)
        if row.site_id:
            planned_sites[row.site_id.lower()] = row.where
        item.values = {"key": key, "kind": DecisionKind.NOTA, **given, "cite": f"{name}, {row.where}"}
        item.changes = {FIELD_LABELS[k]: ("", _shown(v)) for k, v in given.items()}
    else:
        claimed[decision.id] = row.where
        owned = decision.key.startswith(OWNED_PREFIXES)
        item.values = {k: v for k, v in given.items() if getattr(decision, k) != v
                       and (owned or getattr(decision, k) in (None, ""))}
        item.changes = {FIELD_LABELS[k]: (_shown(getattr(decision, k)), _shown(v)) for k, v in item.values.items()}
        item.kept = [FIELD_LABELS[k] for k, v in given.items() if k not in item.values and getattr(decision, k) != v]
        item.action = UPDATE
    if numbers:
        before = [doc.canonical for doc in decision.documents] if decision is not None else []
        item.changes[FIELD_LABELS["documents"]] = (", ".join(before),
                                                   ", ".join(before + [n.canonical for n, _ in numbers]))
    item.numbers = numbers
    for number, _ in numbers:
        planned_docs[number.canonical] = row.where
    if row.site_id and (source is None or decision is None or source not in decision.sources):
        item.add_source = True
        if decision is not None:
            item.changes[FIELD_LABELS["sources"]] = (", ".join(s.key for s in decision.sources),
                                                     ", ".join([*(s.key for s in decision.sources),
                                                                source_spec["key"]]))
    if item.action == UPDATE and not item.changes:
        item.action = UNCHANGED
    return item


def _refuse(item: Item, reason: str) -> Item:
    item.action, item.reason, item.decision = REFUSED, reason, None
    return item
