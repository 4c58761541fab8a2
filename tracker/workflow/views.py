"""Open and reviewed status proposals, for transparency."""
from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.core.pagination import page_arg, paginate
from tracker.workflow.models import StatusProposal


def proposal_list():  # type: ignore[no-untyped-def]
    """Every status proposal, newest first, with its review."""
    stmt = (select(StatusProposal)
            .options(selectinload(StatusProposal.commitment), selectinload(StatusProposal.author),
                     selectinload(StatusProposal.reviewer))
            .order_by(StatusProposal.created_dt.desc(), StatusProposal.id.desc()))
    page = paginate(stmt, page_arg(), current_app.config["PER_PAGE"])
    return render_template("workflow/proposals.html", page=page)
