"""Source documents and their commitment trees."""
from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import func, select

from tracker.accounts.auth import public
from tracker.asof import decision_counts, source_existed, source_start
from tracker.commitments.models import Commitment
from tracker.commitments.queries import combined_rollup, source_tree
from tracker.core.dates import date_arg
from tracker.core.db import db
from tracker.core.pagination import page_arg, paginate
from tracker.decisions.models import Decision, decision_sources
from tracker.sources.models import Source


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
