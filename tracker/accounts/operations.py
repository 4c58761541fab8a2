"""Creating the people who maintain the tracker."""
from __future__ import annotations

from sqlalchemy import select

from tracker.accounts.models import Role, User
from tracker.audit.operations import log
from tracker.core.db import db
from tracker.core.errors import ValidationError


def create_user(username: str, name: str, role: str, actor: User | None = None) -> User:
    """Add a user with a role; usernames are unique."""
    username = username.strip()
    if not username or not name.strip():
        raise ValidationError("Geef een gebruikersnaam en een naam op.")
    if db.session.scalar(select(User).where(User.username == username)) is not None:
        raise ValidationError(f'De gebruikersnaam "{username}" is al in gebruik; kies een andere.')
    user = User(username=username, name=name.strip(), role=Role.from_label_or_value(role))
    db.session.add(user)
    db.session.flush()
    log("accounts", "created", f"Gebruiker {username} aangemaakt ({user.role.label})", actor, user)
    return user
