"""Programmes, projects and organisations, with their budgets and stated totals."""
from __future__ import annotations

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.accounts.auth import public
from tracker.commitments.queries import links_of
from tracker.core.db import db
from tracker.projects.models import BudgetLine, Organisation, Programme, Project
from tracker.projects.queries import (
    depth_first,
    programme_budget,
    programme_totals,
    project_euros,
    totals_for_programme,
)


@public
def programme_list():  # type: ignore[no-untyped-def]
    """All funding programmes."""
    programmes = list(db.session.scalars(
        select(Programme).options(selectinload(Programme.projects)).order_by(Programme.name)))
    return render_template("projects/programmes.html", programmes=programmes,
                           budgets=programme_totals())


@public
def programme_display(programme_id: int):  # type: ignore[no-untyped-def]
    """A programme: its projects by year, totals per year and kind, and stated totals beside the sums."""
    programme = db.get_or_404(Programme, programme_id)
    projects = depth_first(list(db.session.scalars(
        select(Project).where(Project.programme_id == programme.id)
        .options(selectinload(Project.organisation))
        .order_by(Project.execution_year, Project.position, Project.id))))
    euros = project_euros([p.id for p in projects])
    totals = totals_for_programme(programme.id)
    programme_lines = list(db.session.scalars(
        select(BudgetLine).where(BudgetLine.programme_id == programme.id)
        .order_by(BudgetLine.year, BudgetLine.month)))
    return render_template("projects/programme.html", programme=programme, projects=projects,
                           euros=euros, budget=programme_budget(programme.id), totals=totals,
                           programme_lines=programme_lines)


@public
def project_display(project_id: int):  # type: ignore[no-untyped-def]
    """A project: description, organisation, budget lines, sub-projects, links."""
    project = db.get_or_404(Project, project_id)
    links = links_of(project_id=project.id)
    euros = project_euros([project.id] + [c.id for c in project.children])
    return render_template("projects/display.html", project=project, links=links, euros=euros)


@public
def organisation_display(organisation_id: int):  # type: ignore[no-untyped-def]
    """An organisation: the projects it is responsible for and the budget lines it receives."""
    organisation = db.get_or_404(Organisation, organisation_id)
    projects = list(db.session.scalars(select(Project).where(Project.organisation_id == organisation.id)))
    lines = list(db.session.scalars(
        select(BudgetLine).where(BudgetLine.organisation_id == organisation.id)
        .options(selectinload(BudgetLine.total)).order_by(BudgetLine.year, BudgetLine.id)))
    return render_template("projects/organisation.html", organisation=organisation,
                           projects=projects, lines=lines)

