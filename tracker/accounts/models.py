"""People who maintain the tracker, their role, their sessions and their login attempts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.core.db import Base, utcnow
from tracker.core.enums import LabelledEnum, enum_column


class Role(LabelledEnum):
    EDITOR = "editor", "redacteur"
    REVIEWER = "reviewer", "beoordelaar"
    ADMIN = "admin", "beheerder"

    @property
    def rank(self) -> int:
        """Each role can do what the roles below it can."""
        return list(Role).index(self) + 1


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    # The address a person logs in with; accounts without one (the seed accounts) cannot log in.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    # argon2id; None means no password was ever set, so the account cannot log in.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def can_review(self) -> bool:
        return self.role in (Role.REVIEWER, Role.ADMIN)

    @property
    def can_log_in(self) -> bool:
        return self.active and bool(self.email) and bool(self.password_hash)

    def has_role(self, role: Role) -> bool:
        return self.active and self.role.rank >= role.rank

    # Flask-Login
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        # The session's token, not the user id: ending the session ends the login (README, "Accounts").
        return getattr(self, "session_token", "")

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    def __str__(self) -> str:
        return self.name


class LoginSession(Base):
    """One login: its cookie holds the token, the database its hash, so every server process can end it."""

    __tablename__ = "login_sessions"
    __table_args__ = (Index("ix_login_sessions_user", "user_id", "ended_dt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_dt: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_dt: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_dt: Mapped[datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str] = mapped_column(String(40), default="")
    address: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship()


class LoginAttempt(Base):
    """A login attempt, counted per account and per address to throttle guessing across processes."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_email", "email", "attempted_dt"),
        Index("ix_login_attempts_address", "address", "attempted_dt"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))
    succeeded: Mapped[bool] = mapped_column(Boolean, default=False)
    attempted_dt: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
