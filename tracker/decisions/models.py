"""Decisions of the Flemish Government and their document numbers."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.db import Base, Versioned
from tracker.core.enums import LabelledEnum, enum_column

if TYPE_CHECKING:
    from tracker.sources.models import Source


class DecisionKind(LabelledEnum):
    NOTA = "nota", "Nota"
    MEDEDELING = "mededeling", "Mededeling"
    BESLISSING = "beslissing", "Beslissing"


decision_sources = Table(
    "decision_sources",
    Base.metadata,
    Column("decision_id", ForeignKey("decisions.id", ondelete="CASCADE"), primary_key=True),
    Column("source_id", ForeignKey("sources.id", ondelete="CASCADE"), primary_key=True),
)


class Decision(Versioned, Base):
    __tablename__ = "decisions"
    __table_args__ = (Index("ix_decisions_meeting_date", "meeting_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # The public decisions site's own identifier, when the decision came from there.
    site_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    meeting_date: Mapped[date | None] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(1000))
    # True when the document prints no title here and the editors wrote one (shown as such).
    title_by_editors: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind, "decision_kind"))
    policy_domain: Mapped[str] = mapped_column(String(120), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    cite: Mapped[str] = mapped_column(String(500), default="")

    documents: Mapped[list[DecisionDocument]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", order_by="DecisionDocument.canonical"
    )
    sources: Mapped[list[Source]] = relationship(secondary=decision_sources)

    def __repr__(self) -> str:
        return f"<Decision {self.id} {self.key}>"


class DecisionDocument(Base):
    """One document number of a decision, in canonical spelling."""

    __tablename__ = "decision_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    canonical: Mapped[str] = mapped_column(String(60), unique=True)
    # The number as the document printed it, for citation.
    printed: Mapped[str] = mapped_column(String(120), default="")
    case_key: Mapped[str] = mapped_column(String(20), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    decision: Mapped[Decision] = relationship(back_populates="documents")
