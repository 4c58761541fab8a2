"""Logging in and out."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select

from tracker.accounts.auth import client_address, public, throttle_wait, wait_message
from tracker.accounts.forms import LoginForm, LogoutForm
from tracker.accounts.models import User
from tracker.accounts.operations import (
    end_session,
    normalise_email,
    record_login_attempt,
    start_session,
)
from tracker.accounts.passwords import verify_password
from tracker.core.db import db

FAILED = "Dit e-mailadres en wachtwoord horen niet bij een actief account. Controleer beide (hoofdletters tellen mee)."


def safe_next(target: str | None) -> str:
    """Only a path on this site (never ``//elsewhere`` or ``https://elsewhere``) may follow a login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("dashboard.home")


@public
def login():  # type: ignore[no-untyped-def]
    form = LoginForm(volgende=request.args.get("volgende", ""))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.volgende.data))
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 200 if request.method == "GET" else 422
    address = client_address()
    email = normalise_email(form.email.data)
    wait = throttle_wait(email, address)
    if wait is not None:
        form.password.errors = [wait_message(wait)]
        return (render_template("accounts/login.html", form=form), 429,
                {"Retry-After": str(int(wait.total_seconds()) + 1)})
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    ok = verify_password(user.password_hash if user is not None else None, form.password.data)
    if not ok or user is None or not user.can_log_in:
        record_login_attempt(email, address, False, user)
        form.password.errors = [FAILED]
        # 200, not 401: the failed attempt must be committed to count towards the throttle.
        return render_template("accounts/login.html", form=form, failed=True)
    record_login_attempt(email, address, True, user)
    if current_user.is_authenticated:
        end_session(g.login_session, "opnieuw aangemeld")
    # A new session identifier at login: nothing of the cookie from before survives.
    session.clear()
    _login, token = start_session(user, address)
    user.session_token = token
    login_user(user)
    flash(f"U bent aangemeld als {user.name} ({user.role.label}).", "info")
    return redirect(safe_next(form.volgende.data))


@public
def logout():  # type: ignore[no-untyped-def]
    form = LogoutForm()
    if request.method == "GET":
        return render_template("accounts/logout.html", form=form)
    if not form.validate_on_submit():
        return render_template("accounts/logout.html", form=form), 400
    # current_user loads lazily; asking for it finds this request's session row.
    if current_user.is_authenticated:
        end_session(g.login_session, "afgemeld")
    logout_user()
    session.clear()
    flash("U bent afgemeld.", "info")
    return redirect(url_for("dashboard.home"))
