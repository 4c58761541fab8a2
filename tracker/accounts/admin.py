"""The admins' users page: list accounts, create one, change a role, set a password, disable and enable.

Every change goes through tracker.accounts.operations with the admin as actor (and so into the audit log).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from tracker.accounts.auth import requires
from tracker.accounts.models import Role, User
from tracker.accounts.operations import (
    create_user,
    disable_user,
    enable_user,
    normalise_email,
    set_password,
    set_role,
)
from tracker.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from tracker.core.db import db
from tracker.core.errors import ValidationError
from tracker.core.forms import choices
from tracker.workbench.forms import attach_error


def role_choices() -> list:
    return choices((r.value, r.label) for r in Role)

_SAME = "De twee wachtwoorden verschillen; typ het nieuwe wachtwoord twee keer hetzelfde."
_PASSWORD_HELP = (f"Minstens {MIN_LENGTH} tekens, bijvoorbeeld een zin van enkele woorden; geen veelgebruikt "
                  "wachtwoord en niet de naam of het e-mailadres. Deel het met de persoon langs een veilige weg.")


def _password_fields():  # type: ignore[no-untyped-def]
    # No strip filter: the password is used exactly as typed.
    first = PasswordField("Wachtwoord", description=_PASSWORD_HELP, validators=[
        DataRequired("Vul een wachtwoord in."),
        Length(max=MAX_LENGTH, message=f"Een wachtwoord telt hoogstens {MAX_LENGTH} tekens.")],
        render_kw={"autocomplete": "new-password"})
    second = PasswordField("Herhaal het wachtwoord", validators=[
        DataRequired("Herhaal het wachtwoord."), EqualTo("password", message=_SAME)],
        render_kw={"autocomplete": "new-password"})
    return first, second


class CreateUserForm(FlaskForm):
    email = EmailField("E-mailadres", description="Hiermee meldt de persoon zich aan.", validators=[
        DataRequired("Vul het e-mailadres in."), Length(max=254, message="Dit e-mailadres is te lang.")])
    name = StringField("Volledige naam", validators=[
        DataRequired("Vul de volledige naam in."), Length(max=200, message="Hoogstens 200 tekens.")])
    role = SelectField("Rol", choices=role_choices(), validate_choice=False,
                       description="Redacteur: bewerken en voorstellen; beoordelaar: ook voorstellen goedkeuren; "
                                   "beheerder: ook gebruikers en het auditspoor.")
    password, password2 = _password_fields()


class RoleForm(FlaskForm):
    role = SelectField("Rol", choices=role_choices(), validate_choice=False)


class PasswordForm(FlaskForm):
    password, password2 = _password_fields()


class AccountForm(FlaskForm):
    """Only the CSRF token: disabling or enabling an account is a POST."""


def _actor() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


@requires(Role.ADMIN)
def users():  # type: ignore[no-untyped-def]
    """Every account, and a form to create one."""
    form = CreateUserForm()
    if form.is_submitted():
        if form.validate():
            try:
                user = create_user(normalise_email(form.email.data), form.name.data, form.role.data, _actor(),
                                   email=form.email.data, password=form.password.data)
            except ValidationError as exc:
                db.session.rollback()
                attach_error(form, exc)
            else:
                flash(f"Account {user.email} aangemaakt ({user.role.label}); het kan zich nu aanmelden.", "info")
                return redirect(url_for("accounts.users"))
        return _users_page(form), 422
    return _users_page(form)


def _users_page(form: CreateUserForm):  # type: ignore[no-untyped-def]
    accounts = list(db.session.scalars(select(User).order_by(User.name, User.username)))
    return render_template("accounts/users.html", accounts=accounts, form=form)


@requires(Role.ADMIN)
def user(user_id: int):  # type: ignore[no-untyped-def]
    """One account: its role, a new password, disable or enable."""
    return _user_page(db.get_or_404(User, user_id))


def _user_page(account: User, code: int = 200, **forms: FlaskForm):  # type: ignore[no-untyped-def]
    role_form = forms.get("role_form") or RoleForm(formdata=None, role=account.role.value)
    return render_template(
        "accounts/users_edit.html", account=account, role_form=role_form,
        password_form=forms.get("password_form") or PasswordForm(formdata=None),
        account_form=forms.get("account_form") or AccountForm(formdata=None)), code


def _change(account: User, form: FlaskForm, slot: str, change, done: str):  # type: ignore[no-untyped-def]
    """Run ``change()`` if the form is valid and flash ``done()``; the page again with the error beside its field (422) if not."""
    if form.validate_on_submit():
        try:
            change()
        except ValidationError as exc:
            db.session.rollback()
            attach_error(form, exc)
        else:
            flash(done(), "info")
            return redirect(url_for("accounts.user", user_id=account.id))
    return _user_page(db.session.get(User, account.id), 422, **{slot: form})


@requires(Role.ADMIN)
def user_role(user_id: int):  # type: ignore[no-untyped-def]
    account = db.get_or_404(User, user_id)
    form = RoleForm()
    return _change(account, form, "role_form", lambda: set_role(account, form.role.data, _actor()),
                   lambda: f"{account.name} heeft nu de rol {account.role.label}.")


@requires(Role.ADMIN)
def user_password(user_id: int):  # type: ignore[no-untyped-def]
    account = db.get_or_404(User, user_id)
    form = PasswordForm()
    return _change(account, form, "password_form", lambda: set_password(account, form.password.data, _actor()),
                   lambda: f"Nieuw wachtwoord ingesteld voor {account.name}; zijn of haar sessies zijn beëindigd.")


@requires(Role.ADMIN)
def user_disable(user_id: int):  # type: ignore[no-untyped-def]
    account = db.get_or_404(User, user_id)
    return _change(account, AccountForm(), "account_form", lambda: disable_user(account, _actor()),
                   lambda: f"Account van {account.name} uitgeschakeld; zijn of haar sessies zijn beëindigd.")


@requires(Role.ADMIN)
def user_enable(user_id: int):  # type: ignore[no-untyped-def]
    account = db.get_or_404(User, user_id)
    return _change(account, AccountForm(), "account_form", lambda: enable_user(account, _actor()),
                   lambda: f"Account van {account.name} opnieuw ingeschakeld.")
