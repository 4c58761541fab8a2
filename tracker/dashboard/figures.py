"""The figures of the staff's dashboards: progress per node, money, time, stalled commitments.

Every function takes ``as_of`` and follows the one as-of rule (``tracker.asof``): trees and roll-ups
come from ``source_tree(source_id, as_of)``; dated events (decisions, status changes) count up to
that day. Each runs a fixed number of queries, whatever the number of commitments.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.asof import (
    TERM_STARTS,
    budget_line_counts,
    decision_counts,
    link_counts,
    project_counts,
)
from tracker.commitments.models import Commitment, Link
from tracker.commitments.queries import (
    COUNTED_BUDGET,
    Node,
    Rollup,
    combined_rollup,
    find_node,
    source_tree,
)
from tracker.core.clock import today as brussels_today
from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.projects.models import (
    BudgetKind,
    BudgetLine,
    Organisation,
    Programme,
    Project,
    ProjectLevel,
    StatedTotal,
)
from tracker.sources.models import Source
from tracker.workflow.models import StatusChange
from tracker.workflow.status import Status

# The nominal end of each term: the Jambon government handed over on 30 September 2024; the
# Diependaele government's five years end with the next elections' government, nominally 2029.
TERM_ENDS: dict[str, date] = {
    "Vlaamse Regering 2019-2024": date(2024, 9, 30),
    "Vlaamse Regering 2024-2029": date(2029, 9, 30),
}


def subtree(node: Node) -> list[Node]:
    result, stack = [], [node]
    while stack:
        current = stack.pop()
        result.append(current)
        stack.extend(reversed(current.children))
    return result


@dataclass
class Scope:
    """A source, or one node of its tree, as it stood on ``as_of``."""

    source: Source
    node: Node | None  # None: the whole source
    roots: list[Node]
    as_of: date | None

    @property
    def children(self) -> list[Node]:
        return self.node.children if self.node is not None else self.roots

    @property
    def rollup(self) -> Rollup:
        return self.node.rollup if self.node is not None else combined_rollup(self.roots)

    @property
    def nodes(self) -> list[Node]:
        tops = [self.node] if self.node is not None else self.roots
        return [n for top in tops for n in subtree(top)]


def scope(source: Source, node_id: int | None, as_of: date | None) -> Scope | None:
    """None when ``node_id`` is no node of this source (as of that day)."""
    roots = source_tree(source.id, as_of)
    node = find_node(roots, node_id) if node_id is not None else None
    if node_id is not None and node is None:
        return None
    return Scope(source, node, roots, as_of)


# --------------------------------------------------------------------------- commitments list


@dataclass
class Row:
    node: Node
    last_evidence: date | None
    euro: int

    @property
    def commitment(self) -> Commitment:
        return self.node.commitment

    @property
    def status(self) -> Status:
        return self.node.status


def last_activity(commitment_ids: list[int], as_of: date | None) -> tuple[dict[int, date], dict[int, date]]:
    """Per commitment: the latest meeting date of a linked decision, and the latest status change."""
    if not commitment_ids:
        return {}, {}
    decided = select(Link.commitment_id, func.max(Decision.meeting_date)).join(
        Decision, Decision.id == Link.decision_id).where(
        Link.commitment_id.in_(commitment_ids), link_counts(as_of), decision_counts(as_of),
        Decision.meeting_date.is_not(None))
    if as_of is not None:
        decided = decided.where(Decision.meeting_date <= as_of)
    changed = select(StatusChange.commitment_id, func.max(StatusChange.effective_date)).where(
        StatusChange.commitment_id.in_(commitment_ids))
    if as_of is not None:
        changed = changed.where(StatusChange.effective_date <= as_of)
    return (dict(db.session.execute(decided.group_by(Link.commitment_id)).all()),
            dict(db.session.execute(changed.group_by(StatusChange.commitment_id)).all()))


SORTS = {
    "plaats": ("plaats in de boom", lambda r: 0),
    "status": ("status", lambda r: list(Status).index(r.status)),
    "bewijs": ("laatste bewijs (recentste eerst)", lambda r: -(r.last_evidence or date.min).toordinal()),
    "budget": ("gekoppeld budget (grootste eerst)", lambda r: -r.euro),
    "domein": ("beleidsdomein", lambda r: r.commitment.policy_domain or "~"),
}


def commitment_rows(scope: Scope, status: Status | None = None, domain: str = "",
                    sort: str = "plaats", evidence_before: date | None = None,
                    budget: str = "") -> list[Row]:
    """The commitments that count in the roll-up (leaves and assessed nodes), filtered and sorted."""
    nodes = [n for n in scope.nodes if n.counts_itself]
    decided, changed = last_activity([n.commitment.id for n in nodes], scope.as_of)
    rows = []
    for n in nodes:
        dates = [d for d in (decided.get(n.commitment.id), changed.get(n.commitment.id)) if d]
        rows.append(Row(n, max(dates) if dates else None, sum(n.projects.values())))
    if status is not None:
        rows = [r for r in rows if r.status is status]
    if domain:
        rows = [r for r in rows if r.commitment.policy_domain == domain]
    if evidence_before is not None:
        rows = [r for r in rows if r.last_evidence is None or r.last_evidence < evidence_before]
    if budget == "met":
        rows = [r for r in rows if r.euro > 0]
    elif budget == "zonder":
        rows = [r for r in rows if r.euro == 0]
    key = SORTS.get(sort, SORTS["plaats"])[1]
    return sorted(rows, key=key)  # stable: ties keep the tree's order


# --------------------------------------------------------------------------- stalled


@dataclass
class Stalled:
    row: Row
    chapter: Commitment | None
    months: int | None  # None: never any evidence or status change


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month - (later.day < earlier.day)


def stalled(sources: Iterable[Source], months: int, as_of: date | None) -> list[tuple[Source, list[Stalled]]]:
    """Commitments with no new evidence or status change for ``months`` months, per source and chapter."""
    today = as_of or brussels_today()
    result = []
    for source in sources:
        found = scope(source, None, as_of)
        if found is None or not found.roots:
            continue
        rows = commitment_rows(found)
        chapter_of = {}
        for root in found.roots:
            for n in subtree(root):
                chapter_of[n.commitment.id] = root.commitment if n is not root else None
        items = []
        for row in rows:
            if row.status in (Status.GEREALISEERD, Status.NIET_GEREALISEERD, Status.NIET_TOETSBAAR):
                continue  # finished, or not to be tested: nothing more to expect
            quiet = None if row.last_evidence is None else months_between(row.last_evidence, today)
            if quiet is None or quiet >= months:
                items.append(Stalled(row, chapter_of.get(row.commitment.id), quiet))
        result.append((source, items))
    return result


# --------------------------------------------------------------------------- time


def decisions_per_month(scope: Scope) -> list[tuple[str, int]]:
    """Distinct decisions linked anywhere in the scope, per month of their meeting (YYYY-MM), in order."""
    ids = [n.commitment.id for n in scope.nodes]
    if not ids:
        return []
    rows = db.session.execute(
        select(Decision.id, Decision.meeting_date).join(Link, Link.decision_id == Decision.id)
        .where(Link.commitment_id.in_(ids), link_counts(scope.as_of), decision_counts(scope.as_of),
               Decision.meeting_date.is_not(None)).distinct()
    ).all()
    months = Counter(f"{d:%Y-%m}" for _, d in rows if scope.as_of is None or d <= scope.as_of)
    if not months:
        return []
    first, last = min(months), max(months)
    out, (year, month) = [], map(int, first.split("-"))
    while f"{year:04d}-{month:02d}" <= last:
        label = f"{year:04d}-{month:02d}"
        out.append((label, months.get(label, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


@dataclass
class TermShare:
    start: date
    end: date
    day: date
    progress: float | None  # the weighted share of promises fulfilled (status weights), 0-100

    @property
    def elapsed(self) -> float:
        total = (self.end - self.start).days
        return max(0.0, min(100.0, 100 * (self.day - self.start).days / total))


def term_share(scope: Scope) -> TermShare | None:
    start = TERM_STARTS.get(scope.source.government)
    end = TERM_ENDS.get(scope.source.government)
    if start is None or end is None:
        return None
    return TermShare(start, end, scope.as_of or brussels_today(), scope.rollup.progress)


# --------------------------------------------------------------------------- money


@dataclass
class _Projects:
    by_id: dict[int, Project]
    amounts: dict[int, int]  # own lines per project, investment and operating

    def top_with_lines(self, project_id: int) -> bool:
        """Whether this project's lines count: no project above it has lines of its own.

        A parent's line is the total its children's lines are parts of ("waarbij inbegrepen"),
        so the children count only where the parent has none.
        """
        parent = self.by_id[project_id].parent_id
        while parent is not None:
            if parent in self.amounts:
                return False
            parent = self.by_id[parent].parent_id
        return True

    def money(self, project_id: int, children: dict[int, list[int]]) -> int:
        """A project's own lines, or else the sum of its children's."""
        if project_id in self.amounts:
            return self.amounts[project_id]
        return sum(self.money(c, children) for c in children.get(project_id, []))


def _projects(as_of: date | None) -> _Projects:
    projects = {p.id: p for p in db.session.scalars(select(Project).where(project_counts(as_of)))}
    amounts = dict(db.session.execute(
        select(BudgetLine.project_id, func.sum(BudgetLine.amount))
        .where(BudgetLine.project_id.is_not(None), BudgetLine.kind.in_(COUNTED_BUDGET), budget_line_counts(as_of))
        .group_by(BudgetLine.project_id)).all())
    return _Projects(projects, {k: int(v) for k, v in amounts.items() if k in projects})


def budget_by(as_of: date | None, group: str) -> list[tuple[str, int, int]]:
    """Budgets decided grouped by ``programme``, ``year`` or ``organisation``: (label, investment, operating).

    A line of a project counts for the project's programme and organisation, once: where a project's
    own line is the total of its children's lines, only that line counts (see _Projects).
    """
    projects = _projects(as_of)
    names = {
        "programme": dict(db.session.execute(select(Programme.id, Programme.name)).all()),
        "organisation": dict(db.session.execute(select(Organisation.id, Organisation.name)).all()),
    }
    rows = db.session.execute(
        select(BudgetLine.project_id, BudgetLine.programme_id, BudgetLine.organisation_id, BudgetLine.year,
               BudgetLine.kind, func.sum(BudgetLine.amount))
        .where(BudgetLine.kind.in_(COUNTED_BUDGET), budget_line_counts(as_of))
        .group_by(BudgetLine.project_id, BudgetLine.programme_id, BudgetLine.organisation_id, BudgetLine.year,
                  BudgetLine.kind))
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for project_id, programme_id, organisation_id, year, kind, amount in rows:
        if project_id is not None:
            if project_id not in projects.by_id or not projects.top_with_lines(project_id):
                continue
            project = projects.by_id[project_id]
            programme_id, organisation_id = project.programme_id, project.organisation_id
        if group == "programme":
            name = names["programme"].get(programme_id, "zonder programma")
        elif group == "organisation":
            name = names["organisation"].get(organisation_id, "zonder entiteit")
        else:
            name = str(year)
        table[name][0 if kind is BudgetKind.INVESTERING else 1] += int(amount)
    result = [(name, inv, ops) for name, (inv, ops) in table.items()]
    if group == "year":
        return sorted(result)
    return sorted(result, key=lambda r: (-(r[1] + r[2]), r[0]))


def speerpunt_budgets(as_of: date | None) -> list[tuple[Project, int]]:
    """Each programme speerpunt with its budget: its own lines, or else its projects' lines."""
    projects = _projects(as_of)
    children: dict[int, list[int]] = defaultdict(list)
    for project in projects.by_id.values():
        if project.parent_id is not None:
            children[project.parent_id].append(project.id)
    speerpunten = [p for p in projects.by_id.values() if p.level is ProjectLevel.SPEERPUNT]
    return sorted(((p, projects.money(p.id, children)) for p in speerpunten),
                  key=lambda item: (item[0].programme_id, item[0].execution_year or 0, item[0].position))


def stated_differences() -> list[StatedTotal]:
    """Stated totals whose document's own total differs from the sum of its parts (not the partial ones)."""
    totals = db.session.scalars(select(StatedTotal).options(selectinload(StatedTotal.lines))
                                .order_by(StatedTotal.year, StatedTotal.key))
    return [t for t in totals if not t.partial and t.difference != 0]
