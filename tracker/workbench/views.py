"""The workbench: what an editor has proposed and what became of it, what awaits review, what changed lately."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tracker.accounts.auth import requires
from tracker.accounts.models import Role
from tracker.audit.models import LogEntry
from tracker.audit.views import RECORD_PAGES, RECORDS
from tracker.core.db import db
from tracker.workflow.models import ProposalState, StatusProposal
from tracker.workflow.views import proposals_query

RECENT = 15
# Logins and failed logins are no changes of records (the audit page shows them to admins).
_NOT_RECORDS = ("accounts",)


@requires(Role.EDITOR)
def home():  # type: ignore[no-untyped-def]
    me = current_user.id
    is_open = StatusProposal.state == ProposalState.OPEN
    mine_open = list(db.session.scalars(proposals_query(StatusProposal.author_id == me, is_open)))
    mine_reviewed = list(db.session.scalars(
        proposals_query(StatusProposal.author_id == me, ~is_open).order_by(None)
        .order_by(StatusProposal.reviewed_dt.desc(), StatusProposal.id.desc()).limit(RECENT)))
    to_review, to_review_count = [], 0
    if current_user.can_review:
        others = (is_open, StatusProposal.author_id != me)
        to_review_count = db.session.scalar(select(func.count(StatusProposal.id)).where(*others)) or 0
        to_review = list(db.session.scalars(
            proposals_query(*others).order_by(None).order_by(StatusProposal.created_dt, StatusProposal.id)
            .limit(RECENT)))
    recent = list(db.session.scalars(
        select(LogEntry).where(LogEntry.realm.not_in(_NOT_RECORDS), LogEntry.target_type != "")
        .options(selectinload(LogEntry.actor))
        .order_by(LogEntry.logged_dt.desc(), LogEntry.id.desc()).limit(RECENT)))
    return render_template("workbench/home.html", mine_open=mine_open, mine_reviewed=mine_reviewed,
                           to_review=to_review, to_review_count=to_review_count, recent=recent,
                           record_labels=RECORDS, record_pages=RECORD_PAGES)
