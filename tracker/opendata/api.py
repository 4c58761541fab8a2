"""The read-only JSON API under /api/v1/: lists with pagination and filters, one record by its key.

Every list answers ``{"items": [...], "total", "page", "per_page", "pages", "links": {...}}`` and a
``Link`` header with the next and previous pages; ``op=YYYY-MM-DD`` shows the data as it stood then
(tracker.asof), where the pages take it too. Current views show only current links.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable

from flask import Response, jsonify, request, url_for
from sqlalchemy import Select, extract, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import BadRequest, NotFound

from tracker.accounts.auth import public
from tracker.asof import (
    budget_line_counts,
    commitment_counts,
    decision_counts,
    link_counts,
    project_counts,
    source_counts,
)
from tracker.commitments.models import Commitment, Level, Link
from tracker.commitments.queries import (
    Node,
    Rollup,
    changes_between,
    combined_rollup,
    find_node,
    source_tree,
    statuses_on,
)
from tracker.core.clock import today as brussels_today
from tracker.core.dates import date_arg
from tracker.core.db import db
from tracker.core.pagination import Page, paginate
from tracker.decisions.models import Decision, DecisionKind, decision_sources
from tracker.opendata import params, records
from tracker.projects.models import (
    BudgetKind,
    BudgetLine,
    Organisation,
    Programme,
    Project,
    StatedTotal,
)
from tracker.projects.queries import project_euros
from tracker.sources.models import Source, SourceKind
from tracker.workflow.models import Evidence, StatusChange, StatusProposal
from tracker.workflow.status import Status

CHANGES_DEFAULT_DAYS = 30


# --------------------------------------------------------------------------- shared helpers


def as_of() -> date | None:
    params.exact_date(request.args.get("op", ""), "op")
    return date_arg("op", "datum")


def listing(stmt: Select[Any], shape: Callable[[Any], dict[str, Any]]) -> Response:
    """One page of ``stmt`` as the list envelope, with next/previous links in the body and a Link header."""
    page = paginate(stmt, params.page(request.args.get("page", "")),
                    params.per_page(request.args.get("per_page", "")))
    return envelope(page, [shape(item) for item in page.items])


def envelope(page: Page[Any], items: list[dict[str, Any]]) -> Response:
    links = {"self": _page_link(page.page), "first": _page_link(1), "last": _page_link(page.pages),
             "next": _page_link(page.page + 1) if page.has_next else None,
             "prev": _page_link(page.page - 1) if page.has_prev else None}
    response = jsonify({"items": items, "total": page.total, "page": page.page, "per_page": page.per_page,
                        "pages": page.pages, "links": links})
    header = [f'<{links[rel]}>; rel="{rel}"' for rel in ("next", "prev", "first", "last") if links[rel]]
    response.headers["Link"] = ", ".join(header)
    return response


def _page_link(number: int) -> str:
    args = request.args.to_dict(flat=True)
    args["page"] = str(number)
    return url_for(request.endpoint or "", _external=True, **(request.view_args or {}), **args)


def by_key(model: type, key: str, *options: Any) -> Any:
    """The record with this key. :raise 404: (the standard Dutch message) when there is none."""
    found = None
    if len(key) <= params.MAX_TEXT and params.printable(key):
        found = db.session.scalar(select(model).where(model.key == key).options(*options))
    if found is None:
        raise NotFound()
    return found


def current_links(*conditions: Any, day: date | None = None) -> list[Link]:
    """Current links (not removed) matching ``conditions``, as of ``day``, with their ends loaded."""
    return list(db.session.scalars(
        select(Link).where(*conditions, Link.removed_dt.is_(None), link_counts(day))
        .options(selectinload(Link.commitment), selectinload(Link.decision), selectinload(Link.project))
        .order_by(Link.id)))


def rollup_json(rollup: Rollup) -> dict[str, Any]:
    return {"total": rollup.total, "assessed": rollup.assessed,
            "progress": None if rollup.progress is None else round(rollup.progress, 2), "euro": rollup.euro,
            "counts": {status.value: n for status, n in rollup.ordered()}}


def node_json(node: Node) -> dict[str, Any]:
    c = node.commitment
    return {"key": c.key, "reference": c.reference, "level": c.level.value, "title": c.title,
            "status": node.status.value, "rollup": rollup_json(node.rollup),
            "children": [node_json(child) for child in node.children]}


def history_query() -> Select[Any]:
    """The public status history: approved changes with their evidence (never the open proposals)."""
    return select(StatusChange).options(
        selectinload(StatusChange.commitment), selectinload(StatusChange.author),
        selectinload(StatusChange.reviewer),
        selectinload(StatusChange.proposal).selectinload(StatusProposal.evidence).options(
            selectinload(Evidence.decision), selectinload(Evidence.project), selectinload(Evidence.source)))


COMMITMENT_OPTIONS = (selectinload(Commitment.source), selectinload(Commitment.parent))
DECISION_OPTIONS = (selectinload(Decision.documents), selectinload(Decision.sources))
PROJECT_OPTIONS = (selectinload(Project.programme), selectinload(Project.parent),
                   selectinload(Project.organisation), selectinload(Project.decision))
LINE_OPTIONS = (selectinload(BudgetLine.project), selectinload(BudgetLine.organisation),
                selectinload(BudgetLine.programme), selectinload(BudgetLine.decision),
                selectinload(BudgetLine.total))


# --------------------------------------------------------------------------- the index


@public
def index():  # type: ignore[no-untyped-def]
    """GET /api/v1/: what the API offers."""
    names = ("sources", "commitments", "decisions", "programmes", "projects", "organisations",
             "budget_lines", "stated_totals", "stated_claims", "status_changes", "changes")
    return jsonify({"name": "Regeerakkoord-tracker API", "version": "1",
                    "openapi": url_for("opendata.openapi", _external=True),
                    "documentation": url_for("opendata.api_page", _external=True),
                    "search": url_for("search.api", _external=True),
                    "lists": {name: url_for(f"opendata.{name}", _external=True) for name in names}})


# --------------------------------------------------------------------------- sources and commitments


@public
def sources():  # type: ignore[no-untyped-def]
    day = as_of()
    stmt = select(Source).where(source_counts(day)).order_by(Source.kind, Source.date, Source.title, Source.id)
    kind = params.choice(request.args.get("kind", ""), "kind", SourceKind)
    if kind is not None:
        stmt = stmt.where(Source.kind == kind)
    return listing(stmt, records.source)


@public
def source(key: str):  # type: ignore[no-untyped-def]
    found = by_key(Source, key)
    day = as_of()
    roots = source_tree(found.id, day)
    return jsonify({**records.source(found, full=True), "as_of": records.iso(day),
                    "rollup": rollup_json(combined_rollup(roots)), "tree": [node_json(n) for n in roots]})


def commitment_filters(stmt: Select[Any]) -> Select[Any]:
    source_key = params.text(request.args.get("source", ""), "source")
    level = params.choice(request.args.get("level", ""), "level", Level)
    domain = params.text(request.args.get("domain", ""), "domain")
    if source_key:
        stmt = stmt.where(Commitment.source_id.in_(select(Source.id).where(Source.key == source_key)))
    if level is not None:
        stmt = stmt.where(Commitment.level == level)
    if domain:
        stmt = stmt.where(Commitment.policy_domain == domain)
    return stmt


@public
def commitments():  # type: ignore[no-untyped-def]
    """Commitments with their status; as of a date, the status then in force."""
    day = as_of()
    status = params.choice(request.args.get("status", ""), "status", Status)
    stmt = commitment_filters(select(Commitment).where(commitment_counts(day)))
    historic: dict[int, Status] | None = None
    if day is not None:
        ids = list(db.session.scalars(stmt.with_only_columns(Commitment.id)))
        historic = statuses_on(day, ids)
        if status is not None:
            wanted = [i for i in ids if historic.get(i, Status.NIET_BEOORDEELD) is status]
            stmt = stmt.where(Commitment.id.in_(wanted))
    elif status is not None:
        stmt = stmt.where(Commitment.status == status)
    stmt = stmt.options(*COMMITMENT_OPTIONS).order_by(Commitment.source_id, Commitment.position, Commitment.id)

    def shape(c: Commitment) -> dict[str, Any]:
        return records.commitment(c, None if historic is None else historic.get(c.id, Status.NIET_BEOORDEELD))

    return listing(stmt, shape)


@public
def commitment(key: str):  # type: ignore[no-untyped-def]
    """One commitment: status (as of a date), roll-up of its subtree, status history, current links."""
    found = by_key(Commitment, key, *COMMITMENT_OPTIONS)
    day = as_of()
    node = find_node(source_tree(found.source_id, day), found.id)
    stmt = history_query().where(StatusChange.commitment_id == found.id)
    if day is not None:
        stmt = stmt.where(StatusChange.effective_date <= day)
    changes = db.session.scalars(stmt.order_by(StatusChange.effective_date, StatusChange.id))
    status = node.status if node else Status.NIET_BEOORDEELD
    return jsonify({**records.commitment(found, None if day is None else status, full=True),
                    "as_of": records.iso(day), "existed": node is not None,
                    "rollup": rollup_json(node.rollup if node else Rollup()),
                    "children": [child.commitment.key for child in (node.children if node else [])],
                    "history": [records.status_change(c) for c in changes],
                    "links": [records.link(item) for item in current_links(Link.commitment_id == found.id,
                                                                           day=day)]})


# --------------------------------------------------------------------------- decisions


@public
def decisions():  # type: ignore[no-untyped-def]
    day = as_of()
    stmt = select(Decision).where(decision_counts(day)).options(*DECISION_OPTIONS)
    year = params.year(request.args.get("year", ""))
    kind = params.choice(request.args.get("kind", ""), "kind", DecisionKind)
    source_key = params.text(request.args.get("source", ""), "source")
    if year is not None:
        stmt = stmt.where(extract("year", Decision.meeting_date) == year)
    if kind is not None:
        stmt = stmt.where(Decision.kind == kind)
    if source_key:
        stmt = stmt.where(Decision.id.in_(
            select(decision_sources.c.decision_id).join(Source, Source.id == decision_sources.c.source_id)
            .where(Source.key == source_key)))
    stmt = stmt.order_by(Decision.meeting_date.desc().nulls_last(), Decision.id.desc())
    return listing(stmt, records.decision)


@public
def decision(key: str):  # type: ignore[no-untyped-def]
    found = by_key(Decision, key, *DECISION_OPTIONS)
    return jsonify({**records.decision(found, full=True),
                    "links": [records.link(item) for item in current_links(Link.decision_id == found.id)]})


# --------------------------------------------------------------------------- programmes, projects, money


@public
def programmes():  # type: ignore[no-untyped-def]
    return listing(select(Programme).order_by(Programme.name, Programme.id), records.programme)


@public
def programme(key: str):  # type: ignore[no-untyped-def]
    found = by_key(Programme, key)
    projects = db.session.scalars(select(Project.key).where(Project.programme_id == found.id)
                                  .order_by(Project.execution_year, Project.position, Project.id))
    return jsonify({**records.programme(found), "projects": list(projects)})


@public
def projects():  # type: ignore[no-untyped-def]
    day = as_of()
    stmt = select(Project).where(project_counts(day)).options(*PROJECT_OPTIONS)
    programme_key = params.text(request.args.get("programme", ""), "programme")
    organisation_name = params.text(request.args.get("organisation", ""), "organisation")
    year = params.year(request.args.get("year", ""))
    if programme_key:
        stmt = stmt.where(Project.programme_id.in_(select(Programme.id).where(Programme.key == programme_key)))
    if organisation_name:
        stmt = stmt.where(Project.organisation_id.in_(
            select(Organisation.id).where(Organisation.name == organisation_name)))
    if year is not None:
        stmt = stmt.where(Project.execution_year == year)
    stmt = stmt.order_by(Project.programme_id, Project.execution_year, Project.position, Project.id)
    return listing(stmt, records.project)


@public
def project(key: str):  # type: ignore[no-untyped-def]
    found = by_key(Project, key, *PROJECT_OPTIONS,
                   selectinload(Project.budget_lines).options(*LINE_OPTIONS), selectinload(Project.children))
    return jsonify({**records.project(found), "euro": project_euros([found.id]).get(found.id, 0),
                    "children": [child.key for child in found.children],
                    "budget_lines": [records.budget_line(b) for b in found.budget_lines],
                    "links": [records.link(item) for item in current_links(Link.project_id == found.id)]})


@public
def organisations():  # type: ignore[no-untyped-def]
    return listing(select(Organisation).order_by(Organisation.name), records.organisation)


@public
def budget_lines():  # type: ignore[no-untyped-def]
    day = as_of()
    stmt = select(BudgetLine).where(budget_line_counts(day)).options(*LINE_OPTIONS)
    project_key = params.text(request.args.get("project", ""), "project")
    programme_key = params.text(request.args.get("programme", ""), "programme")
    organisation_name = params.text(request.args.get("organisation", ""), "organisation")
    year = params.year(request.args.get("year", ""))
    kind = params.choice(request.args.get("kind", ""), "kind", BudgetKind)
    if project_key:
        stmt = stmt.where(BudgetLine.project_id.in_(select(Project.id).where(Project.key == project_key)))
    if programme_key:
        programme_ids = select(Programme.id).where(Programme.key == programme_key)
        stmt = stmt.where(BudgetLine.programme_id.in_(programme_ids)
                          | BudgetLine.project_id.in_(select(Project.id).where(Project.programme_id.in_(
                              programme_ids))))
    if organisation_name:
        stmt = stmt.where(BudgetLine.organisation_id.in_(
            select(Organisation.id).where(Organisation.name == organisation_name)))
    if year is not None:
        stmt = stmt.where(BudgetLine.year == year)
    if kind is not None:
        stmt = stmt.where(BudgetLine.kind == kind)
    return listing(stmt.order_by(BudgetLine.year, BudgetLine.month, BudgetLine.id), records.budget_line)


@public
def stated_claims():  # type: ignore[no-untyped-def]
    from tracker.claims.models import StatedClaim
    from tracker.claims.queries import check

    stmt = select(StatedClaim).options(selectinload(StatedClaim.source), selectinload(StatedClaim.counted_source),
                                       selectinload(StatedClaim.programme), selectinload(StatedClaim.total),
                                       selectinload(StatedClaim.decision))
    source_key = params.text(request.args.get("source", ""), "source")
    if source_key:
        stmt = stmt.where(StatedClaim.source_id.in_(select(Source.id).where(Source.key == source_key)))
    page = paginate(stmt.order_by(StatedClaim.key), params.page(request.args.get("page", "")),
                    params.per_page(request.args.get("per_page", "")))
    return envelope(page, [records.stated_claim(c.claim, c.counted) for c in check(page.items)])


@public
def stated_totals():  # type: ignore[no-untyped-def]
    stmt = select(StatedTotal).options(selectinload(StatedTotal.lines), selectinload(StatedTotal.programme),
                                       selectinload(StatedTotal.decision))
    programme_key = params.text(request.args.get("programme", ""), "programme")
    year = params.year(request.args.get("year", ""))
    kind = params.choice(request.args.get("kind", ""), "kind", BudgetKind)
    if programme_key:
        stmt = stmt.where(StatedTotal.programme_id.in_(select(Programme.id).where(Programme.key == programme_key)))
    if year is not None:
        stmt = stmt.where(StatedTotal.year == year)
    if kind is not None:
        stmt = stmt.where(StatedTotal.kind == kind)
    return listing(stmt.order_by(StatedTotal.year, StatedTotal.kind, StatedTotal.id), records.stated_total)


# --------------------------------------------------------------------------- status history and changes


def date_range() -> tuple[date | None, date | None]:
    params.exact_date(request.args.get("from", ""), "from")
    params.exact_date(request.args.get("to", ""), "to")
    start = date_arg("from", "begindatum")
    end = date_arg("to", "einddatum")
    if start and end and start > end:
        raise BadRequest("De begindatum (from) ligt na de einddatum (to); draai ze om.")
    return start, end


@public
def status_changes():  # type: ignore[no-untyped-def]
    """The public status history, newest first, filterable by commitment, source and period."""
    start, end = date_range()
    stmt = history_query()
    commitment_key = params.text(request.args.get("commitment", ""), "commitment")
    source_key = params.text(request.args.get("source", ""), "source")
    if commitment_key:
        stmt = stmt.where(StatusChange.commitment_id.in_(select(Commitment.id).where(Commitment.key == commitment_key)))
    if source_key:
        stmt = stmt.where(StatusChange.commitment_id.in_(
            select(Commitment.id).join(Source, Source.id == Commitment.source_id).where(Source.key == source_key)))
    if start is not None:
        stmt = stmt.where(StatusChange.effective_date >= start)
    if end is not None:
        stmt = stmt.where(StatusChange.effective_date <= end)
    stmt = stmt.order_by(StatusChange.recorded_dt.desc(), StatusChange.id.desc())
    return listing(stmt, records.status_change)


@public
def changes():  # type: ignore[no-untyped-def]
    """Commitments whose status differs between the day before ``from`` and ``to``.

    ``to`` defaults to today, ``from`` to 30 days before ``to``.
    """
    start, end = date_range()
    end = end or max(brussels_today(), start or date.min)
    if start is None:
        start = end - timedelta(days=CHANGES_DEFAULT_DAYS) if end > date.min + timedelta(
            days=CHANGES_DEFAULT_DAYS) else date.min
    rows = changes_between(start, end)
    # Load authors, reviewers and evidence of all rows at once (they are in the identity map already).
    db.session.scalars(history_query().where(StatusChange.id.in_(
        [change.id for *_, found in rows for change in found]))).all()
    return jsonify({"from": start.isoformat(), "to": end.isoformat(), "items": [
        {"commitment": records.commitment(c), "old_status": old.value, "new_status": new.value,
         "changes": [records.status_change(change) for change in rows_changes]}
        for c, old, new, rows_changes in rows]})
