"""`tracker import besluiten FILE` and `tracker import vr --van --tot`: the preview, then (confirmed) the import."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from tracker.accounts.models import User
from tracker.core.cli import run_operation
from tracker.core.clock import today as brussels_today
from tracker.core.db import db
from tracker.importers.cli import _ProgressBar
from tracker.intake.apply import apply_plan
from tracker.intake.formats import FileRefused, ReadResult, check_size, read_file
from tracker.intake.plan import Plan, make_plan
from tracker.intake.vr_api import Fetcher, VrApiError, last_pulled, read_items

PROGRESS_FROM = 500
"""Imports of at least this many rows show a progress bar."""


def _actor(email: str | None) -> User | None:
    if not email:
        return None
    user = db.session.scalar(select(User).where(User.email == email.strip().lower()))
    if user is None:
        raise click.ClickException(f"Er is geen account met e-mailadres {email}; er is niets geïmporteerd.")
    return user


def read_path(path: Path) -> ReadResult:
    """Read a decisions file from disk; a refused file exits with its Dutch message."""
    try:
        check_size(path.stat().st_size)
        return read_file(path.read_bytes(), path.name)
    except FileNotFoundError:
        raise click.ClickException(f"Bestand {path} bestaat niet; er is niets geïmporteerd.") from None
    except FileRefused as exc:
        raise click.ClickException(f"{path.name} is niet geïmporteerd: {exc}") from None


def _bar(label: str, size: int) -> Any:
    return _ProgressBar(label) if size >= PROGRESS_FROM else None


def preview_and_apply(read: ReadResult, name: str, *, dry_run: bool, yes: bool, actor: User | None) -> Plan:
    """Print the preview; unless it is a dry run, ask (or with --yes not) and import in one transaction."""
    bar = _bar("Voorbeeld berekenen", len(read.rows))
    try:
        plan = make_plan(db.session, read, name, progress=bar)
    finally:
        if bar:
            bar.close()
    click.echo("\n".join(plan.describe()))
    if dry_run:
        click.echo("Proefdraai (--dry-run): er is niets gewijzigd.")
        return plan
    if not plan.changes_anything:
        click.echo("Niets te wijzigen: alles stond al in de database.")
        return plan
    if not yes and not click.confirm("Deze wijzigingen doorvoeren?", default=False):
        click.echo("Niet bevestigd: er is niets gewijzigd.")
        db.session.rollback()
        return plan
    bar = _bar("Importeren", plan.counts["create"] + plan.counts["update"])
    try:
        counts = run_operation(lambda: apply_plan(db.session, plan, actor, progress=bar))
    finally:
        if bar:
            bar.close()
    click.echo(f"Geïmporteerd: {counts['create']} nieuw, {counts['update']} bijgewerkt"
               + (f"; {counts['refused']} geweigerde rijen overgeslagen." if counts["refused"] else "."))
    return plan


_options = [
    click.option("--dry-run", is_flag=True, help="Toon alleen het voorbeeld; wijzig niets."),
    click.option("--yes", "-y", is_flag=True, help="Niet om bevestiging vragen (voor scripts)."),
    click.option("--as", "actor_email", metavar="EMAIL", help="Het account dat de import uitvoert (auditspoor)."),
]


def _with_options(fn: Any) -> Any:
    for option in reversed(_options):
        fn = option(fn)
    return fn


@click.command("besluiten")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@_with_options
@with_appcontext
def import_file_command(path: Path, dry_run: bool, yes: bool, actor_email: str | None) -> None:
    """Importeer beslissingen uit een CSV-, JSON- of JSONL-bestand, met een voorbeeld vooraf."""
    actor = _actor(actor_email)
    preview_and_apply(read_path(path), path.name, dry_run=dry_run, yes=yes, actor=actor)


@click.command("vr")
@click.option("--van", "start", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Eerste vergaderdatum (JJJJ-MM-DD); standaard de laatste opgehaalde.")
@click.option("--tot", "end", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Laatste vergaderdatum (JJJJ-MM-DD, inbegrepen); standaard vandaag.")
@_with_options
@with_appcontext
def import_vr_command(start: Any, end: Any, dry_run: bool, yes: bool, actor_email: str | None) -> None:
    """Haal beslissingen op van de publieke beslissingensite (met een voorbeeld vooraf)."""
    actor = _actor(actor_email)
    first = start.date() if start else last_pulled(db.session)
    if first is None:
        raise click.ClickException("Er is nog nooit opgehaald: geef --van JJJJ-MM-DD.")
    last = end.date() if end else brussels_today()
    if last < first:
        raise click.ClickException(f"--tot ({last}) ligt voor --van ({first}).")
    read = fetch_vr(first, last)
    preview_and_apply(read, f"beslissingensite {first.isoformat()} tot {last.isoformat()}",
                      dry_run=dry_run, yes=yes, actor=actor)


def fetcher() -> Fetcher:
    config = current_app.config
    return Fetcher(config["TRACKER_VR_API_BASE"], config.get("INTAKE_VR_OPENER"),
                   sleep=config.get("INTAKE_VR_SLEEP") or __import__("time").sleep)


def fetch_vr(first: date, last: date) -> ReadResult:
    try:
        return read_items(fetcher().fetch(first, last))
    except VrApiError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
