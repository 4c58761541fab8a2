"""The one as-of rule: what existed on a date, for every page and roll-up that takes ``?op=``.

As of a day D a page shows the world as it stood then:

- a **source** counts from its date; an undated source from the day its government took office
  (``TERM_STARTS``); an undated source of no government (the public decisions site) always;
- a **decision** counts from its meeting date; an undated one from the earliest date of a dated source
  that records it (the VRD 3 2026 decision: the news item of 13 January 2026); otherwise always;
- a **project** counts from the date of the decision that approved it, or, without one, from
  1 January of its execution year;
- a **budget line** counts when its year is D's year or earlier and its decision (if any) counts;
- a **link** counts when both its ends count (a commitment counts with its source) and it was not
  removed by the end of D (``removed_dt`` NULL or on a later day); today only links not removed count;
- a **status** is the one in force by effective date (``tracker.commitments.queries.statuses_on``).

The link's own recording date is not used: links record a connection in the world (a decision that
serves a promise), and most were recorded long after both ends existed. Its removal is dated by when
an editor removed it, so a removed link stays in the as-of views of the days before its removal and in
the commitment's history.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from tracker.commitments.models import Commitment, Link
from tracker.core.clock import end_of_day_utc
from tracker.decisions.models import Decision, decision_sources
from tracker.projects.models import BudgetLine, Project
from tracker.sources.models import Source

# The day each government took office: the Jambon government was sworn in on 2 October 2019 (the
# first meeting in the real decisions), the Diependaele government on 30 September 2024.
TERM_STARTS: dict[str, date] = {
    "Vlaamse Regering 2019-2024": date(2019, 10, 2),
    "Vlaamse Regering 2024-2029": date(2024, 9, 30),
}


def source_date() -> ColumnElement[date]:
    """The day a source counts from (NULL: always)."""
    return func.coalesce(Source.date, case(TERM_STARTS, value=Source.government, else_=None))


def decision_date() -> ColumnElement[date]:
    """The day a decision counts from (NULL: always)."""
    recorded = (select(func.min(Source.date)).select_from(decision_sources)
                .join(Source, Source.id == decision_sources.c.source_id)
                .where(decision_sources.c.decision_id == Decision.id)
                .correlate(Decision).scalar_subquery())
    return func.coalesce(Decision.meeting_date, recorded)


def _on_or_before(expression: ColumnElement[date], day: date) -> ColumnElement[bool]:
    return or_(expression.is_(None), expression <= day)


def source_counts(day: date | None) -> ColumnElement[bool]:
    return true() if day is None else _on_or_before(source_date(), day)


def decision_counts(day: date | None) -> ColumnElement[bool]:
    return true() if day is None else _on_or_before(decision_date(), day)


def _decision_id_counts(column: ColumnElement[int | None], day: date) -> ColumnElement[bool]:
    """A foreign key to a decision: NULL, or a decision that counts on ``day``."""
    return or_(column.is_(None), column.in_(select(Decision.id).where(decision_counts(day))))


def project_counts(day: date | None) -> ColumnElement[bool]:
    if day is None:
        return true()
    approved = Project.decision_id.in_(select(Decision.id).where(decision_counts(day)))
    planned = and_(Project.decision_id.is_(None),
                   or_(Project.execution_year.is_(None), Project.execution_year <= day.year))
    return or_(approved, planned)


def budget_line_counts(day: date | None) -> ColumnElement[bool]:
    if day is None:
        return true()
    return and_(BudgetLine.year <= day.year, _decision_id_counts(BudgetLine.decision_id, day))


def commitment_counts(day: date | None) -> ColumnElement[bool]:
    if day is None:
        return true()
    return Commitment.source_id.in_(select(Source.id).where(source_counts(day)))


def link_not_removed(day: date | None) -> ColumnElement[bool]:
    """Today: the link is current. As of a day: it was not removed by the end of that day."""
    current = Link.removed_dt.is_(None)
    if day is None:
        return current
    if day >= date.max:
        return true()
    return or_(current, Link.removed_dt >= end_of_day_utc(day))  # a Brussels day


def link_counts(day: date | None) -> ColumnElement[bool]:
    if day is None:
        return link_not_removed(None)
    commitment_ok = or_(Link.commitment_id.is_(None),
                        Link.commitment_id.in_(select(Commitment.id).where(commitment_counts(day))))
    project_ok = or_(Link.project_id.is_(None), Link.project_id.in_(select(Project.id).where(project_counts(day))))
    return and_(link_not_removed(day), commitment_ok, _decision_id_counts(Link.decision_id, day), project_ok)


def source_start(source: Source) -> date | None:
    """The day one loaded source counts from (the same rule as ``source_date``); None: always."""
    return source.date or TERM_STARTS.get(source.government)


def source_existed(source: Source, day: date | None) -> bool:
    """Whether one loaded source counts on ``day`` (the same rule as ``source_counts``)."""
    start = source_start(source)
    return day is None or start is None or start <= day


__all__ = ["TERM_STARTS", "budget_line_counts", "commitment_counts", "decision_counts", "decision_date",
           "link_counts", "link_not_removed", "project_counts", "source_counts", "source_date", "source_existed",
           "source_start"]
