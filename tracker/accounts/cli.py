"""`tracker user ...`: the people who maintain the tracker."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from tracker.core.cli import run_operation
from tracker.core.db import db


def find_actor(username: str):  # type: ignore[no-untyped-def]
    from tracker.accounts.models import User

    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f'Gebruiker "{username}" bestaat niet. Maak hem aan met `tracker user add`.')
    return user


@click.group("user", help="Gebruikers beheren.")
def user_group() -> None:
    pass


@user_group.command("add")
@click.argument("username")
@click.option("--name", required=True, help="Volledige naam.")
@click.option("--role", type=click.Choice(["editor", "reviewer", "admin"]), required=True)
@with_appcontext
def user_add(username: str, name: str, role: str) -> None:
    """Maak een gebruiker aan (redacteur, beoordelaar of beheerder)."""
    from tracker.accounts.operations import create_user

    run_operation(lambda: create_user(username, name, role))
    click.echo(f"Gebruiker {username} aangemaakt.")




def register(app: Flask) -> None:
    app.cli.add_command(user_group)
