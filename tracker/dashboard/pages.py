"""The staff's dashboards: progress per source and chapter, money, time, stalled commitments."""
from __future__ import annotations

from flask import abort, current_app, render_template, request
from sqlalchemy import select
from werkzeug.exceptions import BadRequest

from tracker.accounts.auth import public
from tracker.asof import source_counts
from tracker.core.clock import today as brussels_today
from tracker.core.dates import date_arg
from tracker.core.db import db
from tracker.core.pagination import Page, page_arg
from tracker.dashboard import figures
from tracker.sources.models import Source
from tracker.workflow.status import Status


def _page(items: list, per_page: int) -> Page:  # type: ignore[type-arg]
    page = page_arg()
    if page > 1 and (page - 1) * per_page >= len(items):
        abort(404)
    return Page(items[(page - 1) * per_page: page * per_page], len(items), page, per_page)


def _int_arg(name: str, label: str, default: int | None = None, lowest: int = 1, highest: int = 10**9) -> int | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not lowest <= int(raw[:12]) <= highest:
        raise BadRequest(f'"{raw[:20]}" is geen geldig {label}; geef een geheel getal van {lowest} tot {highest}.')
    return int(raw)


def _scope(source_id: int) -> figures.Scope:
    source = db.get_or_404(Source, source_id)
    as_of = date_arg("op", "datum")
    node_id = _int_arg("knoop", "knoopnummer")
    found = figures.scope(source, node_id, as_of)
    if found is None:
        abort(404, f"Engagement {node_id} hoort niet bij {source.title} (of bestond nog niet op die datum).")
    return found


def _status_arg() -> Status | None:
    raw = request.args.get("status", "").strip()
    if not raw:
        return None
    try:
        return Status(raw)
    except ValueError:
        raise BadRequest(f'Onbekende status "{raw[:40]}"; kies er een uit de lijst.') from None


@public
def progress(source_id: int):  # type: ignore[no-untyped-def]
    """A source or chapter: status distribution, progress per child node, the commitments below it."""
    scope = _scope(source_id)
    status = _status_arg()
    domain = request.args.get("domein", "").strip()[:120]
    sort = request.args.get("sorteer", "").strip() or "plaats"
    if sort not in figures.SORTS:
        raise BadRequest(f'Onbekende sortering "{sort[:20]}"; kies uit: {", ".join(figures.SORTS)}.')
    evidence_before = date_arg("bewijs_voor", "datum van het laatste bewijs")
    budget = request.args.get("budget", "").strip()
    if budget not in ("", "met", "zonder"):
        raise BadRequest(f'"{budget[:20]}" is geen keuze voor het budget; kies "met" of "zonder".')
    all_rows = figures.commitment_rows(scope)
    rows = figures.commitment_rows(scope, status, domain, sort, evidence_before, budget)
    domains = sorted({r.commitment.policy_domain for r in all_rows if r.commitment.policy_domain})
    return render_template(
        "dashboard/progress.html", scope=scope, page=_page(rows, current_app.config["PER_PAGE"] * 2),
        statuses=list(Status), status=status, domain=domain, domains=domains, sort=sort, sorts=figures.SORTS,
        evidence_before=evidence_before, budget=budget,
        term=figures.term_share(scope))


@public
def timeline(source_id: int):  # type: ignore[no-untyped-def]
    """Decisions per month linked to a source or chapter, and the term elapsed beside the promises fulfilled."""
    scope = _scope(source_id)
    return render_template("dashboard/time.html", scope=scope, months=figures.decisions_per_month(scope),
                           term=figures.term_share(scope))


@public
def money():  # type: ignore[no-untyped-def]
    """Budgets decided per programme, speerpunt, year and organisation; euros linked per chapter."""
    as_of = date_arg("op", "datum")
    sources = list(db.session.scalars(select(Source).where(source_counts(as_of)).order_by(Source.kind, Source.title)))
    chapters = []
    for source in sources:
        scope = figures.scope(source, None, as_of)
        if scope is not None and scope.roots and scope.rollup.euro:
            chapters.append((source, [(n, n.rollup.euro) for n in scope.roots], scope.rollup.euro))
    return render_template(
        "dashboard/money.html", as_of=as_of,
        by_programme=figures.budget_by(as_of, "programme"), by_year=figures.budget_by(as_of, "year"),
        by_organisation=figures.budget_by(as_of, "organisation"), speerpunten=figures.speerpunt_budgets(as_of),
        chapters=chapters, differences=figures.stated_differences())


@public
def stalled():  # type: ignore[no-untyped-def]
    """Commitments with no new evidence or status change for N months (default 12), per source and chapter."""
    as_of = date_arg("op", "datum")
    months = _int_arg("maanden", "aantal maanden", 12, 1, 240)
    source_id = _int_arg("bron", "bronnummer")
    stmt = select(Source).where(source_counts(as_of)).order_by(Source.kind, Source.title)
    if source_id is not None:
        stmt = stmt.where(Source.id == source_id)
    groups = [(s, items) for s, items in figures.stalled(db.session.scalars(stmt), months, as_of) if items]
    flat = [(source, item) for source, items in groups for item in items]
    return render_template("dashboard/stalled.html", as_of=as_of, months=months, source_id=source_id,
                           groups=groups, page=_page(flat, current_app.config["PER_PAGE"] * 4),
                           sources=list(db.session.scalars(select(Source).order_by(Source.title))),
                           today=as_of or brussels_today())
