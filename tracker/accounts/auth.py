"""Who is asking: login sessions checked against the database on every request, roles, throttling.

Flask-Login keeps the current user; what it stores in the signed cookie is the token of a row in
``login_sessions``, not the user's id. So logging out, disabling the account or changing the
password ends the session for every server process at once: a replayed old cookie finds an ended
row and is anonymous. Idle timeout and absolute lifetime are checked against that row too.
"""
from __future__ import annotations

import functools
import math
from datetime import datetime, timedelta
from typing import Any, Callable, TypeVar

from flask import Flask, abort, current_app, g, redirect, request, url_for
from flask_login import AnonymousUserMixin, LoginManager, current_user
from sqlalchemy import func, select
from werkzeug.exceptions import Forbidden

from tracker.accounts.models import LoginAttempt, LoginSession, Role, User
from tracker.core.db import db, utcnow

F = TypeVar("F", bound=Callable[..., Any])

login_manager = LoginManager()
# Touching a session's last_seen at most once a minute keeps reads from writing on every request.
TOUCH_INTERVAL = timedelta(seconds=60)


class Anonymous(AnonymousUserMixin):
    """The public: reads everything public, changes nothing."""

    name = "bezoeker"
    can_review = False

    def has_role(self, role: Role) -> bool:
        return False


login_manager.anonymous_user = Anonymous


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Meld u aan om deze pagina te openen."
    login_manager.login_message_category = "info"
    # Our own session rows do the work of Flask-Login's IP/agent hash (and survive a changing address).
    login_manager.session_protection = None

    # Globals, not a context processor: imported macros see them too (editor controls in macros.html).
    app.jinja_env.globals.update(current_user=current_user, Role=Role)


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The user of the session whose token the cookie holds, if that session is still open and valid."""
    from tracker.accounts.operations import end_session, token_hash, touch_session

    if not token:
        return None
    login = db.session.scalar(select(LoginSession).where(LoginSession.token_hash == token_hash(token)))
    if login is None or login.ended_dt is not None:
        return None
    user = login.user
    now = utcnow()
    config = current_app.config
    idle = timedelta(minutes=float(config["SESSION_IDLE_MINUTES"]))
    lifetime = timedelta(hours=float(config["SESSION_LIFETIME_HOURS"]))
    if not user.can_log_in:
        end_session(login, "account uitgeschakeld")
        return None
    if now - login.last_seen_dt > idle:
        end_session(login, "inactief")
        return None
    if now - login.created_dt > lifetime:
        end_session(login, "verlopen")
        return None
    if now - login.last_seen_dt > TOUCH_INTERVAL:
        touch_session(login, now)
    user.session_token = token
    g.login_session = login
    return user


# --------------------------------------------------------------------------- roles per route


def public(view: F) -> F:
    """Mark a view as open to everyone (the public reads without an account)."""
    view.access = None  # type: ignore[attr-defined]
    return view


def requires(role: Role) -> Callable[[F], F]:
    """Only users with ``role`` or a higher one; the anonymous are sent to the login page."""

    def decorate(view: F) -> F:
        @functools.wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if request.method == "GET":
                    return redirect(url_for("accounts.login", volgende=request.full_path.rstrip("?")))
                abort(401)
            if not current_user.has_role(role):
                raise Forbidden(f"Hiervoor hebt u de rol {role.label} nodig; u bent "
                                f"{current_user.role.label}. Vraag een beheerder om meer rechten.")
            return view(*args, **kwargs)

        wrapper.access = role  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def check_every_view_declares_access(app: Flask) -> None:
    """Refuse to start when a view says neither ``@public`` nor ``@requires(role)``: no route can forget."""
    missing = sorted(name for name, view in app.view_functions.items()
                     if name != "static" and not hasattr(view, "access"))
    if missing:
        raise RuntimeError(f"Views without @public or @requires(role): {', '.join(missing)}")


# --------------------------------------------------------------------------- throttling


def client_address() -> str:
    return (request.remote_addr or "onbekend")[:64]


def throttle_wait(email: str, address: str, now: datetime | None = None) -> timedelta | None:
    """How long this account or address must wait before the next attempt, or None.

    Failures count within LOGIN_THROTTLE_MINUTES; for the account only those since its last
    successful login. Counted in the database, so every server process sees the same count.
    """
    from tracker.accounts.operations import normalise_email

    config = current_app.config
    now = now or utcnow()
    window = timedelta(minutes=float(config["LOGIN_THROTTLE_MINUTES"]))
    since = now - window
    email = normalise_email(email)
    last_success = db.session.scalar(select(func.max(LoginAttempt.attempted_dt)).where(
        LoginAttempt.email == email, LoginAttempt.succeeded.is_(True)))
    account_since = max(since, last_success) if last_success else since
    waits = []
    for column, value, start, limit in (
        (LoginAttempt.email, email, account_since, int(config["LOGIN_MAX_FAILURES_PER_ACCOUNT"])),
        (LoginAttempt.address, address, since, int(config["LOGIN_MAX_FAILURES_PER_ADDRESS"])),
    ):
        failures = list(db.session.scalars(
            select(LoginAttempt.attempted_dt).where(column == value, LoginAttempt.succeeded.is_(False),
                                                    LoginAttempt.attempted_dt > start)
            .order_by(LoginAttempt.attempted_dt.desc()).limit(limit)))
        if len(failures) >= limit:
            # Free again when the oldest of the last ``limit`` failures leaves the window.
            waits.append(failures[-1] + window - now)
    wait = max(waits, default=None)
    return wait if wait is not None and wait > timedelta(0) else None


def wait_message(wait: timedelta, now: datetime | None = None) -> str:
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return (f"Te veel mislukte aanmeldpogingen. Probeer het opnieuw over {minutes} "
            f"{'minuut' if minutes == 1 else 'minuten'}, of vraag een beheerder om uw wachtwoord te herstellen.")
