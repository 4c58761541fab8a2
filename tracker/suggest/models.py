"""A suggested link between a decision and a commitment, awaiting an editor, and what the editor decided."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.db import Base, utcnow
from tracker.core.enums import LabelledEnum, enum_column

if TYPE_CHECKING:
    from tracker.accounts.models import User
    from tracker.commitments.models import Commitment
    from tracker.decisions.models import Decision
    from tracker.sources.models import Source


class SuggestionState(LabelledEnum):
    OPEN = "open", "wacht op een redacteur"
    CONFIRMED = "confirmed", "bevestigd (gekoppeld)"
    DISMISSED = "dismissed", "afgewezen"


class SuggestionOrigin(LabelledEnum):
    RANKER = "ranker", "suggestie van de tracker"
    REPORT = "report", "verwijzing in een externe analyse (machinaal, niet nagekeken)"


class SuggestedLink(Base):
    __tablename__ = "suggested_links"
    __table_args__ = (UniqueConstraint("decision_id", "commitment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id"), index=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"), index=True)
    origin: Mapped[SuggestionOrigin] = mapped_column(enum_column(SuggestionOrigin, "suggestion_origin"))
    state: Mapped[SuggestionState] = mapped_column(enum_column(SuggestionState, "suggestion_state"),
                                                   default=SuggestionState.OPEN)
    # The external analysis that made the reference, and its number there ([12]).
    analysis_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    reference_number: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[str] = mapped_column(String(40), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    created_dt: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_dt: Mapped[datetime | None] = mapped_column(DateTime)

    decision: Mapped[Decision] = relationship()
    commitment: Mapped[Commitment] = relationship()
    analysis: Mapped[Source | None] = relationship()
    decided_by: Mapped[User | None] = relationship()
