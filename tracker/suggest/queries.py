"""Reading what external analyses say about a commitment, and the suggestions they left."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.commitments.models import Commitment
from tracker.core.db import db
from tracker.suggest.models import (
    ExternalAnalysis,
    SuggestedLink,
    SuggestionOrigin,
    SuggestionState,
)


def analyses_of(commitment: Commitment) -> list[ExternalAnalysis]:
    return list(db.session.scalars(select(ExternalAnalysis).where(ExternalAnalysis.commitment_id == commitment.id)
                                   .options(selectinload(ExternalAnalysis.source))))


def report_suggestions(commitment: Commitment, state: SuggestionState = SuggestionState.OPEN) -> list[SuggestedLink]:
    """The decisions external analyses cite for this commitment that no editor has decided on yet."""
    return list(db.session.scalars(
        select(SuggestedLink).where(SuggestedLink.commitment_id == commitment.id, SuggestedLink.state == state,
                                    SuggestedLink.origin == SuggestionOrigin.REPORT)
        .options(selectinload(SuggestedLink.decision), selectinload(SuggestedLink.analysis))
        .order_by(SuggestedLink.reference_number, SuggestedLink.id)))
