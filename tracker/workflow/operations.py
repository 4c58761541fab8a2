"""The only place where a commitment's status changes: propose, approve, reject."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.audit.operations import log
from tracker.commitments.models import Commitment, Link
from tracker.commitments.operations import bump_version, changes_since
from tracker.core.clock import today as brussels_today
from tracker.core.db import db, utcnow
from tracker.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationError
from tracker.core.writes import operation
from tracker.decisions.models import Decision
from tracker.parsing import format_dutch_date
from tracker.projects.models import Project
from tracker.sources.models import Source
from tracker.workflow.guard import status_write
from tracker.workflow.models import (
    Evidence,
    ProposalState,
    StatusChange,
    StatusProposal,
)
from tracker.workflow.status import ALLOWED_TRANSITIONS, NotRealisedReason, Status

logger = logging.getLogger(__name__)

MIN_MOTIVATION = 20


@dataclass(frozen=True)
class EvidenceInput:
    kind: str  # "decision" | "project" | "source"
    id: int
    passage: str = ""


def propose_status(commitment: Commitment, *, to_status: Status, effective_date: date,
                   motivation: str, actor: User, seen_version: int,
                   evidence: list[EvidenceInput] = (), reason: NotRealisedReason | None = None,
                   corrects: StatusChange | None = None, today: date | None = None) -> StatusProposal:
    """Record an editor's proposal; it becomes public only when another person approves it."""
    motivation = (motivation or "").strip()
    today = today or brussels_today()
    if commitment.version != seen_version:
        # Judge the proposal against what its author saw, not against a newer state.
        raise Conflict(
            "Dit engagement is intussen gewijzigd door iemand anders. Bekijk de wijzigingen en probeer opnieuw.",
            changes=changes_since(commitment, seen_version),
        )
    _check_requirements(to_status, motivation, evidence, reason)
    _check_transition(_base_status(commitment, corrects), to_status)
    check_effective_date(commitment, effective_date, corrects, today)
    evidence_rows = [_make_evidence(commitment, item) for item in evidence]
    open_proposal = db.session.scalar(
        select(StatusProposal).where(StatusProposal.commitment_id == commitment.id,
                                     StatusProposal.state == ProposalState.OPEN)
    )
    if open_proposal is not None:
        raise Conflict(
            f"Er staat al een voorstel open voor dit engagement ({open_proposal.to_status.label}, "
            f"door {open_proposal.author.name}). Laat dat eerst beoordelen.",
            changes=[f"Voorstel: {open_proposal.from_status.label} → {open_proposal.to_status.label}"],
        )
    new_version = bump_version(commitment, seen_version)
    proposal = StatusProposal(
        commitment=commitment, from_status=_base_status(commitment, corrects), to_status=to_status,
        effective_date=effective_date, motivation=motivation, reason=reason,
        base_version=new_version, corrects=corrects, author=actor, state=ProposalState.OPEN,
    )
    proposal.evidence.extend(evidence_rows)
    db.session.add(proposal)
    db.session.flush()
    log("workflow", "proposed",
        f"{actor.name} stelde status {to_status.label} voor bij {commitment.label}",
        actor, commitment, {"proposal": proposal.id, "from": proposal.from_status.value,
                            "to": to_status.value, "version": new_version})
    logger.info("%r proposed %s for %r", actor, to_status, commitment)
    return proposal


def approve_proposal(proposal: StatusProposal, actor: User, note: str = "") -> StatusChange:
    """A reviewer who is not the author makes the proposed status public, with a history row."""
    _check_reviewer(proposal, actor)
    commitment = proposal.commitment
    # The proposal was made against a version; anything since then means the
    # reviewer would approve something they have not seen.
    new_version = bump_version(commitment, proposal.base_version)
    _check_transition(_base_status(commitment, proposal.corrects), proposal.to_status)
    check_effective_date(commitment, proposal.effective_date, proposal.corrects, brussels_today())
    now = utcnow()
    change = StatusChange(
        commitment=commitment, from_status=proposal.from_status, to_status=proposal.to_status,
        effective_date=proposal.effective_date, motivation=proposal.motivation,
        reason=proposal.reason, corrects=proposal.corrects, author=proposal.author,
        reviewer=actor, proposed_dt=proposal.created_dt, recorded_dt=now,
    )
    with status_write(db.session(), commitment):
        db.session.add(change)
        commitment.status = proposal.to_status
        # "Niet beoordeeld" has no date: it is the absence of an assessment (a CHECK constraint holds it).
        commitment.status_since = None if proposal.to_status is Status.NIET_BEOORDEELD else proposal.effective_date
    proposal.state = ProposalState.APPROVED
    proposal.reviewer = actor
    proposal.reviewed_dt = now
    proposal.review_note = (note or "").strip()
    proposal.change = change
    db.session.flush()
    log("workflow", "approved",
        f"{actor.name} keurde status {proposal.to_status.label} goed bij {commitment.label}",
        actor, commitment, {"proposal": proposal.id, "change": change.id,
                            "from": change.from_status.value, "to": change.to_status.value,
                            "version": new_version})
    logger.info("%r approved proposal %s for %r", actor, proposal.id, commitment)
    return change


def reject_proposal(proposal: StatusProposal, actor: User, note: str) -> None:
    """A reviewer refuses a proposal; the status stays as it was and the reason is kept."""
    _check_reviewer(proposal, actor)
    note = (note or "").strip()
    if len(note) < 5:
        raise ValidationError("Schrijf waarom u het voorstel afwijst, zodat de redacteur het kan verbeteren.", "note")
    commitment = proposal.commitment
    new_version = bump_version(commitment, proposal.base_version)
    proposal.state = ProposalState.REJECTED
    proposal.reviewer = actor
    proposal.reviewed_dt = utcnow()
    proposal.review_note = note
    db.session.flush()
    log("workflow", "rejected",
        f"{actor.name} wees het voorstel {proposal.to_status.label} af bij {commitment.label}",
        actor, commitment, {"proposal": proposal.id, "note": note, "version": new_version})


def check_effective_date(commitment: Commitment, effective_date: date, corrects: StatusChange | None,
                         today: date) -> None:
    """The one rule for when a new status or a correction may take effect.

    Not in the future, and not before the change it follows: for a new status the current one, for
    a correction the change before the corrected one. History is read by effective date, so this
    keeps the current status equal to the status as of today, whatever the history.

    :raise ValidationError: with the earliest and latest date allowed.
    """
    if effective_date > today:
        raise ValidationError(
            f"De ingangsdatum {format_dutch_date(effective_date)} ligt in de toekomst; kies vandaag of een eerdere datum.",
            "effective_date",
        )
    follows = _standing_change_before(commitment, corrects)
    if follows is not None and effective_date < follows.effective_date:
        what = ("de correctie kan niet ingaan vóór de wijziging die ze opvolgt" if corrects is not None
                else "een nieuwe status kan niet eerder ingaan")
        raise ValidationError(
            f"De status {follows.to_status.label} geldt sinds {format_dutch_date(follows.effective_date)}; {what}. "
            f"Kies {format_dutch_date(follows.effective_date)} of later"
            + ("." if corrects is not None else ", of corrigeer de laatste statuswijziging."),
            "effective_date",
        )


def _standing_change_before(commitment: Commitment, corrects: StatusChange | None) -> StatusChange | None:
    """The latest history row that still counts, leaving out the row a correction replaces."""
    corrected = select(StatusChange.corrects_id).where(StatusChange.corrects_id.is_not(None))
    stmt = (select(StatusChange).where(StatusChange.commitment_id == commitment.id,
                                       StatusChange.id.not_in(corrected))
            .order_by(StatusChange.effective_date.desc(), StatusChange.id.desc()).limit(1))
    if corrects is not None:
        stmt = stmt.where(StatusChange.id != corrects.id)
    return db.session.scalar(stmt)


def _base_status(commitment: Commitment, corrects: StatusChange | None) -> Status:
    """The status a proposal starts from: the current one, or for a correction the one before it."""
    if corrects is None:
        return commitment.status
    if corrects.commitment_id != commitment.id:
        raise ValidationError("De gecorrigeerde statuswijziging hoort bij een ander engagement.", "corrects")
    latest = db.session.scalar(
        select(StatusChange).where(StatusChange.commitment_id == commitment.id)
        .order_by(StatusChange.recorded_dt.desc(), StatusChange.id.desc()).limit(1))
    if latest is None or latest.id != corrects.id:
        raise ValidationError(
            "Alleen de laatste statuswijziging kan gecorrigeerd worden; stel voor een oudere wijziging een nieuwe status voor.",
            "corrects",
        )
    return corrects.from_status


def _check_transition(old: Status, new: Status) -> None:
    if new not in ALLOWED_TRANSITIONS[old]:
        allowed = ", ".join(s.label for s in Status if s in ALLOWED_TRANSITIONS[old]) or "geen"
        raise InvalidTransition(
            f"Van {old.label} naar {new.label} is geen toegelaten overgang. Vanuit {old.label} kan: {allowed}."
        )


def _check_requirements(to_status: Status, motivation: str, evidence, reason) -> None:  # type: ignore[no-untyped-def]
    if to_status.info.needs_motivation:
        if len(motivation) < MIN_MOTIVATION:
            raise ValidationError(
                f"Voor de status {to_status.label} is een motivering van minstens {MIN_MOTIVATION} tekens nodig: schrijf waarom.",
                "motivation",
            )
    if to_status.info.needs_evidence and not evidence:
        raise ValidationError(
            f"Voor de status {to_status.label} is minstens één bewijsstuk nodig: een gekoppelde beslissing, project of bron met de passage die het staaft.",
            "evidence",
        )
    if to_status is Status.NIET_GEREALISEERD and reason is None:
        raise ValidationError("Kies bij Niet gerealiseerd de reden (bijvoorbeeld budgettaire redenen).", "reason")
    if to_status is not Status.NIET_GEREALISEERD and reason is not None:
        raise ValidationError("Een reden hoort alleen bij de status Niet gerealiseerd.", "reason")


def _check_reviewer(proposal: StatusProposal, actor: User) -> None:
    if proposal.state is not ProposalState.OPEN:
        raise Conflict(f"Dit voorstel is al beoordeeld ({proposal.state.label}).")
    if not actor.can_review:
        raise NotAllowed("Alleen een beoordelaar of beheerder kan een voorstel goedkeuren of afwijzen.")
    if proposal.author_id == actor.id:
        raise NotAllowed("U kunt uw eigen voorstel niet beoordelen: een tweede persoon moet het nakijken.")


def _make_evidence(commitment: Commitment, item: EvidenceInput) -> Evidence:
    model = {"decision": Decision, "project": Project, "source": Source}.get(item.kind)
    if model is None:
        raise ValidationError(f'Onbekend soort bewijs "{item.kind}": kies beslissing, project of bron.', "evidence")
    target = db.session.get(model, item.id)
    if target is None:
        raise ValidationError(f"Het bewijsstuk ({item.kind} {item.id}) bestaat niet; kies een bestaand stuk.", "evidence")
    passage = (item.passage or "").strip()
    if not passage:
        raise ValidationError(
            f"Geef bij het bewijsstuk “{_title(target)}” de passage die de status staaft (een citaat of samenvatting).",
            "evidence",
        )
    if item.kind != "source":
        column = Link.decision_id if item.kind == "decision" else Link.project_id
        # Only a current link counts: a removed one is history, not evidence.
        linked = db.session.scalar(select(Link.id).where(Link.commitment_id == commitment.id, column == target.id,
                                                         Link.removed_dt.is_(None)))
        if linked is None:
            raise ValidationError(
                f"“{_title(target)}” is niet aan dit engagement gekoppeld. Koppel het eerst (met de aard van de "
                f"koppeling en een motivering) en gebruik het dan als bewijs.",
                "evidence",
            )
    return Evidence(**{item.kind: target}, passage=passage)


def _title(target: Decision | Project | Source) -> str:
    return getattr(target, "label", None) or target.title


# Marked as operations here rather than with the decorator: mutmut skips decorated functions, and the
# mutation tests of the workflow (README, "Mutation testing") must reach these three.
propose_status = operation(propose_status)
approve_proposal = operation(approve_proposal)
reject_proposal = operation(reject_proposal)
