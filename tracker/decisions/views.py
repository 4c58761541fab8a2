"""Government decisions: a paginated list and a page per decision."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import extract, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import BadRequest

from tracker.accounts.auth import public, requires
from tracker.accounts.models import Role
from tracker.commitments.queries import links_of
from tracker.core.db import db
from tracker.core.pagination import page_arg, paginate
from tracker.decisions.editing import (
    Deletion,
    Page,
    confirm_delete,
    fail,
    render_form,
    run,
)
from tracker.decisions.forms import DecisionForm
from tracker.decisions.models import Decision, DecisionKind
from tracker.decisions.operations import (
    LABELS,
    add_document_numbers,
    create_decision,
    delete_decision,
    edit_decision,
    new_key,
    possible_duplicates,
)
from tracker.projects.models import BudgetLine, Project, StatedTotal
from tracker.projects.operations import references
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


# --------------------------------------------------------------------------- editing (editors only)

DUPLICATE_CHECK = ("Er bestaan mogelijk al beslissingen die hiermee overeenkomen (zie hierboven). Vink "
                   "\u201cDit is geen dubbel; toch opslaan\u201d aan om de beslissing toch op te slaan.")


@requires(Role.EDITOR)
def decision_new():  # type: ignore[no-untyped-def]
    """A new decision: the form reads its document numbers and shows possible duplicates before saving."""
    form = DecisionForm().offer()
    duplicates = []
    if form.validate_on_submit() and (parsed := form.to_data()) is not None:
        data, numbers = parsed
        duplicates = possible_duplicates(data["title"], data["meeting_date"], [n.canonical for n, _ in numbers])
        if form.checking:
            pass
        elif duplicates and not form.not_duplicate.data:
            fail(form.not_duplicate, DUPLICATE_CHECK)
        else:
            def save() -> Decision:
                decision = create_decision({**data, "key": new_key([n for n, _ in numbers], data["meeting_date"],
                                                                   data["title"])}, current_user)
                add_document_numbers(decision, numbers, current_user)
                return decision

            decision = run(form, save)
            if decision is not None:
                flash("De beslissing is opgeslagen.", "info")
                return redirect(url_for("decisions.display", decision_id=decision.id))
    page = Page("Nieuwe beslissing", url_for("decisions.new"), url_for("decisions.list"),
                crumbs=[("Beslissingen", url_for("decisions.list"))])
    return render_form(form, page, "decisions/edit.html", duplicates=duplicates)


@requires(Role.EDITOR)
def decision_edit(decision_id: int):  # type: ignore[no-untyped-def]
    """Change a decision and its document numbers; a change by someone else meanwhile is a conflict (409)."""
    decision = db.get_or_404(Decision, decision_id)
    form = DecisionForm().offer() if request.method == "POST" else DecisionForm.of(decision)
    if form.validate_on_submit() and (parsed := form.to_data()) is not None and not form.checking:
        data, numbers = parsed

        def save() -> Decision:
            edit_decision(decision, data, numbers, current_user, seen_version=form.seen_version())
            return decision

        if run(form, save, decision, {**LABELS, "documents": "de documentnummers"}) is not None:
            flash("De wijzigingen zijn opgeslagen.", "info")
            return redirect(url_for("decisions.display", decision_id=decision.id))
    page = Page(f"Beslissing bewerken: {decision.title[:80]}", url_for("decisions.edit", decision_id=decision.id),
                url_for("decisions.display", decision_id=decision.id),
                crumbs=[("Beslissingen", url_for("decisions.list")),
                        (decision.title[:80], url_for("decisions.display", decision_id=decision.id))])
    return render_form(form, page, "decisions/edit.html", duplicates=[], decision=decision)


@requires(Role.EDITOR)
def decision_delete(decision_id: int):  # type: ignore[no-untyped-def]
    """GET: what deleting this decision removes, or what stops it. POST: delete it."""
    decision = db.get_or_404(Decision, decision_id)
    deletion = Deletion(
        title="Beslissing verwijderen", what=f"de beslissing \u201c{decision.title}\u201d",
        action=url_for("decisions.delete", decision_id=decision.id),
        cancel=url_for("decisions.display", decision_id=decision.id),
        goes_with=[f"documentnummer {d.canonical}" for d in decision.documents], blockers=references(decision))

    def done():  # type: ignore[no-untyped-def]
        flash("De beslissing is verwijderd; het auditspoor bewaart ze zoals ze was.", "info")
        return redirect(url_for("decisions.list"))

    return confirm_delete(deletion, FlaskForm(), lambda: delete_decision(decision, current_user), done)
