"""Carrying out a confirmed preview: one operation, so the import is one transaction or nothing."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.accounts.models import User
from tracker.audit.operations import log_event
from tracker.core.writes import operation
from tracker.decisions.models import DecisionDocument
from tracker.decisions.operations import (
    add_document_numbers,
    create_decision,
    update_decision,
)
from tracker.intake.plan import CREATE, UPDATE, Plan, ProgressCallback
from tracker.sources.models import Source

logger = logging.getLogger(__name__)


@operation
def apply_plan(session: Session, plan: Plan, actor: User | None,
               progress: ProgressCallback | None = None) -> dict[str, int]:
    """Create and update the decisions of the plan through the decision operations; the caller commits.

    Refused rows are left out (the preview lists them). A failure of any row raises and the caller
    rolls the whole import back.
    """
    source = None
    if plan.source_spec is not None and any(item.add_source for item in plan.items):
        from tracker.sources.operations import create_source

        source = session.scalar(select(Source).where(Source.key == plan.source_spec["key"]))
        if source is None:
            source = create_source(dict(plan.source_spec), actor)
    known = {doc.canonical: doc for doc in session.scalars(select(DecisionDocument))}
    work = [item for item in plan.items if item.action in (CREATE, UPDATE)]
    for done, item in enumerate(work, start=1):
        if item.action == CREATE:
            data = dict(item.values)
            if source is not None:
                data["sources"] = [source]
            decision = create_decision(data, actor)
        else:
            decision = item.decision
            assert decision is not None
            data = dict(item.values)
            if item.add_source and source is not None:
                data["sources"] = [*decision.sources, source]
            if data:
                update_decision(decision, data, actor)
        if item.numbers:
            add_document_numbers(decision, item.numbers, actor, known=known)
        if progress is not None and (done % 100 == 0 or done == len(work)):
            progress(done, len(work))
    counts = plan.counts
    if work:
        log_event("import", "besluiten", plan.summary(), actor, source,
                  {"file": plan.name, "format": plan.format, **counts})
        logger.info("%s imported by %s: %s", plan.name, actor, counts)
    return counts
