"""Source documents and their commitment trees."""
from __future__ import annotations

from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import func, select

from tracker.accounts.auth import public, requires
from tracker.accounts.models import Role
from tracker.asof import decision_counts, source_existed, source_start
from tracker.commitments.editing import back_to, detailed_changes, seen_version, submit
from tracker.commitments.models import Commitment
from tracker.commitments.queries import combined_rollup, source_tree
from tracker.core.dates import date_arg
from tracker.core.db import db
from tracker.core.pagination import page_arg, paginate
from tracker.decisions.models import Decision, decision_sources
from tracker.sources.forms import SourceForm
from tracker.sources.models import Source
from tracker.sources.operations import LABELS, create_source, update_source


@public
def source_list():  # type: ignore[no-untyped-def]
    """All source documents, with how many commitments and decisions each holds."""
    commitments = dict(db.session.execute(
        select(Commitment.source_id, func.count()).group_by(Commitment.source_id)).all())
    decisions = dict(db.session.execute(
        select(decision_sources.c.source_id, func.count()).group_by(decision_sources.c.source_id)).all())
    sources = list(db.session.scalars(select(Source).order_by(Source.kind, Source.date, Source.title)))
    return render_template("sources/list.html", sources=sources, commitments=commitments,
                           decisions=decisions)


@public
def source_display(source_id: int):  # type: ignore[no-untyped-def]
    """A source: its details, its tree with roll-ups, and the decisions it records."""
    source = db.get_or_404(Source, source_id)
    as_of = date_arg("op", "datum")
    roots = source_tree(source.id, as_of)
    total = combined_rollup(roots)
    decisions = paginate(
        select(Decision).join(decision_sources)
        .where(decision_sources.c.source_id == source.id, decision_counts(as_of))
        .order_by(Decision.meeting_date.asc().nulls_first(), Decision.id),
        page_arg(), current_app.config["PER_PAGE"] * 2,
    )
    return render_template("sources/display.html", source=source, roots=roots, total=total,
                           decisions=decisions, as_of=as_of, existed=source_existed(source, as_of),
                           source_start=source_start(source))


@requires(Role.EDITOR)
def source_new():  # type: ignore[no-untyped-def]
    """Add a source document."""
    form = SourceForm()

    def show(conflict=None):  # type: ignore[no-untyped-def]
        return render_template("sources/form.html", form=form, source=None, conflict=conflict)

    return submit(form, lambda: create_source(form.values(), current_user),  # type: ignore[arg-type]
                  show, lambda source: back_to("sources.display", source_id=source.id))


@requires(Role.EDITOR)
def source_edit(source_id: int):  # type: ignore[no-untyped-def]
    """Change a source's details; a change made meanwhile by someone else is shown, not overwritten."""
    source = db.get_or_404(Source, source_id)
    form = SourceForm(obj=source)

    def show(conflict=None):  # type: ignore[no-untyped-def]
        return render_template("sources/form.html", form=form, source=source, conflict=conflict)

    return submit(form, lambda: update_source(source, form.values(), current_user,  # type: ignore[arg-type]
                                              seen_version=seen_version(form)),
                  show, lambda _: back_to("sources.display", source_id=source.id),
                  fresh_version=lambda: source.version,
                  details=lambda seen: detailed_changes(source, seen, LABELS))
