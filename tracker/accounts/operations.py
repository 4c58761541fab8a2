"""Accounts: creating people, their role and password, disabling them; login sessions and attempts."""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime

from sqlalchemy import func, select, update

from tracker.accounts.models import LoginAttempt, LoginSession, Role, User
from tracker.accounts.passwords import check_password_rules, hash_password
from tracker.audit.operations import log, log_change
from tracker.audit.records import check_values
from tracker.core.db import db, utcnow
from tracker.core.errors import ValidationError
from tracker.core.writes import Changes, operation, populate

LABELS = {"username": "de gebruikersnaam", "name": "de naam", "email": "het e-mailadres"}
# Deliberately loose: one @, something before it, a dot in the domain, no spaces.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def normalise_email(email: str) -> str:
    return (email or "").strip().casefold()


def _check_email(email: str, user: User | None = None) -> str:
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise ValidationError(f'"{email}" is geen geldig e-mailadres; schrijf het als naam@domein.be.', "email")
    other = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if other is not None and other is not user:
        raise ValidationError(f"Het e-mailadres {email} is al in gebruik door {other.name}.", "email")
    return email


def _role(value: Role | str) -> Role:
    if isinstance(value, Role):
        return value
    try:
        return Role.from_label_or_value(value)
    except (KeyError, ValueError):
        allowed = ", ".join(f"{r.value} ({r.label})" for r in Role)
        raise ValidationError(f'Onbekende rol "{value}"; kies uit {allowed}.', "role") from None


@operation
def create_user(username: str, name: str, role: Role | str, actor: User | None = None, *,
                email: str | None = None, password: str | None = None) -> User:
    """Add a person with a role. Without an e-mail address and a password the account cannot log in."""
    username = (username or "").strip()
    name = (name or "").strip()
    if not username:
        raise ValidationError("Geef een gebruikersnaam of e-mailadres op.", "email")
    if not name:
        raise ValidationError("Geef de volledige naam op.", "name")
    check_values(User, {"username": username, "name": name}, LABELS)
    if db.session.scalar(select(User).where(User.username == username)) is not None:
        raise ValidationError(f'De gebruikersnaam "{username}" is al in gebruik; kies een andere.', "email")
    values = {"username": username, "name": name, "role": _role(role), "active": True}
    if email is not None:
        values["email"] = _check_email(email)
    if password is not None:
        check_password_rules(password, name, email or username)
    user = User(**values, password_hash=hash_password(password) if password is not None else None)
    db.session.add(user)
    log_change("accounts", "created", user, actor, f"gebruiker {username} ({user.role.label})", values=values)
    return user


@operation
def update_user(user: User, data: dict, actor: User | None = None) -> Changes:
    """Change a person's name, e-mail address or role."""
    data = dict(data)
    if "role" in data:
        data["role"] = _role(data["role"])
    if "name" in data:
        data["name"] = str(data["name"]).strip()
        if not data["name"]:
            raise ValidationError("Geef de volledige naam op.", "name")
    if "email" in data:
        data["email"] = _check_email(data["email"], user)
    check_values(User, data, LABELS)
    changes = populate(user, data, frozenset({"name", "role", "email"}))
    if changes:
        log_change("accounts", "updated", user, actor, f"gebruiker {user.username}", changes=changes)
    return changes


def _keep_an_admin(user: User, actor: User | None, what: str) -> None:
    """Refuse to leave the tracker without an active admin, or an admin without their own rights."""
    if user.role is not Role.ADMIN:
        return
    others = db.session.scalar(select(func.count()).select_from(User).where(
        User.role == Role.ADMIN, User.active.is_(True), User.id != user.id))
    if not others:
        raise ValidationError(f"{user.name} is de laatste actieve beheerder; maak eerst iemand anders "
                              f"beheerder voor u {what}.", "role")
    if actor is not None and actor.id == user.id:
        raise ValidationError(f"U kunt uw eigen beheerdersrechten niet {what}; vraag dat aan een andere "
                              "beheerder.", "role")


@operation
def set_role(user: User, role: Role | str, actor: User | None = None) -> Changes:
    """Give a person another role; the last active admin keeps theirs."""
    if _role(role) is not Role.ADMIN:
        _keep_an_admin(user, actor, "afneemt")
    return update_user(user, {"role": role}, actor)


@operation
def set_password(user: User, password: str, actor: User | None = None) -> None:
    """Give a person a new password; every session of theirs ends (a stolen cookie stops working)."""
    check_password_rules(password, user.name, user.email or user.username)
    user.password_hash = hash_password(password)
    end_sessions_of(user, "wachtwoord gewijzigd")
    log("accounts", "password_set", f"Wachtwoord van {user.username} ingesteld", actor, user)


@operation
def disable_user(user: User, actor: User | None = None) -> Changes:
    """Disable an account: it can no longer log in and its sessions end at once. Its history stays."""
    if actor is not None and actor.id == user.id:
        raise ValidationError("U kunt uw eigen account niet uitschakelen; vraag dat aan een andere beheerder.")
    _keep_an_admin(user, actor, "uitschakelt")
    changes = populate(user, {"active": False}, frozenset({"active"}))
    end_sessions_of(user, "account uitgeschakeld")
    if changes:
        log_change("accounts", "disabled", user, actor, f"gebruiker {user.username}", changes=changes)
    return changes


@operation
def enable_user(user: User, actor: User | None = None) -> Changes:
    changes = populate(user, {"active": True}, frozenset({"active"}))
    if changes:
        log_change("accounts", "enabled", user, actor, f"gebruiker {user.username}", changes=changes)
    return changes


# --------------------------------------------------------------------------- sessions and attempts


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@operation
def start_session(user: User, address: str) -> tuple[LoginSession, str]:
    """A new login session: a fresh random token (never the one of an earlier, anonymous cookie)."""
    token = secrets.token_urlsafe(32)
    login = LoginSession(token_hash=token_hash(token), user=user, address=address[:64])
    db.session.add(login)
    log("accounts", "logged_in", f"{user.name} meldde zich aan", user, user, {"address": address[:64]})
    return login, token


@operation
def end_session(login: LoginSession, reason: str) -> None:
    if login.ended_dt is None:
        login.ended_dt = utcnow()
        login.end_reason = reason[:40]
        if reason == "afgemeld":
            log("accounts", "logged_out", f"{login.user.name} meldde zich af", login.user, login.user)


@operation
def end_sessions_of(user: User, reason: str) -> None:
    """End every open session of ``user`` (a password change, a disabled account)."""
    db.session.flush()
    db.session.execute(
        update(LoginSession).where(LoginSession.user_id == user.id, LoginSession.ended_dt.is_(None))
        .values(ended_dt=utcnow(), end_reason=reason[:40]).execution_options(synchronize_session="fetch")
    )


@operation
def touch_session(login: LoginSession, now: datetime) -> None:
    login.last_seen_dt = now


@operation
def record_login_attempt(email: str, address: str, succeeded: bool, user: User | None = None) -> LoginAttempt:
    attempt = LoginAttempt(email=normalise_email(email)[:254], address=address[:64], succeeded=succeeded)
    db.session.add(attempt)
    if not succeeded:
        log("accounts", "login_failed", f"Mislukte aanmelding voor {attempt.email}", None, user,
            {"address": attempt.address})
    return attempt
