"""Status proposals (the four-eyes step), the append-only status history, and evidence."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.db import Base, utcnow
from tracker.core.enums import LabelledEnum, enum_column
from tracker.workflow.status import NotRealisedReason, Status

if TYPE_CHECKING:
    from tracker.accounts.models import User
    from tracker.commitments.models import Commitment
    from tracker.decisions.models import Decision
    from tracker.projects.models import Project
    from tracker.sources.models import Source


class ProposalState(LabelledEnum):
    OPEN = "open", "Wacht op beoordeling"
    APPROVED = "approved", "Goedgekeurd"
    REJECTED = "rejected", "Afgewezen"


class StatusProposal(Base):
    __tablename__ = "status_proposals"
    __table_args__ = (
        CheckConstraint(
            "state = 'open' OR (reviewer_id IS NOT NULL AND reviewed_dt IS NOT NULL)",
            name="reviewed_has_reviewer",
        ),
        CheckConstraint(
            "to_status <> 'niet_gerealiseerd' OR reason IS NOT NULL", name="not_realised_has_reason"
        ),
        Index("ix_status_proposals_commitment", "commitment_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"))
    from_status: Mapped[Status] = mapped_column(enum_column(Status, "proposal_from_status"))
    to_status: Mapped[Status] = mapped_column(enum_column(Status, "proposal_to_status"))
    effective_date: Mapped[date] = mapped_column(Date)
    motivation: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[NotRealisedReason | None] = mapped_column(
        enum_column(NotRealisedReason, "proposal_reason")
    )
    base_version: Mapped[int] = mapped_column(Integer)
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("status_changes.id"))
    # Set when approved: the history row this proposal became.
    change_id: Mapped[int | None] = mapped_column(ForeignKey("status_changes.id"), unique=True)
    state: Mapped[ProposalState] = mapped_column(
        enum_column(ProposalState, "proposal_state"), default=ProposalState.OPEN
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_dt: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_dt: Mapped[datetime | None] = mapped_column(DateTime)
    review_note: Mapped[str] = mapped_column(Text, default="")

    commitment: Mapped[Commitment] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])
    evidence: Mapped[list[Evidence]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="Evidence.id"
    )
    corrects: Mapped[StatusChange | None] = relationship(foreign_keys=[corrects_id])
    change: Mapped[StatusChange | None] = relationship(
        foreign_keys=[change_id], back_populates="proposal"
    )


class StatusChange(Base):
    """One approved change of a commitment's status. Rows are never updated or deleted."""

    __tablename__ = "status_changes"
    __table_args__ = (
        Index("ix_status_changes_commitment", "commitment_id", "effective_date"),
        CheckConstraint(
            "to_status <> 'niet_gerealiseerd' OR reason IS NOT NULL", name="not_realised_has_reason"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id"))
    from_status: Mapped[Status] = mapped_column(enum_column(Status, "change_from_status"))
    to_status: Mapped[Status] = mapped_column(enum_column(Status, "change_to_status"))
    effective_date: Mapped[date] = mapped_column(Date)
    motivation: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[NotRealisedReason | None] = mapped_column(
        enum_column(NotRealisedReason, "change_reason")
    )
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("status_changes.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_dt: Mapped[datetime] = mapped_column(DateTime)
    recorded_dt: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    commitment: Mapped[Commitment] = relationship()
    proposal: Mapped[StatusProposal] = relationship(
        foreign_keys="StatusProposal.change_id", back_populates="change", uselist=False
    )
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User] = relationship(foreign_keys=[reviewer_id])
    corrects: Mapped[StatusChange | None] = relationship(remote_side=[id])

    @property
    def evidence(self) -> list[Evidence]:
        return self.proposal.evidence


class Evidence(Base):
    """A decision, project or source, with the passage that supports a proposed status."""

    __tablename__ = "evidence"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN decision_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN project_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN source_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_target",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("status_proposals.id"), index=True)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    passage: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[StatusProposal] = relationship(back_populates="evidence")
    decision: Mapped[Decision | None] = relationship()
    project: Mapped[Project | None] = relationship()
    source: Mapped[Source | None] = relationship()

    @property
    def target(self) -> Decision | Project | Source:
        return self.decision or self.project or self.source  # type: ignore[return-value]
