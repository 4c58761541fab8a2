"""Loads the seed files (seeds/*.toml) into the database, idempotently, in one transaction."""
from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.accounts.models import Role, User
from tracker.accounts.operations import create_user, update_user
from tracker.audit.operations import log_event
from tracker.claims.models import Measure, StatedClaim
from tracker.claims.operations import create_claim, update_claim
from tracker.commitments.models import Commitment, Level, Link, Relation
from tracker.commitments.operations import (
    create_commitment,
    create_link,
    update_commitment,
    update_link,
)
from tracker.core.enums import LabelledEnum
from tracker.core.errors import TrackerError, ValidationError
from tracker.core.writes import operation
from tracker.decisions.models import Decision, DecisionDocument, DecisionKind
from tracker.decisions.operations import (
    add_document_numbers,
    create_decision,
    update_decision,
)
from tracker.parsing import (
    AmountError,
    DocumentNumberError,
    parse_amount,
    parse_document_numbers,
)
from tracker.projects.models import (
    BudgetKind,
    BudgetLine,
    Organisation,
    Programme,
    Project,
    ProjectLevel,
    StatedTotal,
)
from tracker.projects.operations import (
    create_budget_line,
    create_organisation,
    create_programme,
    create_project,
    create_stated_total,
    delete_budget_line,
    update_budget_line,
    update_organisation,
    update_programme,
    update_project,
    update_stated_total,
)
from tracker.sources.models import Source, SourceKind
from tracker.sources.operations import create_source, update_source
from tracker.workflow.models import StatusChange
from tracker.workflow.operations import EvidenceInput, approve_proposal, propose_status
from tracker.workflow.status import NotRealisedReason, Status

logger = logging.getLogger(__name__)

KEYED = ("sources", "programmes", "decisions", "commitments", "projects", "stated_totals", "claims", "users")
FIELDS: dict[str, set[str]] = {
    "sources": {"key", "title_by_editors", "kind", "title", "government", "date", "url", "read_from", "summary", "text", "cite"},
    "programmes": {"key", "name", "short_name", "description", "cite"},
    "decisions": {"key", "title_by_editors", "meeting_date", "title", "document_numbers", "kind", "policy_domain", "summary",
                  "url", "sources", "cite"},
    "commitments": {"key", "title_by_editors", "source", "parent", "level", "reference", "position", "title", "text",
                    "policy_domain", "responsible", "cite"},
    "projects": {"key", "title_by_editors", "programme", "level", "code", "position", "title", "description", "parent",
                 "organisation", "execution_year", "decision", "cite"},
    "stated_totals": {"key", "label", "amount", "partial", "year", "kind", "decision", "programme", "cite"},
    "claims": {"key", "source", "quote", "cite", "claimed", "measure", "counted_what", "counted_source", "level",
               "programme", "year", "project_level", "total", "decision"},
    "users": {"username", "name", "role"},
    "budget_lines": {"project", "organisation", "programme", "year", "month", "kind", "amount", "label",
                     "decision", "total", "cite"},
    "links": {"commitment", "decision", "project", "relation", "rationale", "quote", "cite"},
    "assessments": {"commitment", "status", "reason", "effective_date", "author", "reviewer", "motivation",
                    "review_note", "evidence", "cite"},
}
LISTS = ("budget_lines", "links", "assessments")
OPERATIONS: dict[type, tuple[Callable[..., Any], Callable[..., Any]]] = {
    User: (lambda data, actor: create_user(data["username"], data["name"], data["role"], actor), update_user),
    Source: (create_source, update_source),
    Programme: (create_programme, update_programme),
    Decision: (create_decision, update_decision),
    Commitment: (create_commitment, update_commitment),
    Organisation: (create_organisation, update_organisation),
    Project: (create_project, update_project),
    StatedTotal: (create_stated_total, update_stated_total),
    BudgetLine: (create_budget_line, update_budget_line),
    StatedClaim: (create_claim, update_claim),
}
JOINED_FIELDS = {"document_numbers", "sources"}


class SeedError(Exception):
    """A seed file is malformed; nothing was written."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class Record:
    data: dict[str, Any]
    origin: str  # "file.toml, sources[2] (key 'vds')"


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)

    removed: dict[str, int] = field(default_factory=dict)

    def count(self, bucket: str, kind: str, n: int = 1) -> None:
        target = {"created": self.created, "updated": self.updated, "removed": self.removed}[bucket]
        target[kind] = target.get(kind, 0) + n

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)

    def summary(self) -> str:
        if not self.changed:
            return "Niets gewijzigd: de seeddata stond al in de database."
        parts = [f"{n} {k} nieuw" for k, n in sorted(self.created.items())]
        parts += [f"{n} {k} bijgewerkt" for k, n in sorted(self.updated.items())]
        parts += [f"{n} {k} verwijderd" for k, n in sorted(self.removed.items())]
        return "Seeddata geladen: " + ", ".join(parts) + "."


def read_seed_files(folder: Path) -> tuple[dict[str, dict[str, Record]], dict[str, list[Record]]]:
    """Parse and merge every TOML file; raise SeedError naming file, record and reason."""
    problems: list[str] = []
    keyed: dict[str, dict[str, Record]] = {t: {} for t in KEYED}
    lists: dict[str, list[Record]] = {t: [] for t in LISTS}
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise SeedError([f"Geen seedbestanden (*.toml) gevonden in {folder}."])
    for path in files:
        try:
            content = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            problems.append(f"{path.name}: geen geldige TOML: {exc}")
            continue
        for table, rows in content.items():
            if table not in keyed and table not in lists:
                problems.append(f"{path.name}: onbekende tabel [[{table}]]; toegelaten: "
                                + ", ".join(KEYED + LISTS))
                continue
            if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                problems.append(f"{path.name}: {table} moet een lijst van tabellen zijn ([[{table}]]).")
                continue
            for i, row in enumerate(rows):
                origin = f"{path.name}, {table}[{i}]"
                unknown = sorted(set(row) - FIELDS[table])
                if unknown:
                    hint = (" Een status zet u niet in de seeddata van een engagement maar als beoordeling "
                            "([[assessments]]), zodat ze door de workflow gaat.") if "status" in unknown else ""
                    problems.append(f"{origin}: onbekend veld {', '.join(repr(u) for u in unknown)}; "
                                    f"toegelaten: {', '.join(sorted(FIELDS[table]))}.{hint}")
                    continue
                if table in lists:
                    lists[table].append(Record(row, origin))
                    continue
                key = row.get("key") if table != "users" else row.get("username")
                if not isinstance(key, str) or not key.strip():
                    problems.append(f"{origin}: veld 'key' ontbreekt of is leeg.")
                    continue
                origin += f" (key '{key}')"
                if key in keyed[table]:
                    problems.extend(_merge(keyed[table][key], Record(row, origin)))
                else:
                    keyed[table][key] = Record(dict(row), origin)
    if problems:
        raise SeedError(problems)
    return keyed, lists


def _merge(into: Record, other: Record) -> list[str]:
    problems = []
    for name, value in other.data.items():
        if name == "cite":
            if value and value not in str(into.data.get("cite", "")):
                into.data["cite"] = "; ".join(filter(None, [into.data.get("cite", ""), value]))
            continue
        if name in JOINED_FIELDS:
            existing = list(into.data.get(name, []))
            into.data[name] = existing + [v for v in value if v not in existing]
        elif name not in into.data:
            into.data[name] = value
        elif into.data[name] != value:
            problems.append(
                f"{other.origin}: veld '{name}' is {value!r}, maar {into.origin} zegt {into.data[name]!r}; maak ze gelijk."
            )
    into.origin += f" + {other.origin}"
    return problems


class Loader:
    """Validates merged records and writes them; every problem is collected before anything is kept."""

    def __init__(self, session: Session, folder: Path) -> None:
        self.session = session
        self.folder = folder
        self.problems: list[str] = []
        self.report = SeedReport()

    # --- helpers -----------------------------------------------------------------------------
    def fail(self, rec: Record, message: str) -> None:
        self.problems.append(f"{rec.origin}: {message}")

    def req(self, rec: Record, name: str, kind: type = str) -> Any:
        value = rec.data.get(name)
        if value is None or (kind is str and not str(value).strip()):
            self.fail(rec, f"verplicht veld '{name}' ontbreekt.")
            return None
        if not isinstance(value, kind):
            self.fail(rec, f"veld '{name}' moet een {kind.__name__} zijn, niet {value!r}.")
            return None
        return value

    def opt(self, rec: Record, name: str, kind: type = str, default: Any = "") -> Any:
        value = rec.data.get(name, default)
        if value is default:
            return default
        if kind is date and not isinstance(value, date):
            self.fail(rec, f"veld '{name}' moet een TOML-datum zijn (zoals 2020-11-27), niet {value!r}.")
            return None
        if kind is not date and not isinstance(value, kind):
            self.fail(rec, f"veld '{name}' moet een {kind.__name__} zijn, niet {value!r}.")
            return default
        return value.strip() if isinstance(value, str) else value

    def enum(self, rec: Record, name: str, enum_cls: type[LabelledEnum], required: bool = True) -> Any:
        value = rec.data.get(name)
        if value is None:
            if required:
                self.fail(rec, f"verplicht veld '{name}' ontbreekt.")
            return None
        try:
            return enum_cls.from_label_or_value(str(value))
        except ValueError as exc:
            self.fail(rec, f"veld '{name}': {exc}")
            return None

    def ref(self, rec: Record, name: str, objects: dict[str, Any], required: bool = False) -> Any:
        key = rec.data.get(name)
        if key is None:
            if required:
                self.fail(rec, f"verplicht veld '{name}' ontbreekt.")
            return None
        if not isinstance(key, str):
            self.fail(rec, f"veld '{name}' moet een sleutel (tekst) zijn, niet {key!r}.")
            return None
        obj = objects.get(key)
        if obj is None:
            self.fail(rec, f"'{name}' verwijst naar '{key}', maar die sleutel bestaat niet in de seeddata.")
        return obj

    def amount(self, rec: Record, name: str = "amount") -> tuple[int, str] | None:
        printed = self.req(rec, name)
        if printed is None:
            return None
        if isinstance(printed, int):
            return printed, str(printed)
        try:
            return parse_amount(printed), printed
        except AmountError as exc:
            self.fail(rec, str(exc))
            return None

    def upsert(self, model: type, existing: dict[Any, Any], ident: Any, values: dict[str, Any],
               label: str, rec: Record | None = None, key_field: str = "key") -> Any:
        """Create the record through its domain operation, or update what differs; None when refused."""
        create, update = OPERATIONS[model]
        obj = existing.get(ident)
        try:
            if obj is None:
                obj = create({key_field: ident, **values}, None)
                existing[ident] = obj
                self.report.count("created", label)
            elif update(obj, values, None):
                self.report.count("updated", label)
        except ValidationError as exc:
            if rec is None:
                raise
            self.fail(rec, str(exc))
            return None
        return obj

    def existing(self, model: type, attr: str = "key") -> dict[Any, Any]:
        return {getattr(o, attr): o for o in self.session.scalars(select(model))}

    # --- the load ----------------------------------------------------------------------------
    def load(self) -> SeedReport:
        keyed, lists = read_seed_files(self.folder)
        steps: list[Callable[[], None]] = [
            lambda: self.load_users(keyed["users"]),
            lambda: self.load_sources(keyed["sources"]),
            lambda: self.load_programmes(keyed["programmes"]),
            lambda: self.load_decisions(keyed["decisions"]),
            lambda: self.load_commitments(keyed["commitments"]),
            lambda: self.load_projects(keyed["projects"]),
            lambda: self.load_totals(keyed["stated_totals"]),
            lambda: self.load_budget_lines(lists["budget_lines"]),
            lambda: self.load_claims(keyed["claims"]),
            lambda: self.load_links(lists["links"]),
        ]
        for step in steps:
            step()
            if self.problems:
                raise SeedError(self.problems)
            self.session.flush()
        self.load_assessments(lists["assessments"])
        if self.problems:
            raise SeedError(self.problems)
        if self.report.changed:
            log_event("seed", "loaded", self.report.summary(), None, None,
                {"created": self.report.created, "updated": self.report.updated,
                 "removed": self.report.removed})
        self.session.flush()
        return self.report

    def load_users(self, records: dict[str, Record]) -> None:
        self.users = self.existing(User, "username")
        for username, rec in records.items():
            role = self.enum(rec, "role", Role)
            name = self.req(rec, "name")
            if role and name:
                self.upsert(User, self.users, username, {"name": name, "role": role}, "gebruikers", rec,
                            key_field="username")

    def load_sources(self, records: dict[str, Record]) -> None:
        self.sources = self.existing(Source)
        for key, rec in records.items():
            values = {
                "kind": self.enum(rec, "kind", SourceKind),
                "title": self.req(rec, "title"),
                "title_by_editors": self.opt(rec, "title_by_editors", bool, False),
                "government": self.opt(rec, "government"),
                "date": self.opt(rec, "date", date, None),
                "url": self.opt(rec, "url"),
                "read_from": self.opt(rec, "read_from"),
                "summary": self.opt(rec, "summary"),
                "text": self.opt(rec, "text"),
            }
            if values["kind"] and values["title"]:
                self.upsert(Source, self.sources, key, values, "bronnen", rec)

    def load_programmes(self, records: dict[str, Record]) -> None:
        self.programmes = self.existing(Programme)
        for key, rec in records.items():
            values = {"name": self.req(rec, "name"), "short_name": self.opt(rec, "short_name"),
                      "description": self.opt(rec, "description")}
            if values["name"]:
                self.upsert(Programme, self.programmes, key, values, "programma's", rec)

    def load_decisions(self, records: dict[str, Record]) -> None:
        self.decisions = self.existing(Decision)
        documents = self.existing(DecisionDocument, "canonical")
        for key, rec in records.items():
            values = {
                "meeting_date": self.opt(rec, "meeting_date", date, None),
                "title": self.req(rec, "title"),
                "title_by_editors": self.opt(rec, "title_by_editors", bool, False),
                "kind": self.enum(rec, "kind", DecisionKind, required=False) or DecisionKind.NOTA,
                "policy_domain": self.opt(rec, "policy_domain"),
                "summary": self.opt(rec, "summary"),
                "url": self.opt(rec, "url"),
                "cite": self.opt(rec, "cite")[:500],
            }
            numbers = []
            for printed in self.opt(rec, "document_numbers", list, []):
                try:
                    numbers.extend((n, printed) for n in parse_document_numbers(str(printed)))
                except DocumentNumberError as exc:
                    self.fail(rec, str(exc))
            source_objs = [self.sources.get(k) for k in self.opt(rec, "sources", list, [])]
            if None in source_objs:
                self.fail(rec, "'sources' noemt een bron die niet bestaat in de seeddata.")
            if not values["title"] or self.problems:
                continue
            if values["meeting_date"] is None and numbers:
                values["meeting_date"] = numbers[0][0].meeting_date
            values["sources"] = source_objs
            if key in self.decisions:
                # Sources accumulate: a decision recorded by several documents keeps each of them.
                values["sources"] = list(dict.fromkeys(list(self.decisions[key].sources) + source_objs))
            decision = self.upsert(Decision, self.decisions, key, values, "beslissingen", rec)
            if decision is None:
                continue
            try:
                added = add_document_numbers(decision, numbers, None, known=documents)
            except ValidationError as exc:
                self.fail(rec, str(exc))
                continue
            if added:
                self.report.count("created", "documentnummers", len(added))

    def load_commitments(self, records: dict[str, Record]) -> None:
        self.commitments = self.existing(Commitment)
        for key in self._parents_first(records):
            rec = records[key]
            values = {
                "source": self.ref(rec, "source", self.sources, required=True),
                "parent": self.ref(rec, "parent", self.commitments),
                "level": self.enum(rec, "level", Level),
                "reference": self.opt(rec, "reference"),
                "position": self.opt(rec, "position", int, 1),
                "title": self.req(rec, "title"),
                "title_by_editors": self.opt(rec, "title_by_editors", bool, False),
                "text": self.opt(rec, "text"),
                "policy_domain": self.opt(rec, "policy_domain"),
                "responsible": self.opt(rec, "responsible"),
                "cite": self.opt(rec, "cite")[:500],
            }
            if None not in (values["source"], values["level"], values["title"]) and not self.problems:
                self.upsert(Commitment, self.commitments, key, values, "engagementen", rec)

    def _parents_first(self, records: dict[str, Record]) -> list[str]:
        """The keys ordered so that a parent named in the same files comes before its children."""
        ordered: list[str] = []
        state: dict[str, str] = {}

        def visit(key: str, chain: list[str]) -> None:
            if state.get(key) == "done":
                return
            if state.get(key) == "busy":
                self.fail(records[key], "de ouderketen vormt een kring; controleer 'parent'.")
                return
            state[key] = "busy"
            parent = records[key].data.get("parent")
            if isinstance(parent, str) and parent in records:
                visit(parent, chain + [key])
            state[key] = "done"
            ordered.append(key)

        for key in records:
            visit(key, [])
        return ordered

    def load_projects(self, records: dict[str, Record]) -> None:
        self.projects = self.existing(Project)
        self.organisations = self.existing(Organisation, "name")
        for key in self._parents_first(records):
            rec = records[key]
            values = {
                "programme": self.ref(rec, "programme", self.programmes, required=True),
                "parent": self.ref(rec, "parent", self.projects),
                "level": self.enum(rec, "level", ProjectLevel),
                "code": self.opt(rec, "code"),
                "position": self.opt(rec, "position", int, 1),
                "title": self.req(rec, "title"),
                "title_by_editors": self.opt(rec, "title_by_editors", bool, False),
                "description": self.opt(rec, "description"),
                "execution_year": self.opt(rec, "execution_year", int, None),
                "decision": self.ref(rec, "decision", self.decisions),
                "organisation": self.organisation(rec),
                "cite": self.opt(rec, "cite")[:500],
            }
            if None not in (values["programme"], values["level"], values["title"]) and not self.problems:
                self.upsert(Project, self.projects, key, values, "projecten", rec)

    def organisation(self, rec: Record) -> Organisation | None:
        name = self.opt(rec, "organisation")
        if not name:
            return None
        if name not in self.organisations:
            return self.upsert(Organisation, self.organisations, name, {}, "organisaties", rec, key_field="name")
        return self.organisations[name]

    def load_totals(self, records: dict[str, Record]) -> None:
        self.totals = self.existing(StatedTotal)
        for key, rec in records.items():
            parsed = self.amount(rec)
            values = {
                "label": self.req(rec, "label"),
                "partial": self.opt(rec, "partial", bool, False),
                "year": self.opt(rec, "year", int, None),
                "kind": self.enum(rec, "kind", BudgetKind),
                "programme": self.ref(rec, "programme", self.programmes),
                "decision": self.ref(rec, "decision", self.decisions),
                "cite": self.opt(rec, "cite")[:500],
            }
            if parsed and values["label"] and values["kind"]:
                values["amount"], values["printed"] = parsed
                self.upsert(StatedTotal, self.totals, key, values, "vermelde totalen", rec)

    def load_claims(self, records: dict[str, Record]) -> None:
        claims = self.existing(StatedClaim)
        for key, rec in records.items():
            measure = self.enum(rec, "measure", Measure)
            claimed = self.amount(rec, "claimed") if measure is Measure.AMOUNT else (self.req(rec, "claimed", int),)
            values = {
                "source": self.ref(rec, "source", self.sources, required=True),
                "quote": self.req(rec, "quote"),
                "cite": self.opt(rec, "cite")[:500],
                "claimed": claimed[0] if claimed else None,
                "measure": measure,
                "counted_what": self.req(rec, "counted_what"),
                "counted_source": self.ref(rec, "counted_source", self.sources),
                "level": self.enum(rec, "level", Level, required=False),
                "programme": self.ref(rec, "programme", self.programmes),
                "year": self.opt(rec, "year", int, None),
                "project_level": self.enum(rec, "project_level", ProjectLevel, required=False),
                "total": self.ref(rec, "total", self.totals),
                "decision": self.ref(rec, "decision", self.decisions),
            }
            if not self.problems:
                self.upsert(StatedClaim, claims, key, values, "beweringen", rec)

    def load_budget_lines(self, records: list[Record]) -> None:
        lines = self.existing(BudgetLine)
        seen: dict[str, Record] = {}
        for rec in records:
            owners = [n for n in ("project", "organisation", "programme") if rec.data.get(n)]
            if len(owners) != 1:
                self.fail(rec, "een budgetlijn hoort bij precies één van project, organisation of programme.")
                continue
            owner = owners[0]
            parsed = self.amount(rec)
            values = {
                "year": self.req(rec, "year", int),
                "month": self.opt(rec, "month", int, None),
                "kind": self.enum(rec, "kind", BudgetKind),
                "label": self.opt(rec, "label"),
                "decision": self.ref(rec, "decision", self.decisions),
                "total": self.ref(rec, "total", self.totals),
                "cite": self.opt(rec, "cite")[:500],
                "project": self.ref(rec, "project", self.projects) if owner == "project" else None,
                "programme": self.ref(rec, "programme", self.programmes) if owner == "programme" else None,
                "organisation": self.organisation(rec) if owner == "organisation" else None,
            }
            if values["month"] is not None and not 1 <= values["month"] <= 12:
                self.fail(rec, f"maand {values['month']} bestaat niet; gebruik 1 tot 12.")
            if parsed is None or values["year"] is None or values["kind"] is None:
                continue
            values["amount"], values["printed"] = parsed
            key = "|".join(str(p) for p in (owner, rec.data[owner], values["year"], values["month"] or "",
                                            values["kind"].value, values["label"], rec.data.get("total", "")))
            if key in seen:
                self.fail(rec, f"dezelfde budgetlijn staat ook in {seen[key].origin}; geef ze een verschillend 'label'.")
                continue
            seen[key] = rec
            self.upsert(BudgetLine, lines, key[:300], values, "budgetlijnen", rec)
        # A line renamed or removed in the seed files is no longer part of the documents' figures;
        # keeping it would count its amount twice.
        wanted = {k[:300] for k in seen}
        for key, line in lines.items():
            if key is not None and key not in wanted and key.split("|", 1)[0] in ("project", "organisation", "programme"):
                delete_budget_line(line, None)
                self.report.count("removed", "budgetlijnen")

    def load_links(self, records: list[Record]) -> None:
        existing = {(l.commitment_id, l.decision_id, l.project_id): l for l in self.session.scalars(select(Link))}
        wanted: dict[tuple, tuple[Record, dict[str, Any], tuple]] = {}
        for rec in records:
            ends = [n for n in ("commitment", "decision", "project") if rec.data.get(n)]
            if len(ends) != 2:
                self.fail(rec, "een koppeling verbindt precies twee van commitment, decision en project.")
                continue
            objects = (self.ref(rec, "commitment", self.commitments),
                       self.ref(rec, "decision", self.decisions),
                       self.ref(rec, "project", self.projects))
            relation = self.enum(rec, "relation", Relation)
            if relation is None or self.problems:
                continue
            ident = tuple(o.id if o is not None else None for o in objects)
            values = {"relation": relation, "rationale": self.opt(rec, "rationale"),
                      "quote": self.opt(rec, "quote"), "cite": self.opt(rec, "cite")}
            if ident not in wanted:
                wanted[ident] = (rec, values, objects)
                continue
            # Two documents make the same connection: keep both rationales.
            first, earlier, _ = wanted[ident]
            if earlier["relation"] is not relation:
                self.fail(rec, f"dezelfde koppeling staat ook in {first.origin} met een andere aard "
                               f"('{earlier['relation'].label}'); maak ze gelijk.")
                continue
            for name in ("rationale", "quote", "cite"):
                if values[name] and values[name] not in earlier[name]:
                    earlier[name] = "\n\n".join(filter(None, [earlier[name], values[name]]))
        for ident, (rec, values, (commitment, decision, project)) in wanted.items():
            values["cite"] = values["cite"][:500]
            link = existing.get(ident)
            try:
                if link is None:
                    create_link({"commitment": commitment, "decision": decision, "project": project, **values}, None)
                    self.report.count("created", "koppelingen")
                elif update_link(link, values, None):
                    self.report.count("updated", "koppelingen")
            except ValidationError as exc:
                self.fail(rec, str(exc))


    def load_assessments(self, records: list[Record]) -> None:
        """Propose and approve each assessment once; a second load finds it in the history and skips it."""
        # An assessment counts as loaded once its commitment has reached that status through the
        # workflow; editing its date or text in the seed file later does not re-propose it (a change of
        # an approved status is a correction, made through `tracker status propose`).
        done = {(c.commitment_id, c.to_status) for c in self.session.scalars(select(StatusChange))}
        for rec in records:
            commitment = self.ref(rec, "commitment", self.commitments, required=True)
            status = self.enum(rec, "status", Status)
            reason = self.enum(rec, "reason", NotRealisedReason, required=False)
            effective = self.opt(rec, "effective_date", date, None)
            author = self.ref(rec, "author", self.users, required=True)
            reviewer = self.ref(rec, "reviewer", self.users, required=True)
            evidence = []
            for item in self.opt(rec, "evidence", list, []):
                if not isinstance(item, dict) or not isinstance(item.get("passage", ""), str):
                    self.fail(rec, "elk bewijsstuk is een tabel ([[assessments.evidence]]) met een tekst als 'passage'.")
                    continue
                kinds = [k for k in ("decision", "project", "source") if k in item]
                if len(kinds) != 1:
                    self.fail(rec, "elk bewijsstuk noemt precies één van decision, project of source.")
                    continue
                table = {"decision": self.decisions, "project": self.projects,
                         "source": self.sources}[kinds[0]]
                target = table.get(item[kinds[0]])
                if target is None:
                    self.fail(rec, f"bewijsstuk '{item[kinds[0]]}' bestaat niet in de seeddata.")
                    continue
                self.session.flush()
                evidence.append(EvidenceInput(kinds[0], target.id, item.get("passage", "")))
            if None in (commitment, status, effective, author, reviewer) or self.problems:
                if effective is None and "effective_date" not in rec.data:
                    self.fail(rec, "verplicht veld 'effective_date' ontbreekt.")
                continue
            if (commitment.id, status) in done:
                continue
            try:
                proposal = propose_status(
                    commitment, to_status=status, effective_date=effective,
                    motivation=self.opt(rec, "motivation"), actor=author,
                    seen_version=commitment.version, evidence=evidence, reason=reason,
                )
                approve_proposal(proposal, reviewer, self.opt(rec, "review_note"))
            except TrackerError as exc:
                self.fail(rec, str(exc))
                continue
            self.report.count("created", "beoordelingen")


@operation
def load_seeds(session: Session, folder: Path) -> SeedReport:
    """Load every seed file in ``folder``; the caller commits. Raises SeedError and writes nothing."""
    return Loader(session, folder).load()
