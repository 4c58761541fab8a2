"""Counting what a claim is checked against, for many claims in a few queries."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from tracker.claims.models import Measure, StatedClaim
from tracker.commitments.models import Commitment
from tracker.core.db import db
from tracker.projects.models import BudgetLine, Project, StatedTotal


@dataclass
class CheckedClaim:
    claim: StatedClaim
    counted: int

    @property
    def difference(self) -> int:
        """What the tracker counts minus what the document claims."""
        return self.counted - self.claim.claimed

    @property
    def agrees(self) -> bool:
        return self.difference == 0


def _count(claim: StatedClaim) -> Any:
    if claim.measure is Measure.COMMITMENTS:
        return select(func.count(Commitment.id)).where(Commitment.source_id == claim.counted_source_id,
                                                       Commitment.level == claim.level)
    if claim.measure is Measure.PROJECTS:
        stmt = select(func.count(Project.id)).where(Project.programme_id == claim.programme_id)
        if claim.year is not None:
            stmt = stmt.where(Project.execution_year == claim.year)
        if claim.project_level is not None:
            stmt = stmt.where(Project.level == claim.project_level)
        return stmt
    if claim.measure is Measure.BUDGET_LINES:
        return select(func.count(BudgetLine.id)).where(BudgetLine.total_id == claim.total_id)
    return select(func.coalesce(func.sum(BudgetLine.amount), 0)).where(BudgetLine.total_id == claim.total_id)


def check(claims: Iterable[StatedClaim]) -> list[CheckedClaim]:
    """Each claim with what the tracker counts: one query, with one aggregate subquery per claim."""
    claims = list(claims)
    if not claims:
        return []
    counts = db.session.execute(select(*(_count(claim).scalar_subquery() for claim in claims))).one()
    return [CheckedClaim(claim, int(value or 0)) for claim, value in zip(claims, counts)]


def claims_about(*, source_id: int | None = None, programme_id: int | None = None,
                 decision_id: int | None = None) -> list[CheckedClaim]:
    """The claims a page shows: made by a source, about a programme, or in a decision's note."""
    conditions = []
    if source_id is not None:
        conditions += [StatedClaim.source_id == source_id, StatedClaim.counted_source_id == source_id]
    if programme_id is not None:
        conditions += [StatedClaim.programme_id == programme_id, StatedClaim.total_id.in_(
            select(StatedTotal.id).where(StatedTotal.programme_id == programme_id))]
    if decision_id is not None:
        conditions.append(StatedClaim.decision_id == decision_id)
    claims = db.session.scalars(
        select(StatedClaim).where(or_(*conditions))
        .options(selectinload(StatedClaim.source), selectinload(StatedClaim.total))
        .order_by(StatedClaim.source_id, StatedClaim.key))
    return check(claims)
