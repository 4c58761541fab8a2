"""A commitment's page: text, place in the tree, status with evidence, timeline, links."""
from __future__ import annotations

from datetime import date

from flask import render_template
from sqlalchemy import select

from tracker.accounts.auth import public
from tracker.asof import source_existed
from tracker.commitments.models import Commitment
from tracker.commitments.queries import (
    ancestors,
    find_node,
    history,
    links_of,
    removed_links,
    source_tree,
)
from tracker.core.dates import date_arg
from tracker.core.db import db
from tracker.workflow.models import ProposalState, StatusProposal
from tracker.workflow.status import Status


@public
def commitment_display(commitment_id: int):  # type: ignore[no-untyped-def]
    """Show one commitment, optionally as it stood on ?op=YYYY-MM-DD."""
    commitment = db.get_or_404(Commitment, commitment_id)
    as_of = date_arg("op", "datum")
    node = find_node(source_tree(commitment.source_id, as_of), commitment.id)
    changes = history(commitment.id)
    # A correction replaces its row in the past too, even when it was dated later.
    corrected = {c.corrects_id for c in changes if c.corrects_id}
    if as_of is not None:
        changes = [c for c in changes if c.effective_date <= as_of]
    current = next((c for c in reversed(changes) if c.id not in corrected), None)
    links = links_of(commitment_id=commitment.id, as_of=as_of)
    timeline = _timeline(changes, links, as_of)
    open_proposal = db.session.scalar(select(StatusProposal).where(
        StatusProposal.commitment_id == commitment.id, StatusProposal.state == ProposalState.OPEN))
    return render_template(
        "commitments/display.html", commitment=commitment, node=node,
        status=node.status if node else Status.NIET_BEOORDEELD, current=current,
        ancestors=ancestors(commitment), links=links, timeline=timeline, as_of=as_of,
        open_proposal=open_proposal, history=changes, existed=source_existed(commitment.source, as_of),
        removed=removed_links(commitment.id),
    )


def _timeline(changes, links, as_of: date | None):  # type: ignore[no-untyped-def]
    """Status changes interleaved with linked decisions and projects, by date."""
    events = [(c.effective_date, 0, "status", c) for c in changes]
    for link in links:
        if link.decision is not None and link.decision.meeting_date is not None:
            events.append((link.decision.meeting_date, 1, "decision", link))
        elif link.project is not None and link.project.execution_year:
            events.append((date(link.project.execution_year, 1, 1), 2, "project", link))
    if as_of is not None:
        events = [e for e in events if e[0] <= as_of]
    events.sort(key=lambda e: (e[0], e[1]))
    return [(d, kind, obj) for d, _, kind, obj in events]
