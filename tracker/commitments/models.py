"""Commitments (the nodes of a source's tree) and the links that connect them to decisions and projects."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.db import Base, utcnow
from tracker.core.enums import LabelledEnum, enum_column
from tracker.workflow.status import Status

if TYPE_CHECKING:
    from tracker.accounts.models import User
    from tracker.decisions.models import Decision
    from tracker.projects.models import Project
    from tracker.sources.models import Source


class Level(LabelledEnum):
    DEEL = "deel", "Deel"
    HOOFDSTUK = "hoofdstuk", "Hoofdstuk"
    AFDELING = "afdeling", "Afdeling"
    SPEERPUNT = "speerpunt", "Speerpunt"
    ENGAGEMENT = "engagement", "Engagement"
    ACTIEPUNT = "actiepunt", "Actiepunt"
    PRINCIPE = "principe", "Principe"


class Commitment(Base):
    __tablename__ = "commitments"
    __table_args__ = (
        Index("ix_commitments_source_parent", "source_id", "parent_id", "position"),
        # A status has the date it took effect; "niet beoordeeld" (no assessment) has none.
        CheckConstraint(
            "(status = 'niet_beoordeeld' AND status_since IS NULL)"
            " OR (status <> 'niet_beoordeeld' AND status_since IS NOT NULL)",
            name="status_has_date",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id"))
    level: Mapped[Level] = mapped_column(enum_column(Level, "commitment_level"))
    reference: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(500))
    # True when the document prints no title here and the editors wrote one (shown as such).
    title_by_editors: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    text: Mapped[str] = mapped_column(Text, default="")
    policy_domain: Mapped[str] = mapped_column(String(120), default="")
    responsible: Mapped[str] = mapped_column(String(300), default="")
    cite: Mapped[str] = mapped_column(String(500), default="")
    # The public status; only tracker.workflow.operations assigns it.
    status: Mapped[Status] = mapped_column(
        enum_column(Status, "commitment_status"), default=Status.NIET_BEOORDEELD
    )
    status_since: Mapped[date | None] = mapped_column(Date)
    # Bumped by every change; an edit based on an older version is refused.
    version: Mapped[int] = mapped_column(Integer, default=1)

    source: Mapped[Source] = relationship()
    parent: Mapped[Commitment | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Commitment]] = relationship(
        back_populates="parent", order_by="Commitment.position"
    )

    @property
    def label(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def __repr__(self) -> str:
        return f"<Commitment {self.id} {self.key}>"


class Relation(LabelledEnum):
    REALISEERT = "realiseert", "realiseert"
    REALISEERT_GEDEELTELIJK = "realiseert_gedeeltelijk", "realiseert gedeeltelijk"
    FINANCIERT = "financiert", "financiert"
    BEREIDT_VOOR = "bereidt_voor", "bereidt voor"
    SPREEKT_TEGEN = "spreekt_tegen", "spreekt tegen"


class Link(Base):
    """A connection between two of: a commitment, a decision, a project."""

    __tablename__ = "links"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN commitment_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN decision_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN project_id IS NULL THEN 0 ELSE 1 END) = 2",
            name="two_ends",
        ),
        Index("ix_links_commitment", "commitment_id"),
        Index("ix_links_decision", "decision_id"),
        Index("ix_links_project", "project_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    relation: Mapped[Relation] = mapped_column(enum_column(Relation, "link_relation"))
    rationale: Mapped[str] = mapped_column(Text, default="")
    quote: Mapped[str] = mapped_column(Text, default="")
    cite: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_dt: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A removed link stays as history: gone from current pages and roll-ups, visible in the
    # commitment's history and in as-of views of the time it existed.
    removed_dt: Mapped[datetime | None] = mapped_column(DateTime)
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removal_reason: Mapped[str] = mapped_column(Text, default="")

    commitment: Mapped[Commitment | None] = relationship()
    decision: Mapped[Decision | None] = relationship()
    project: Mapped[Project | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    removed_by: Mapped[User | None] = relationship(foreign_keys=[removed_by_id])

    @property
    def is_current(self) -> bool:
        return self.removed_dt is None

    def __repr__(self) -> str:
        return f"<Link {self.id} c={self.commitment_id} d={self.decision_id} p={self.project_id}>"
