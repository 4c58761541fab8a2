"""Lists as downloads, CSV or JSON, with the filters (the Dutch query names) of the page they come from.

CSV: UTF-8, a header row, RFC 4180 quoting and line ends; a text cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe, so a spreadsheet shows it instead
of running it as a formula (numbers stay numbers). JSON: ``{"items": [...]}`` with the API's record
shapes. Both come as an attachment with a filename that names the list and its filters.
"""
from __future__ import annotations

import csv
import functools
import io
import json
import re
from typing import Any, Callable, Iterable

from flask import Response, request
from sqlalchemy import extract, or_, select
from werkzeug.exceptions import BadRequest, ServiceUnavailable

from tracker.accounts.auth import public
from tracker.commitments.models import Commitment
from tracker.commitments.queries import Node, changes_between, source_tree
from tracker.core.clock import today as brussels_today
from tracker.core.dates import date_arg
from tracker.core.db import db
from tracker.decisions.models import Decision, DecisionKind
from tracker.opendata import params, records
from tracker.opendata.api import (
    DECISION_OPTIONS,
    LINE_OPTIONS,
    PROJECT_OPTIONS,
    history_query,
    node_json,
)
from tracker.opendata.openapi import SCHEMAS
from tracker.projects.models import BudgetLine, Programme, Project
from tracker.projects.queries import project_euros, totals_for_programme
from tracker.sources.models import Source
from tracker.workflow.models import StatusChange

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_SEARCH_ROWS = 1000


def neutralise(value: Any) -> Any:
    """A cell as CSV holds it: lists joined with "; ", text that a spreadsheet would run made inert."""
    if isinstance(value, list):
        value = "; ".join(str(neutralise(v)) for v in value)
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(name)) for name in columns])
    return out.getvalue()


def filename(base: str, *parts: Any) -> str:
    """``base`` and the filters in it, lower case letters, digits and hyphens only."""
    words = [base, *(str(p) for p in parts if p not in (None, ""))]
    slug = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")
    return slug[:120] or "download"


def send(rows: list[dict[str, Any]], schema: str, fmt: str, name: str, *extra: str) -> Response:
    """The rows as an attachment; the CSV columns are the record's (its schema's) plus ``extra``."""
    columns = [c for c in SCHEMAS[schema]["properties"] if c != "page"] + list(extra)
    if fmt == "csv":
        body, mimetype = to_csv(rows, columns), "text/csv"
    else:
        body, mimetype = json.dumps({"items": rows}, ensure_ascii=False, indent=1), "application/json"
    response = Response(body, mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=f"{name}.{fmt}")
    return response


# --------------------------------------------------------------------------- the lists


@public
def decisions(fmt: str):  # type: ignore[no-untyped-def]
    """/beslissingen.csv|json with the list's filters: jaar, soort."""
    year = params.year(request.args.get("jaar", ""), "jaar")
    kind = request.args.get("soort", "")
    stmt = select(Decision).options(*DECISION_OPTIONS)
    if year is not None:
        stmt = stmt.where(extract("year", Decision.meeting_date) == year)
    if kind in {k.value for k in DecisionKind}:
        stmt = stmt.where(Decision.kind == DecisionKind(kind))
    else:
        kind = ""
    rows = db.session.scalars(stmt.order_by(Decision.meeting_date.desc().nulls_last(), Decision.id.desc()))
    return send([records.decision(d) for d in rows], "Decision", fmt, filename("beslissingen", year, kind))


def _flatten(nodes: Iterable[Node], depth: int = 0) -> Iterable[tuple[int, Node]]:
    for node in nodes:
        yield depth, node
        yield from _flatten(node.children, depth + 1)


@public
def source_commitments(source_id: int, fmt: str):  # type: ignore[no-untyped-def]
    """/bronnen/<id>/engagementen.csv|json: the source's tree, depth first, with statuses and roll-ups (op=)."""
    source = db.get_or_404(Source, source_id)
    day = date_arg("op", "datum")
    rows = []
    for depth, node in _flatten(source_tree(source.id, day)):
        rollup = node_json(node)["rollup"]
        rows.append({**records.commitment(node.commitment, node.status if day else None), "depth": depth,
                     "total": rollup["total"], "assessed": rollup["assessed"],
                     "progress": rollup["progress"], "euro": rollup["euro"]})
    return send(rows, "Commitment", fmt, filename("engagementen", source.key, day),
                "depth", "total", "assessed", "progress", "euro")


def _programme(programme_id: int) -> Programme:
    return db.get_or_404(Programme, programme_id)


@public
def programme_projects(programme_id: int, fmt: str):  # type: ignore[no-untyped-def]
    """/programmas/<id>/projecten.csv|json: the programme's projects with their euros."""
    programme = _programme(programme_id)
    projects = list(db.session.scalars(select(Project).where(Project.programme_id == programme.id)
                                       .options(*PROJECT_OPTIONS)
                                       .order_by(Project.execution_year, Project.position, Project.id)))
    euros = project_euros([p.id for p in projects])
    rows = [{**records.project(p), "euro": euros.get(p.id, 0)} for p in projects]
    return send(rows, "Project", fmt, filename("projecten", programme.key), "euro")


@public
def programme_budget_lines(programme_id: int, fmt: str):  # type: ignore[no-untyped-def]
    """/programmas/<id>/bedragen.csv|json: the lines of the programme and of its projects."""
    programme = _programme(programme_id)
    lines = db.session.scalars(select(BudgetLine).where(or_(
        BudgetLine.programme_id == programme.id,
        BudgetLine.project_id.in_(select(Project.id).where(Project.programme_id == programme.id))))
        .options(*LINE_OPTIONS).order_by(BudgetLine.year, BudgetLine.month, BudgetLine.id))
    return send([records.budget_line(b) for b in lines], "BudgetLine", fmt, filename("bedragen", programme.key))


@public
def programme_totals(programme_id: int, fmt: str):  # type: ignore[no-untyped-def]
    """/programmas/<id>/totalen.csv|json: the stated totals beside the sums of their parts."""
    programme = _programme(programme_id)
    totals = totals_for_programme(programme.id)
    return send([records.stated_total(t) for t in totals], "StatedTotal", fmt,
                filename("vermelde-totalen", programme.key))


@public
def status_history(fmt: str):  # type: ignore[no-untyped-def]
    """/statusgeschiedenis.csv|json: the public status history, newest first."""
    rows = db.session.scalars(history_query().order_by(StatusChange.recorded_dt.desc(), StatusChange.id.desc()))
    return send([_change_row(c) for c in rows], "StatusChange", fmt, filename("statusgeschiedenis"))


def _change_row(change: StatusChange) -> dict[str, Any]:
    row = records.status_change(change)
    row["evidence"] = [f"{e['type']} {e['key']}: {e['passage']}" for e in row["evidence"]]
    return row


@public
def changes(fmt: str):  # type: ignore[no-untyped-def]
    """/wijzigingen.csv|json?van=&tot=: as the changes page, one row per commitment that changed."""
    start = date_arg("van", "begindatum")
    end = date_arg("tot", "einddatum") or brussels_today()
    found: list[tuple[Commitment, Any, Any, list[StatusChange]]] = []
    if start is not None:
        if start > end:
            raise BadRequest("De begindatum ligt na de einddatum; draai ze om.")
        found = changes_between(start, end)
    rows = [{**records.commitment(c), "old_status": old.value, "new_status": new.value,
             "motivation": " | ".join(ch.motivation for ch in chs)} for c, old, new, chs in found]
    return send(rows, "Commitment", fmt, filename("wijzigingen", start, start and end),
                "old_status", "new_status", "motivation")


@public
def search_results(fmt: str):  # type: ignore[no-untyped-def]
    """/zoeken.csv|json?q=...: the search page's hits with its filters (at most MAX_SEARCH_ROWS)."""
    from tracker.search.index import get_index
    from tracker.search.service import (
        MAX_PER_PAGE,
        PAGE_ARGS,
        IndexDamaged,
        QueryError,
        params_from_args,
        search,
    )

    try:
        wanted = params_from_args(request.args, PAGE_ARGS, MAX_PER_PAGE)
        if not get_index().usable():
            raise ServiceUnavailable("De zoekindex is nog niet gebouwd; probeer het later opnieuw.")
        hits: list[dict[str, Any]] = []
        wanted.page = 1
        while len(hits) < MAX_SEARCH_ROWS:
            result = search(get_index(), wanted)
            hits += [h.as_json() for h in result.hits]
            if not result.has_next:
                break
            wanted.page += 1
    except QueryError as exc:
        raise BadRequest(str(exc)) from exc
    except IndexDamaged as exc:
        raise ServiceUnavailable("De zoekindex is beschadigd; probeer het later opnieuw.") from exc
    return send(hits[:MAX_SEARCH_ROWS], "SearchHit", fmt, filename("zoeken", wanted.q[:40]))


def in_format(view: Callable[..., Any], fmt: str) -> Callable[..., Any]:
    """The download view for one format (the route's only argument is then the record's id, if any)."""

    @functools.wraps(view)
    def download(**kwargs: Any) -> Any:
        return view(fmt=fmt, **kwargs)

    return public(download)


@public
def source_claims(source_id: int, fmt: str):  # type: ignore[no-untyped-def]
    """/bronnen/<id>/beweringen.csv|json: what the document claims, beside what the tracker counts."""
    from tracker.claims.queries import claims_about
    from tracker.sources.models import Source

    source = db.get_or_404(Source, source_id)
    rows = [records.stated_claim(c.claim, c.counted) for c in claims_about(source_id=source.id)]
    return send(rows, "StatedClaim", fmt, filename("beweringen", source.key))


LISTS: list[tuple[str, str, Callable[..., Any]]] = [
    ("/beslissingen", "decisions_download", decisions),
    ("/bronnen/<int:source_id>/engagementen", "source_commitments_download", source_commitments),
    ("/programmas/<int:programme_id>/projecten", "programme_projects_download", programme_projects),
    ("/programmas/<int:programme_id>/bedragen", "programme_budget_lines_download", programme_budget_lines),
    ("/programmas/<int:programme_id>/totalen", "programme_totals_download", programme_totals),
    ("/bronnen/<int:source_id>/beweringen", "source_claims_download", source_claims),
    ("/statusgeschiedenis", "status_history_download", status_history),
    ("/wijzigingen", "changes_download", changes),
    ("/zoeken", "search_download", search_results),
]
