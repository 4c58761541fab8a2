"""The home page: every source that makes commitments, with its roll-up, and the latest decisions."""
from __future__ import annotations

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.accounts.auth import public
from tracker.asof import decision_counts, source_counts
from tracker.commitments.queries import combined_rollup, source_tree
from tracker.core.dates import date_arg
from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.sources.models import Source
from tracker.workflow.models import StatusChange


@public
def home():  # type: ignore[no-untyped-def]
    """Dashboard: every source that makes commitments, with its roll-up."""
    as_of = date_arg("op", "datum")
    overview = []
    for source in db.session.scalars(select(Source).where(source_counts(as_of)).order_by(Source.kind, Source.title)):
        roots = source_tree(source.id, as_of)
        if not roots:
            continue
        overview.append((source, combined_rollup(roots)))
    recent = select(Decision).where(Decision.meeting_date.is_not(None), decision_counts(as_of))
    latest = list(db.session.scalars(recent.order_by(Decision.meeting_date.desc(), Decision.id.desc()).limit(8)))
    changes = select(StatusChange).options(selectinload(StatusChange.commitment))
    if as_of is not None:
        changes = changes.where(StatusChange.effective_date <= as_of)
    changes = list(db.session.scalars(changes.order_by(StatusChange.effective_date.desc(), StatusChange.id.desc())
                                      .limit(8)))
    return render_template("dashboard/home.html", overview=overview, latest=latest, changes=changes, as_of=as_of)
