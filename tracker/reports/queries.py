"""Gathering a fulfilment report: a node of a source's tree, its status, history, links and references."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.asof import link_counts
from tracker.commitments.models import Commitment, Link
from tracker.commitments.queries import Node, ancestors, find_node, source_tree
from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.projects.models import Project
from tracker.workflow.models import Evidence, StatusChange, StatusProposal


@dataclass
class Reference:
    """One numbered reference: a decision or project linked somewhere in the report."""

    number: int
    decision: Decision | None = None
    project: Project | None = None

    @property
    def record(self) -> Decision | Project:
        return self.decision if self.decision is not None else self.project  # type: ignore[return-value]

    @property
    def date(self) -> date | None:
        if self.decision is not None:
            return self.decision.meeting_date
        return None

    @property
    def title(self) -> str:
        return self.record.title


@dataclass
class Section:
    node: Node
    depth: int
    current: StatusChange | None
    links: list[tuple[Link, Reference]] = field(default_factory=list)

    @property
    def commitment(self) -> Commitment:
        return self.node.commitment


@dataclass
class Report:
    commitment: Commitment
    path: list[Commitment]
    as_of: date | None
    node: Node
    sections: list[Section]
    references: list[Reference]
    history: list[StatusChange]

    @property
    def root(self) -> Section:
        return self.sections[0]

    def number_of(self, record: object) -> int | None:
        """The reference number of a decision or project cited in this report (evidence, say)."""
        for ref in self.references:
            if ref.record is record:
                return ref.number
        return None

    @property
    def decisions(self) -> list[Reference]:
        return [r for r in self.references if r.decision is not None]

    @property
    def projects(self) -> list[Reference]:
        return [r for r in self.references if r.project is not None]


def _depth_first(node: Node, depth: int = 0) -> list[tuple[Node, int]]:
    result = [(node, depth)]
    for child in node.children:
        result.extend(_depth_first(child, depth + 1))
    return result


def _sort_key(link: Link) -> tuple:
    if link.decision is not None:
        return (0, link.decision.meeting_date or date.max, link.decision.title)
    return (1, date.max, link.project.title if link.project else "")


def current_changes(changes: list[StatusChange], as_of: date | None) -> dict[int, StatusChange]:
    """Per commitment, the status change in force (as of a date): the latest that no correction replaced."""
    corrected = {c.corrects_id for c in changes if c.corrects_id}
    result: dict[int, StatusChange] = {}
    for change in changes:
        if change.id in corrected or (as_of is not None and change.effective_date > as_of):
            continue
        result[change.commitment_id] = change
    return result


def build_report(commitment: Commitment, as_of: date | None = None) -> Report | None:
    """The report on ``commitment`` and everything below it; None when it did not exist on ``as_of``.

    A fixed number of queries, whatever the size of the subtree.
    """
    node = find_node(source_tree(commitment.source_id, as_of), commitment.id)
    if node is None:
        return None
    nodes = _depth_first(node)
    ids = [n.commitment.id for n, _ in nodes]
    links = list(db.session.scalars(
        select(Link).where(Link.commitment_id.in_(ids), link_counts(as_of))
        .options(selectinload(Link.decision).selectinload(Decision.documents),
                 selectinload(Link.project).selectinload(Project.programme))
    ))
    changes = list(db.session.scalars(
        select(StatusChange).where(StatusChange.commitment_id.in_(ids))
        .options(selectinload(StatusChange.author), selectinload(StatusChange.reviewer),
                 selectinload(StatusChange.proposal).selectinload(StatusProposal.evidence)
                 .selectinload(Evidence.decision),
                 selectinload(StatusChange.proposal).selectinload(StatusProposal.evidence)
                 .selectinload(Evidence.source))
        .order_by(StatusChange.effective_date, StatusChange.id)
    ))
    in_force = current_changes(changes, as_of)
    by_commitment: dict[int, list[Link]] = {}
    for link in links:
        by_commitment.setdefault(link.commitment_id, []).append(link)  # type: ignore[arg-type]

    references: dict[tuple[str, int], Reference] = {}
    sections = []
    for n, depth in nodes:
        section = Section(n, depth, in_force.get(n.commitment.id))
        for link in sorted(by_commitment.get(n.commitment.id, []), key=_sort_key):
            key = ("decision", link.decision_id) if link.decision_id else ("project", link.project_id)
            if key not in references:
                references[key] = Reference(len(references) + 1, decision=link.decision, project=link.project)
            section.links.append((link, references[key]))  # type: ignore[index]
        sections.append(section)
    history = [c for c in changes if c.commitment_id == commitment.id
               and (as_of is None or c.effective_date <= as_of)]
    return Report(commitment, ancestors(commitment), as_of, node, sections, list(references.values()), history)
