"""The outbox of pending index updates, written in the same transaction as the change."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.core.db import Base, utcnow


class IndexQueueItem(Base):
    __tablename__ = "index_queue"

    id: Mapped[int] = mapped_column(primary_key=True)
    doc_type: Mapped[str] = mapped_column(String(20))
    doc_id: Mapped[int] = mapped_column(Integer)
    queued_dt: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
