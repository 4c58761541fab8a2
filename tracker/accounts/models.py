"""People who maintain the tracker, and their role."""
from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from tracker.core.db import Base
from tracker.core.enums import LabelledEnum, enum_column


class Role(LabelledEnum):
    EDITOR = "editor", "redacteur"
    REVIEWER = "reviewer", "beoordelaar"
    ADMIN = "admin", "beheerder"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))

    @property
    def can_review(self) -> bool:
        return self.role in (Role.REVIEWER, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    def __str__(self) -> str:
        return self.name
