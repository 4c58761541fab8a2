"""Reading commitments: trees, roll-ups, statuses on a date, timelines."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from tracker.asof import budget_line_counts, commitment_counts, link_counts
from tracker.commitments.models import Commitment, Link
from tracker.core.db import db
from tracker.projects.models import BudgetKind, BudgetLine, Project
from tracker.workflow.models import StatusChange
from tracker.workflow.status import Status

COUNTED_BUDGET = (BudgetKind.INVESTERING, BudgetKind.EXPLOITATIE)


@dataclass
class Rollup:
    counts: Counter[Status] = field(default_factory=Counter)
    euro: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def assessed(self) -> int:
        return self.total - self.counts[Status.NIET_BEOORDEELD]

    @property
    def progress(self) -> float | None:
        """Mean progress weight of the assessed, testable commitments; None when there are none."""
        weighted = [(s.weight, n) for s, n in self.counts.items() if s.weight is not None]
        n = sum(c for _, c in weighted)
        return None if n == 0 else sum(w * c for w, c in weighted) / n

    def ordered(self) -> list[tuple[Status, int]]:
        return [(s, self.counts[s]) for s in Status if self.counts[s]]


@dataclass
class Node:
    commitment: Commitment
    status: Status
    children: list["Node"] = field(default_factory=list)
    rollup: Rollup = field(default_factory=Rollup)
    # The distinct projects linked anywhere below, with their euros.
    projects: dict[int, int] = field(default_factory=dict)

    @property
    def counts_itself(self) -> bool:
        """A node counts in roll-ups when it is a leaf or has been assessed itself."""
        return not self.children or self.status is not Status.NIET_BEOORDEELD


def statuses_on(day: date, commitment_ids: Iterable[int] | None = None) -> dict[int, Status]:
    """Each commitment's public status on ``day``, from the history; corrected rows are ignored."""
    corrected = select(StatusChange.corrects_id).where(StatusChange.corrects_id.is_not(None))
    stmt = (
        select(StatusChange.commitment_id, StatusChange.to_status, StatusChange.effective_date,
               StatusChange.id)
        .where(StatusChange.effective_date <= day, StatusChange.id.not_in(corrected))
        .order_by(StatusChange.effective_date, StatusChange.id)
    )
    if commitment_ids is not None:
        stmt = stmt.where(StatusChange.commitment_id.in_(list(commitment_ids)))
    result: dict[int, Status] = {}
    for commitment_id, to_status, _, _ in db.session.execute(stmt):
        result[commitment_id] = to_status
    return result


def source_tree(source_id: int, as_of: date | None = None) -> list[Node]:
    """The whole tree of a source, with roll-ups on every node, in three queries.

    As of a date (``tracker.asof``): empty when the source did not exist yet; statuses from the
    history, and only the projects, budget lines and links that existed then.
    """
    commitments = list(db.session.scalars(
        select(Commitment).where(Commitment.source_id == source_id, commitment_counts(as_of))
        .order_by(Commitment.position, Commitment.id)
    ))
    historic = statuses_on(as_of, [c.id for c in commitments]) if as_of else None
    nodes = {
        c.id: Node(c, (historic.get(c.id, Status.NIET_BEOORDEELD) if historic is not None else c.status))
        for c in commitments
    }
    roots: list[Node] = []
    for c in commitments:
        (nodes[c.parent_id].children if c.parent_id in nodes else roots).append(nodes[c.id])
    project_euros = _linked_project_euros([c.id for c in commitments], as_of)
    for root in roots:
        _roll_up(root, project_euros)
    return roots


def _linked_project_euros(commitment_ids: list[int], as_of: date | None = None) -> dict[int, dict[int, int]]:
    """For each commitment, the projects linked to it and each project's own budget (as of a date)."""
    if not commitment_ids:
        return {}
    budget = (
        select(BudgetLine.project_id, func.sum(BudgetLine.amount).label("euro"))
        .where(BudgetLine.project_id.is_not(None), BudgetLine.kind.in_(COUNTED_BUDGET),
               budget_line_counts(as_of))
        .group_by(BudgetLine.project_id).subquery()
    )
    rows = db.session.execute(
        select(Link.commitment_id, Link.project_id, func.coalesce(budget.c.euro, 0))
        .join(budget, budget.c.project_id == Link.project_id, isouter=True)
        .where(Link.commitment_id.in_(commitment_ids), Link.project_id.is_not(None), link_counts(as_of))
    )
    result: dict[int, dict[int, int]] = defaultdict(dict)
    for commitment_id, project_id, euro in rows:
        result[commitment_id][project_id] = int(euro)
    return result


def _roll_up(node: Node, project_euros: dict[int, dict[int, int]]) -> None:
    """Fill node.rollup from its subtree, counting each linked project once."""
    node.projects = dict(project_euros.get(node.commitment.id, {}))
    for child in node.children:
        _roll_up(child, project_euros)
        node.projects.update(child.projects)
        node.rollup.counts.update(child.rollup.counts)
    if node.counts_itself:
        node.rollup.counts[node.status] += 1
    node.rollup.euro = sum(node.projects.values())


def combined_rollup(roots: list[Node]) -> Rollup:
    """The roll-up of a whole source: all its roots, each linked project once."""
    total = Rollup()
    projects: dict[int, int] = {}
    for root in roots:
        total.counts.update(root.rollup.counts)
        projects.update(root.projects)
    total.euro = sum(projects.values())
    return total


def find_node(roots: list[Node], commitment_id: int) -> Node | None:
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node.commitment.id == commitment_id:
            return node
        stack.extend(node.children)
    return None


def ancestors(commitment: Commitment) -> list[Commitment]:
    chain = []
    node = commitment.parent
    while node is not None:
        chain.append(node)
        node = node.parent
    return list(reversed(chain))


def links_of(commitment_id: int | None = None, decision_id: int | None = None,
             project_id: int | None = None, as_of: date | None = None) -> list[Link]:
    """The links of a record, with both ends loaded; as of a date, only links whose ends existed."""
    conditions = []
    if commitment_id is not None:
        conditions.append(Link.commitment_id == commitment_id)
    if decision_id is not None:
        conditions.append(Link.decision_id == decision_id)
    if project_id is not None:
        conditions.append(Link.project_id == project_id)
    return list(db.session.scalars(
        select(Link).where(or_(*conditions), link_counts(as_of)).options(*_LINK_LOADS).order_by(Link.id)
    ))


_LINK_LOADS = (selectinload(Link.commitment).selectinload(Commitment.source), selectinload(Link.decision),
               selectinload(Link.project).selectinload(Project.programme), selectinload(Link.created_by), selectinload(Link.removed_by))


def removed_links(commitment_id: int) -> list[Link]:
    """A commitment's removed links, newest removal first: who linked it and when, who removed it and why."""
    return list(db.session.scalars(
        select(Link).where(Link.commitment_id == commitment_id, Link.removed_dt.is_not(None))
        .options(*_LINK_LOADS).order_by(Link.removed_dt.desc(), Link.id.desc())
    ))


def history(commitment_id: int) -> list[StatusChange]:
    return list(db.session.scalars(
        select(StatusChange).where(StatusChange.commitment_id == commitment_id)
        .options(selectinload(StatusChange.proposal), selectinload(StatusChange.author),
                 selectinload(StatusChange.reviewer))
        .order_by(StatusChange.effective_date, StatusChange.id)
    ))


def changes_between(start: date, end: date) -> list[tuple[Commitment, Status, Status, list[StatusChange]]]:
    """Commitments whose status at the end of ``end`` differs from that before ``start``, with the changes."""
    corrected = select(StatusChange.corrects_id).where(StatusChange.corrects_id.is_not(None))
    rows = list(db.session.scalars(
        select(StatusChange)
        .where(StatusChange.effective_date >= start, StatusChange.effective_date <= end,
               StatusChange.id.not_in(corrected))
        .options(selectinload(StatusChange.commitment).selectinload(Commitment.source))
        .order_by(StatusChange.effective_date, StatusChange.id)
    ))
    ids = {r.commitment_id for r in rows}
    # Nothing lies before the first day a date can hold (?van=0001-01-01).
    before = statuses_on(start - timedelta(days=1), ids) if start > date.min else {}
    after = statuses_on(end, ids)
    result = []
    for cid in sorted(ids, key=lambda i: min(r.effective_date for r in rows if r.commitment_id == i)):
        old = before.get(cid, Status.NIET_BEOORDEELD)
        new = after.get(cid, Status.NIET_BEOORDEELD)
        if old is not new:
            changes = [r for r in rows if r.commitment_id == cid]
            result.append((changes[0].commitment, old, new, changes))
    return result
