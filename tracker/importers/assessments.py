"""Seeded assessments: statuses entered through the normal four-eyes workflow by named seed users."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select

from tracker.core.errors import TrackerError
from tracker.workflow.models import StatusChange
from tracker.workflow.operations import EvidenceInput, approve_proposal, propose_status
from tracker.workflow.status import NotRealisedReason, Status

if TYPE_CHECKING:
    from tracker.importers.seeds import Loader, Record


def load_assessments(loader: Loader, records: list[Record]) -> None:
    """Propose and approve each assessment once; a second load finds it in the history and skips it."""
    # An assessment counts as loaded once its commitment has reached that status through the
    # workflow; editing its date or text in the seed file later does not re-propose it (a change of
    # an approved status is a correction, made through `tracker status propose`).
    done = {(c.commitment_id, c.to_status) for c in loader.session.scalars(select(StatusChange))}
    for rec in records:
        commitment = loader.ref(rec, "commitment", loader.commitments, required=True)
        status = loader.enum(rec, "status", Status)
        reason = loader.enum(rec, "reason", NotRealisedReason, required=False)
        effective = loader.opt(rec, "effective_date", date, None)
        author = loader.ref(rec, "author", loader.users, required=True)
        reviewer = loader.ref(rec, "reviewer", loader.users, required=True)
        evidence = []
        for item in loader.opt(rec, "evidence", list, []):
            if not isinstance(item, dict) or not isinstance(item.get("passage", ""), str):
                loader.fail(rec, "elk bewijsstuk is een tabel ([[assessments.evidence]]) met een tekst als 'passage'.")
                continue
            kinds = [k for k in ("decision", "project", "source") if k in item]
            if len(kinds) != 1:
                loader.fail(rec, "elk bewijsstuk noemt precies één van decision, project of source.")
                continue
            table = {"decision": loader.decisions, "project": loader.projects,
                     "source": loader.sources}[kinds[0]]
            target = table.get(item[kinds[0]])
            if target is None:
                loader.fail(rec, f"bewijsstuk '{item[kinds[0]]}' bestaat niet in de seeddata.")
                continue
            loader.session.flush()
            evidence.append(EvidenceInput(kinds[0], target.id, item.get("passage", "")))
        if None in (commitment, status, effective, author, reviewer) or loader.problems:
            if effective is None and "effective_date" not in rec.data:
                loader.fail(rec, "verplicht veld 'effective_date' ontbreekt.")
            continue
        if (commitment.id, status) in done:
            continue
        try:
            proposal = propose_status(
                commitment, to_status=status, effective_date=effective,
                motivation=loader.opt(rec, "motivation"), actor=author,
                seen_version=commitment.version, evidence=evidence, reason=reason,
            )
            approve_proposal(proposal, reviewer, loader.opt(rec, "review_note"))
        except TrackerError as exc:
            loader.fail(rec, str(exc))
            continue
        loader.report.count("created", "beoordelingen")
