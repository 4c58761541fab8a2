"""Creating the people who maintain the tracker."""
from __future__ import annotations

from sqlalchemy import select

from tracker.accounts.models import Role, User
from tracker.audit.operations import log
from tracker.core.db import db
from tracker.core.errors import ValidationError
from tracker.core.writes import Changes, operation, populate


@operation
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


@operation
def update_user(user: User, data: dict, actor: User | None = None) -> Changes:
    """Change a user's name or role."""
    if "role" in data and not isinstance(data["role"], Role):
        data = {**data, "role": Role.from_label_or_value(str(data["role"]))}
    if "name" in data and not str(data["name"]).strip():
        raise ValidationError("Geef een naam op.")
    changes = populate(user, data, frozenset({"name", "role"}))
    if changes:
        db.session.flush()
        log("accounts", "updated", f"Gebruiker {user.username} bijgewerkt", actor, user,
            {"before": {k: old for k, (old, _) in changes.items()}, "after": {k: new for k, (_, new) in changes.items()}})
    return changes
