"""Public pages of the workflow: the status scale, status changes between two dates, the proposals."""
from __future__ import annotations

from datetime import date

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import BadRequest

from tracker.accounts.auth import public
from tracker.commitments.queries import changes_between
from tracker.core.dates import date_arg
from tracker.core.pagination import page_arg, paginate
from tracker.workflow.models import StatusProposal
from tracker.workflow.status import (
    ALLOWED_TRANSITIONS,
    STATUS_INFO,
    NotRealisedReason,
    Status,
)


@public
def proposal_list():  # type: ignore[no-untyped-def]
    """Every status proposal, newest first, with its review."""
    stmt = (select(StatusProposal)
            .options(selectinload(StatusProposal.commitment), selectinload(StatusProposal.author),
                     selectinload(StatusProposal.reviewer))
            .order_by(StatusProposal.created_dt.desc(), StatusProposal.id.desc()))
    page = paginate(stmt, page_arg(), current_app.config["PER_PAGE"])
    return render_template("workflow/proposals.html", page=page)


@public
def method():  # type: ignore[no-untyped-def]
    """The status scale and how roll-ups are computed."""
    return render_template("workflow/method.html", statuses=list(Status), info=STATUS_INFO,
                           reasons=list(NotRealisedReason), transitions=ALLOWED_TRANSITIONS)


@public
def changes():  # type: ignore[no-untyped-def]
    """Which commitments changed status between two dates, from what, to what and why."""
    start = date_arg("van", "begindatum")
    end = date_arg("tot", "einddatum") or date.today()
    rows = None
    if start is not None:
        if start > end:
            raise BadRequest("De begindatum ligt na de einddatum; draai ze om.")
        rows = changes_between(start, end)
    return render_template("workflow/changes.html", start=start, end=end, rows=rows)
