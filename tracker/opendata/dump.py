"""The full JSON dump of all public data (``tracker export``) and its import into an empty database.

Format (version DUMP_VERSION, JSON Schema in tracker/opendata/schemas/dump-v1.schema.json):
``{"format": "regeerakkoord-tracker-dump", "version": 1, "exported_dt": ..., "<table>": [records]}``
with the tables of TABLES, in an order where every reference points to an earlier record. Records
refer to each other by key (organisations by name, users by username); status changes by their
``number`` in the dump. Left out: accounts beyond the name and role of those in the public history,
passwords, sessions, open or rejected proposals, the audit log, and edit counters (``version``).

The import writes every record through its domain's operations, in one transaction: the status
history is replayed (proposed by its author, approved by its reviewer), so statuses follow from it.
Recording times (``created_dt``, ``removed_dt``, ``recorded_dt``, ``proposed_dt``) are those of the
exporting tracker; an import records its own (RECORDING_TIMES).
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.accounts.models import Role, User
from tracker.accounts.operations import create_user
from tracker.claims.models import Measure, StatedClaim
from tracker.claims.operations import create_claim
from tracker.commitments.models import Commitment, Level, Link, Relation
from tracker.commitments.operations import create_commitment, create_link, remove_link
from tracker.core.db import db, utcnow
from tracker.core.writes import operation
from tracker.decisions.models import Decision, DecisionKind
from tracker.decisions.operations import add_document_numbers, create_decision
from tracker.opendata import records
from tracker.opendata.api import history_query
from tracker.parsing import parse_document_numbers
from tracker.projects import operations as money
from tracker.projects.models import (
    BudgetKind,
    BudgetLine,
    Organisation,
    Programme,
    Project,
    ProjectLevel,
    StatedTotal,
)
from tracker.sources.models import Source, SourceKind
from tracker.sources.operations import create_source
from tracker.workflow.models import StatusChange
from tracker.workflow.operations import EvidenceInput, approve_proposal, propose_status
from tracker.workflow.status import NotRealisedReason, Status

FORMAT = "regeerakkoord-tracker-dump"
DUMP_VERSION = 1
SCHEMA_FILE = Path(__file__).parent / "schemas" / f"dump-v{DUMP_VERSION}.schema.json"
TABLES = ("users", "sources", "programmes", "organisations", "decisions", "commitments", "projects",
          "stated_totals", "budget_lines", "stated_claims", "links", "status_changes")
RECORDING_TIMES = {"links": ("created_dt", "removed_dt"), "status_changes": ("recorded_dt", "proposed_dt")}
# API fields that are no data of the record: its page on this site, its edit counter, its row id.
_NOT_DATA = ("page", "version", "id")


class DumpError(Exception):
    """A dump that cannot be imported; nothing was written."""


def _data(shape: dict[str, Any], *drop: str) -> dict[str, Any]:
    return {k: v for k, v in shape.items() if k not in _NOT_DATA + drop}


# --------------------------------------------------------------------------- export


def export_data() -> dict[str, Any]:
    """Every public record, as the dump holds it (a few queries per table, none per record)."""
    s = db.session
    changes = list(s.scalars(history_query().order_by(StatusChange.id)))
    numbers = {c.id: n for n, c in enumerate(changes, start=1)}
    people = {u.id: u for c in changes for u in (c.author, c.reviewer)}
    commitments = list(s.scalars(select(Commitment).options(
        selectinload(Commitment.source), selectinload(Commitment.parent)).order_by(Commitment.id)))
    projects = list(s.scalars(select(Project).options(
        selectinload(Project.programme), selectinload(Project.parent), selectinload(Project.organisation),
        selectinload(Project.decision)).order_by(Project.id)))
    return {
        "format": FORMAT, "version": DUMP_VERSION, "exported_dt": records.iso(utcnow()),
        "users": [{"username": u.username, "name": u.name, "role": u.role.value}
                  for u in sorted(people.values(), key=lambda u: u.id)],
        "sources": [_data(records.source(x, full=True)) for x in s.scalars(select(Source).order_by(Source.id))],
        "programmes": [_data(records.programme(x)) for x in s.scalars(select(Programme).order_by(Programme.id))],
        "organisations": [_data(records.organisation(x))
                          for x in s.scalars(select(Organisation).order_by(Organisation.id))],
        "decisions": [_data(records.decision(x, full=True)) for x in s.scalars(
            select(Decision).options(selectinload(Decision.documents), selectinload(Decision.sources))
            .order_by(Decision.id))],
        "commitments": _parents_first([_data(records.commitment(x, full=True)) for x in commitments]),
        "projects": _parents_first([_data(records.project(x)) for x in projects]),
        "stated_totals": [_data(records.stated_total(x, with_sums=False)) for x in s.scalars(
            select(StatedTotal).options(selectinload(StatedTotal.programme), selectinload(StatedTotal.decision))
            .order_by(StatedTotal.id))],
        "budget_lines": [_data(records.budget_line(x)) for x in s.scalars(
            select(BudgetLine).options(selectinload(BudgetLine.project), selectinload(BudgetLine.organisation),
                                       selectinload(BudgetLine.programme), selectinload(BudgetLine.decision),
                                       selectinload(BudgetLine.total)).order_by(BudgetLine.id))],
        "stated_claims": [_data(records.stated_claim(x)) for x in s.scalars(
            select(StatedClaim).options(selectinload(StatedClaim.source), selectinload(StatedClaim.counted_source),
                                        selectinload(StatedClaim.programme), selectinload(StatedClaim.total),
                                        selectinload(StatedClaim.decision)).order_by(StatedClaim.id))],
        "links": [_data(records.link(x, history=True)) for x in s.scalars(
            select(Link).options(selectinload(Link.commitment), selectinload(Link.decision),
                                 selectinload(Link.project)).order_by(Link.id))],
        "status_changes": [
            {**_data(records.status_change(c), "author", "reviewer"), "number": numbers[c.id],
             "corrects": numbers.get(c.corrects_id) if c.corrects_id else None,
             "author": c.author.username, "reviewer": c.reviewer.username,
             "proposed_dt": records.iso(c.proposed_dt), "review_note": c.proposal.review_note}
            for c in changes],
    }


def _parents_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Tree records ordered so that each parent comes before its children (stable otherwise)."""
    by_key = {r["key"]: r for r in rows}
    ordered: list[dict[str, Any]] = []
    placed: set[str] = set()

    def place(row: dict[str, Any]) -> None:
        if row["key"] in placed:
            return
        placed.add(row["key"])
        if row["parent"] in by_key:
            place(by_key[row["parent"]])
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


def write_dump(path: Path) -> dict[str, int]:
    data = export_data()
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return {table: len(data[table]) for table in TABLES}


# --------------------------------------------------------------------------- import


def check_dump(data: Any) -> None:
    """:raise DumpError: when ``data`` is not a dump of this format version (Dutch message)."""
    from jsonschema import Draft202012Validator

    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DumpError(f"Dit is geen dump van de Regeerakkoord-tracker (veld format moet \"{FORMAT}\" zijn).")
    if data.get("version") != DUMP_VERSION:
        raise DumpError(f"Deze dump heeft formaatversie {data.get('version')!r}; deze tracker leest versie "
                        f"{DUMP_VERSION}.")
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    errors = sorted(Draft202012Validator(schema).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        shown = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(dump)'}: {e.message[:200]}"
                          for e in errors[:10])
        raise DumpError(f"De dump volgt het schema niet ({len(errors)} fouten): {shown}")


def _is_empty() -> bool:
    return all(not db.session.scalar(select(func.count()).select_from(model))
               for model in (Source, Commitment, Decision, Programme, Organisation, Project, StatedTotal, StatedClaim,
                             BudgetLine, Link, StatusChange))


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


class _Importer:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.by: dict[str, dict[str, Any]] = {t: {} for t in TABLES}

    def ref(self, table: str, key: str | None) -> Any:
        if key is None:
            return None
        try:
            return self.by[table][key]
        except KeyError:
            raise DumpError(f"{table}: de sleutel \"{key}\" wordt gebruikt maar staat niet (eerder) in de dump.") \
                from None

    def run(self) -> None:
        d = self.data
        existing = {u.username: u for u in db.session.scalars(select(User))}
        for u in d["users"]:
            self.by["users"][u["username"]] = existing.get(u["username"]) or create_user(
                u["username"], u["name"], Role(u["role"]), None)
        for x in d["sources"]:
            self.by["sources"][x["key"]] = create_source(
                {**x, "kind": SourceKind(x["kind"]), "date": _day(x["date"])}, None)
        for x in d["programmes"]:
            self.by["programmes"][x["key"]] = money.create_programme(x, None)
        for x in d["organisations"]:
            self.by["organisations"][x["name"]] = money.create_organisation(x, None)
        for x in d["decisions"]:
            values = {k: v for k, v in x.items() if k not in ("document_numbers", "sources")}
            decision = create_decision({**values, "kind": DecisionKind(x["kind"]),
                                        "meeting_date": _day(x["meeting_date"]),
                                        "sources": [self.ref("sources", k) for k in x["sources"]]}, None)
            numbers = []
            for n in x["document_numbers"]:
                (parsed,) = parse_document_numbers(n["canonical"])
                numbers.append((parsed, n["printed"]))
            add_document_numbers(decision, numbers, None)
            self.by["decisions"][x["key"]] = decision
        for x in d["commitments"]:
            values = {k: v for k, v in x.items() if k not in ("status", "status_since")}
            self.by["commitments"][x["key"]] = create_commitment(
                {**values, "source": self.ref("sources", x["source"]), "parent": self.ref("commitments", x["parent"]),
                 "level": Level(x["level"])}, None)
            db.session.flush()  # ids in dump order (the unit of work would insert parents first)
        for x in d["projects"]:
            self.by["projects"][x["key"]] = money.create_project(
                {**x, "programme": self.ref("programmes", x["programme"]), "parent": self.ref("projects", x["parent"]),
                 "organisation": self.ref("organisations", x["organisation"]),
                 "decision": self.ref("decisions", x["decision"]), "level": ProjectLevel(x["level"])}, None)
            db.session.flush()
        for x in d["stated_totals"]:
            self.by["stated_totals"][x["key"]] = money.create_stated_total(
                {**x, "kind": BudgetKind(x["kind"]), "programme": self.ref("programmes", x["programme"]),
                 "decision": self.ref("decisions", x["decision"])}, None)
        for x in d["budget_lines"]:
            money.create_budget_line({**x, "kind": BudgetKind(x["kind"]), "project": self.ref("projects", x["project"]),
                                "organisation": self.ref("organisations", x["organisation"]),
                                "programme": self.ref("programmes", x["programme"]),
                                "decision": self.ref("decisions", x["decision"]),
                                "total": self.ref("stated_totals", x["total"])}, None)
        for x in d["stated_claims"]:
            create_claim({**x, "source": self.ref("sources", x["source"]), "measure": Measure(x["measure"]),
                          "counted_source": self.ref("sources", x["counted_source"]),
                          "level": Level(x["level"]) if x["level"] else None,
                          "programme": self.ref("programmes", x["programme"]),
                          "project_level": ProjectLevel(x["project_level"]) if x["project_level"] else None,
                          "total": self.ref("stated_totals", x["total"]),
                          "decision": self.ref("decisions", x["decision"])}, None)
        for x in d["links"]:
            self.link(x)
        self.history(d["status_changes"])

    def link(self, x: dict[str, Any]) -> None:
        values = {k: x[k] for k in ("rationale", "quote", "cite")}
        link = create_link({"commitment": self.ref("commitments", x["commitment"]),
                            "decision": self.ref("decisions", x["decision"]),
                            "project": self.ref("projects", x["project"]),
                            "relation": Relation(x["relation"]), **values}, None)
        if x["removed_dt"] is not None:
            # A removed link stays as history, with its reason.
            remove_link(link, x["removal_reason"], None)

    def history(self, changes: list[dict[str, Any]]) -> None:
        kinds = {"decision": "decisions", "project": "projects", "source": "sources"}
        replayed: dict[int, StatusChange] = {}
        for x in changes:
            commitment = self.ref("commitments", x["commitment"])
            db.session.flush()
            evidence = [EvidenceInput(e["type"], self.ref(kinds[e["type"]], e["key"]).id, e["passage"])
                        for e in x["evidence"]]
            proposal = propose_status(
                commitment, to_status=Status(x["to_status"]), effective_date=date.fromisoformat(x["effective_date"]),
                motivation=x["motivation"], actor=self.ref("users", x["author"]), seen_version=commitment.version,
                evidence=evidence, reason=NotRealisedReason(x["reason"]) if x["reason"] else None,
                corrects=replayed[x["corrects"]] if x["corrects"] else None)
            replayed[x["number"]] = approve_proposal(proposal, self.ref("users", x["reviewer"]), x["review_note"])


@operation
def import_data(data: dict[str, Any]) -> dict[str, int]:
    """Write a checked dump into an empty database through the operations; the caller commits."""
    check_dump(data)
    if not _is_empty():
        raise DumpError("De database bevat al gegevens; importeer een dump alleen in een lege database "
                        "(tracker db upgrade op een nieuwe database).")
    _Importer(data).run()
    return {table: len(data[table]) for table in TABLES}


def read_dump(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise DumpError(f"{path} is geen leesbaar JSON-bestand: {exc}") from exc
