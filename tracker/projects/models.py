"""Programmes, funded projects, organisations, budget lines and the totals documents state."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.db import Base, Versioned
from tracker.core.enums import LabelledEnum, enum_column

if TYPE_CHECKING:
    from tracker.decisions.models import Decision


class Programme(Versioned, Base):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(60), default="")
    description: Mapped[str] = mapped_column(Text, default="")

    projects: Mapped[list[Project]] = relationship(
        back_populates="programme", order_by="(Project.execution_year, Project.position)"
    )

    def __repr__(self) -> str:
        return f"<Programme {self.key}>"


class Organisation(Versioned, Base):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    abbreviation: Mapped[str] = mapped_column(String(40), default="")

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class ProjectLevel(LabelledEnum):
    SPEERPUNT = "speerpunt", "Speerpunt"
    PROJECT = "project", "Project"
    DEELPROJECT = "deelproject", "Deelproject"


class Project(Versioned, Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    level: Mapped[ProjectLevel] = mapped_column(enum_column(ProjectLevel, "project_level"))
    code: Mapped[str] = mapped_column(String(40), default="")
    position: Mapped[int] = mapped_column(Integer, default=1)
    title: Mapped[str] = mapped_column(String(500))
    # True when the document prints no title here and the editors wrote one (shown as such).
    title_by_editors: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    description: Mapped[str] = mapped_column(Text, default="")
    execution_year: Mapped[int | None] = mapped_column(Integer)
    cite: Mapped[str] = mapped_column(String(500), default="")

    programme: Mapped[Programme] = relationship(back_populates="projects")
    parent: Mapped[Project | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Project]] = relationship(back_populates="parent", order_by="Project.position")
    organisation: Mapped[Organisation | None] = relationship()
    decision: Mapped[Decision | None] = relationship()
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="project", order_by="(BudgetLine.year, BudgetLine.month, BudgetLine.id)"
    )

    @property
    def label(self) -> str:
        return f"{self.code} {self.title}".strip()

    def __repr__(self) -> str:
        return f"<Project {self.key}>"


class BudgetKind(LabelledEnum):
    INVESTERING = "investering", "Investering"
    EXPLOITATIE = "exploitatie", "Exploitatie"
    BETAALPROGNOSE = "betaalprognose", "Betaalprognose"


class StatedTotal(Versioned, Base):
    """A total as a document prints it, kept beside the sum of its parts."""

    __tablename__ = "stated_totals"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    label: Mapped[str] = mapped_column(String(500))
    amount: Mapped[int] = mapped_column(BigInteger)
    printed: Mapped[str] = mapped_column(String(60), default="")
    # True when the document lists only some parts ("waarbij inbegrepen"): the rest is not itemised,
    # so a smaller sum of parts is no contradiction.
    partial: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    year: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[BudgetKind] = mapped_column(enum_column(BudgetKind, "stated_total_kind"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    cite: Mapped[str] = mapped_column(String(500), default="")

    programme: Mapped[Programme | None] = relationship()
    decision: Mapped[Decision | None] = relationship()
    lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="total", order_by="(BudgetLine.month, BudgetLine.id)"
    )

    @property
    def sum_of_parts(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def difference(self) -> int:
        """Stated total minus the sum of its parts; 0 when they agree."""
        return self.amount - self.sum_of_parts


class BudgetLine(Versioned, Base):
    __tablename__ = "budget_lines"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN project_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN organisation_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN programme_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_owner",
        ),
        CheckConstraint("month IS NULL OR (month BETWEEN 1 AND 12)", name="month_range"),
        Index("ix_budget_lines_total", "total_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Natural key of a line loaded from seeds or imports, so a reload finds it again.
    key: Mapped[str | None] = mapped_column(String(300), unique=True)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    year: Mapped[int] = mapped_column(Integer)
    month: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[BudgetKind] = mapped_column(enum_column(BudgetKind, "budget_kind"))
    amount: Mapped[int] = mapped_column(BigInteger)
    printed: Mapped[str] = mapped_column(String(60), default="")
    label: Mapped[str] = mapped_column(String(500), default="")
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decisions.id"))
    total_id: Mapped[int | None] = mapped_column(ForeignKey("stated_totals.id"))
    cite: Mapped[str] = mapped_column(String(500), default="")

    project: Mapped[Project | None] = relationship(back_populates="budget_lines")
    organisation: Mapped[Organisation | None] = relationship()
    programme: Mapped[Programme | None] = relationship()
    decision: Mapped[Decision | None] = relationship()
    total: Mapped[StatedTotal | None] = relationship(back_populates="lines")
