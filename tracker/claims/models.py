"""A stated claim: a count or amount a document states, where, and what in the tracker it is checked against."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.commitments.models import Level
from tracker.core.db import Base, Versioned
from tracker.core.enums import LabelledEnum, enum_column
from tracker.projects.models import ProjectLevel

if TYPE_CHECKING:
    from tracker.decisions.models import Decision
    from tracker.projects.models import Programme, StatedTotal
    from tracker.sources.models import Source


class Measure(LabelledEnum):
    """What the tracker counts to check a claim."""

    COMMITMENTS = "commitments", "onderdelen van een bron op één niveau"
    PROJECTS = "projects", "projecten van een programma"
    BUDGET_LINES = "budget_lines", "lijnen van een vermeld totaal"
    AMOUNT = "amount", "som van de lijnen van een vermeld totaal"

    @property
    def is_amount(self) -> bool:
        return self is Measure.AMOUNT


class StatedClaim(Versioned, Base):
    __tablename__ = "stated_claims"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    # The document that makes the claim, the words it uses, and where.
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    quote: Mapped[str] = mapped_column(Text)
    cite: Mapped[str] = mapped_column(String(500), default="")
    claimed: Mapped[int] = mapped_column(BigInteger)
    # What the tracker counts, and a Dutch phrase for it ("koppen van actiepunten in 003").
    measure: Mapped[Measure] = mapped_column(enum_column(Measure, "claim_measure"))
    counted_what: Mapped[str] = mapped_column(String(300))
    counted_source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    level: Mapped[Level | None] = mapped_column(enum_column(Level, "claim_commitment_level"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    year: Mapped[int | None] = mapped_column(Integer)
    project_level: Mapped[ProjectLevel | None] = mapped_column(enum_column(ProjectLevel, "claim_project_level"))
    total_id: Mapped[int | None] = mapped_column(ForeignKey("stated_totals.id"))
    # The decision whose note the document is, when there is one: its page shows the claim too.
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"), index=True)

    source: Mapped[Source] = relationship(foreign_keys=[source_id])
    counted_source: Mapped[Source | None] = relationship(foreign_keys=[counted_source_id])
    programme: Mapped[Programme | None] = relationship()
    total: Mapped[StatedTotal | None] = relationship()
    decision: Mapped[Decision | None] = relationship()

    def __repr__(self) -> str:
        return f"<StatedClaim {self.key}>"
