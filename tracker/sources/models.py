"""Source documents: coalition agreements, strategies, notes, news items, analyses."""
from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from tracker.core.db import Base, Versioned
from tracker.core.enums import LabelledEnum, enum_column


class SourceKind(LabelledEnum):
    REGEERAKKOORD = "regeerakkoord", "Regeerakkoord"
    STRATEGIE = "strategie", "Strategie"
    BELEIDSNOTA = "beleidsnota", "Beleidsnota"
    NOTA = "nota", "Nota aan de Vlaamse Regering"
    NIEUWSBERICHT = "nieuwsbericht", "Nieuwsbericht"
    ANALYSE = "analyse", "Analyse"


class Source(Versioned, Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[SourceKind] = mapped_column(enum_column(SourceKind, "source_kind"))
    title: Mapped[str] = mapped_column(String(500))
    # True when the document prints no title here and the editors wrote one (shown as such).
    title_by_editors: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    government: Mapped[str] = mapped_column(String(120), default="")
    date: Mapped[date | None] = mapped_column(Date)
    url: Mapped[str] = mapped_column(String(1000), default="")
    read_from: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")

    def __repr__(self) -> str:
        return f"<Source {self.id} {self.key}>"
