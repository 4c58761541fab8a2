"""`tracker user ...`: the people who maintain the tracker. Passwords come from a prompt or stdin, never an argument."""
from __future__ import annotations

import sys

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import func, or_, select

from tracker.core.cli import run_operation
from tracker.core.db import db

ROLES = click.Choice(["editor", "reviewer", "admin"])


def find_actor(identifier: str):  # type: ignore[no-untyped-def]
    """The user with this e-mail address or user name."""
    from tracker.accounts.models import User

    identifier = identifier.strip()
    user = db.session.scalar(select(User).where(or_(User.username == identifier,
                                                    func.lower(User.email) == identifier.casefold())))
    if user is None:
        raise click.ClickException(f'Gebruiker "{identifier}" bestaat niet. Maak hem aan met `tracker user create`.')
    return user


def read_password(prompt: str = "Wachtwoord") -> str:
    """From the terminal (asked twice, not echoed), or the first line of stdin when it is piped."""
    if sys.stdin.isatty():
        return click.prompt(prompt, hide_input=True, confirmation_prompt="Herhaal het wachtwoord")
    line = sys.stdin.readline()
    # Only the line ending is removed: the password is used exactly as typed.
    password = line[:-1] if line.endswith("\n") else line
    password = password[:-1] if password.endswith("\r") else password
    if not password:
        raise click.ClickException("Geen wachtwoord ontvangen op stdin; geef het op de eerste regel.")
    return password


@click.group("user", help="Gebruikers beheren (redacteurs, beoordelaars, beheerders).")
def user_group() -> None:
    pass


@user_group.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Volledige naam.")
@click.option("--role", type=ROLES, required=True, help="editor (redacteur), reviewer (beoordelaar) of admin (beheerder).")
@with_appcontext
def user_create(email: str, name: str, role: str) -> None:
    """Maak een account aan dat kan aanmelden; het wachtwoord wordt gevraagd (of van stdin gelezen)."""
    from tracker.accounts.operations import create_user, normalise_email

    password = read_password()
    run_operation(lambda: create_user(normalise_email(email), name, role, email=email, password=password))
    click.echo(f"Account {normalise_email(email)} aangemaakt ({role}). Aanmelden op /aanmelden.")


@user_group.command("disable")
@click.argument("email")
@with_appcontext
def user_disable(email: str) -> None:
    """Schakel een account uit: aanmelden kan niet meer en zijn sessies eindigen meteen."""
    from tracker.accounts.operations import disable_user

    user = find_actor(email)
    run_operation(lambda: disable_user(user))
    click.echo(f"Account {email} uitgeschakeld; zijn sessies zijn beëindigd.")


@user_group.command("enable")
@click.argument("email")
@with_appcontext
def user_enable(email: str) -> None:
    """Schakel een uitgeschakeld account opnieuw in."""
    from tracker.accounts.operations import enable_user

    user = find_actor(email)
    run_operation(lambda: enable_user(user))
    click.echo(f"Account {email} ingeschakeld.")


@user_group.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLES)
@with_appcontext
def user_set_role(email: str, role: str) -> None:
    """Geef een account een andere rol."""
    from tracker.accounts.operations import set_role

    user = find_actor(email)
    run_operation(lambda: set_role(user, role))
    click.echo(f"Account {email} heeft nu de rol {user.role.label}.")


@user_group.command("set-password")
@click.argument("email")
@with_appcontext
def user_set_password(email: str) -> None:
    """Stel een nieuw wachtwoord in (gevraagd of van stdin); alle sessies van het account eindigen."""
    from tracker.accounts.operations import set_password

    user = find_actor(email)
    password = read_password("Nieuw wachtwoord")
    run_operation(lambda: set_password(user, password))
    click.echo(f"Wachtwoord van {email} ingesteld; zijn sessies zijn beëindigd.")


@user_group.command("list")
@with_appcontext
def user_list() -> None:
    """Toon alle accounts met hun rol en of ze kunnen aanmelden."""
    from tracker.accounts.models import User

    for user in db.session.scalars(select(User).order_by(User.username)):
        state = "kan aanmelden" if user.can_log_in else ("uitgeschakeld" if not user.active else "kan niet aanmelden")
        click.echo(f"{user.email or user.username}\t{user.name}\t{user.role.value}\t{state}")


def register(app: Flask) -> None:
    app.cli.add_command(user_group)
