"""Budget sums per programme and per project."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, or_, select

from tracker.core.db import db
from tracker.projects.models import BudgetKind, BudgetLine, Project, StatedTotal


def programme_budget(programme_id: int) -> dict[tuple[int, BudgetKind], int]:
    """Sum of the lines of a programme's own projects (top level only, so parts are not counted twice)."""
    rows = db.session.execute(
        select(BudgetLine.year, BudgetLine.kind, func.sum(BudgetLine.amount))
        .join(Project, Project.id == BudgetLine.project_id)
        .where(Project.programme_id == programme_id, Project.parent_id.is_(None))
        .group_by(BudgetLine.year, BudgetLine.kind)
    )
    return {(year, kind): int(total) for year, kind, total in rows}


def programme_totals() -> dict[int, int]:
    """For every programme, the sum of its top-level projects' lines, in one query."""
    rows = db.session.execute(
        select(Project.programme_id, func.sum(BudgetLine.amount))
        .join(Project, Project.id == BudgetLine.project_id)
        .where(Project.parent_id.is_(None))
        .group_by(Project.programme_id)
    )
    return defaultdict(int, {programme_id: int(total) for programme_id, total in rows})


def project_euros(project_ids: list[int]) -> dict[int, int]:
    """Investment and operating money per project (payment forecasts excluded)."""
    if not project_ids:
        return {}
    rows = db.session.execute(
        select(BudgetLine.project_id, func.sum(BudgetLine.amount))
        .where(BudgetLine.project_id.in_(project_ids),
               BudgetLine.kind.in_((BudgetKind.INVESTERING, BudgetKind.EXPLOITATIE)))
        .group_by(BudgetLine.project_id)
    )
    result: dict[int, int] = defaultdict(int)
    for project_id, total in rows:
        result[project_id] = int(total)
    return result


def totals_for_programme(programme_id: int) -> list[StatedTotal]:
    """Stated totals of a programme: its own, and those whose lines belong to its projects."""
    project_ids = select(Project.id).where(Project.programme_id == programme_id)
    line_totals = select(BudgetLine.total_id).where(
        or_(BudgetLine.project_id.in_(project_ids), BudgetLine.programme_id == programme_id))
    return list(db.session.scalars(
        select(StatedTotal).where(or_(StatedTotal.programme_id == programme_id,
                                      StatedTotal.id.in_(line_totals)))
        .order_by(StatedTotal.year, StatedTotal.kind, StatedTotal.id)))


def depth_first(projects: list[Project]) -> list[Project]:
    """Each project directly followed by its sub-projects, keeping the given order among siblings."""
    children: dict[int | None, list[Project]] = {}
    ids = {p.id for p in projects}
    for p in projects:
        children.setdefault(p.parent_id if p.parent_id in ids else None, []).append(p)
    ordered: list[Project] = []

    def walk(parent_id: int | None) -> None:
        for p in children.get(parent_id, []):
            ordered.append(p)
            walk(p.id)

    walk(None)
    return ordered
