"""Dismissing a suggestion (remembered, never offered again) and confirming one (a link with a motivation)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tracker.accounts.models import User
from tracker.audit.operations import log_change
from tracker.commitments.models import Commitment, Link
from tracker.commitments.operations import MIN_RATIONALE, create_link
from tracker.core.db import db, utcnow
from tracker.core.errors import ValidationError
from tracker.core.writes import operation
from tracker.decisions.models import Decision
from tracker.suggest.models import SuggestedLink, SuggestionOrigin, SuggestionState

MIN_NOTE = 10


def _record(decision: Decision, commitment: Commitment, origin: SuggestionOrigin) -> SuggestedLink:
    found = db.session.scalar(select(SuggestedLink).where(SuggestedLink.decision_id == decision.id,
                                                          SuggestedLink.commitment_id == commitment.id))
    if found is None:
        found = SuggestedLink(decision=decision, commitment=commitment, origin=origin)
        db.session.add(found)
    return found


def _note(note: str, what: str, minimum: int = MIN_NOTE, field: str = "note") -> str:
    note = (note or "").strip()
    if len(note) < minimum:
        raise ValidationError(f"Schrijf waarom u deze suggestie {what} (minstens {minimum} tekens).", field)
    return note


@operation
def dismiss_suggestion(decision: Decision, commitment: Commitment, note: str, actor: User,
                       origin: SuggestionOrigin = SuggestionOrigin.RANKER) -> SuggestedLink:
    """The editor says this decision does not serve this commitment: it is not suggested again."""
    note = _note(note, "afwijst")
    suggestion = _record(decision, commitment, origin)
    suggestion.state, suggestion.note = SuggestionState.DISMISSED, note
    suggestion.decided_by, suggestion.decided_dt = actor, utcnow()
    log_change("suggestions", "dismissed", suggestion, actor,
               f"suggestie beslissing {decision.key} → engagement {commitment.key}",
               values={"decision": decision.key, "commitment": commitment.key, "note": note})
    return suggestion


@operation
def confirm_suggestion(decision: Decision, commitment: Commitment, data: dict[str, Any], actor: User,
                       origin: SuggestionOrigin = SuggestionOrigin.RANKER) -> Link:
    """Link the decision to the commitment with the editor's relation kind and motivation."""
    _note(data.get("rationale", ""), "bevestigt", MIN_RATIONALE, "rationale")
    link = create_link({**data, "decision": decision, "commitment": commitment}, actor)
    suggestion = _record(decision, commitment, origin)
    suggestion.state, suggestion.note = SuggestionState.CONFIRMED, data["rationale"].strip()
    suggestion.decided_by, suggestion.decided_dt = actor, utcnow()
    log_change("suggestions", "confirmed", suggestion, actor,
               f"suggestie beslissing {decision.key} → engagement {commitment.key}",
               values={"decision": decision.key, "commitment": commitment.key, "note": suggestion.note})
    return link
