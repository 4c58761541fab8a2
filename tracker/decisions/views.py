"""Government decisions: a paginated list and a page per decision."""
from __future__ import annotations

from flask import current_app, render_template, request
from sqlalchemy import extract, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import BadRequest

from tracker.accounts.auth import public
from tracker.commitments.queries import links_of
from tracker.core.db import db
from tracker.core.pagination import page_arg, paginate
from tracker.decisions.models import Decision, DecisionKind
from tracker.projects.models import BudgetLine, Project, StatedTotal
from tracker.projects.queries import depth_first


@public
def decision_list():  # type: ignore[no-untyped-def]
    """All decisions, newest first, filterable by year and kind."""
    stmt = select(Decision).options(selectinload(Decision.documents))
    year = request.args.get("jaar", "")
    kind = request.args.get("soort", "")
    if year:
        if not (year.isascii() and year.isdigit() and len(year) == 4):
            raise BadRequest(f'"{year[:20]}" is geen jaartal. Geef een jaar met vier cijfers, bijvoorbeeld 2021.')
        stmt = stmt.where(extract("year", Decision.meeting_date) == int(year))
    if kind in {k.value for k in DecisionKind}:
        stmt = stmt.where(Decision.kind == DecisionKind(kind))
    stmt = stmt.order_by(Decision.meeting_date.desc().nulls_last(), Decision.id.desc())
    page = paginate(stmt, page_arg(), current_app.config["PER_PAGE"])
    return render_template("decisions/list.html", page=page, year=year, kind=kind,
                           kinds=list(DecisionKind))


@public
def decision_display(decision_id: int):  # type: ignore[no-untyped-def]
    """One decision with its document numbers, sources, linked commitments and projects."""
    decision = db.get_or_404(Decision, decision_id)
    links = links_of(decision_id=decision.id)
    approved_projects = depth_first(list(db.session.scalars(
        select(Project).where(Project.decision_id == decision.id).order_by(Project.position, Project.id))))
    granted = list(db.session.scalars(
        select(BudgetLine).where(BudgetLine.decision_id == decision.id)
        .options(selectinload(BudgetLine.project), selectinload(BudgetLine.organisation))
        .order_by(BudgetLine.kind, BudgetLine.month, BudgetLine.id)))
    totals = list(db.session.scalars(
        select(StatedTotal).where(StatedTotal.decision_id == decision.id)
        .options(selectinload(StatedTotal.lines)).order_by(StatedTotal.kind, StatedTotal.id)))
    return render_template("decisions/display.html", decision=decision, links=links,
                           approved_projects=approved_projects, granted=granted, totals=totals)
