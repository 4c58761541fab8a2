"""`tracker index rebuild|verify|sync`, and building the index during `tracker init`."""
from __future__ import annotations

import sys
import time
from typing import Any, Iterable, Iterator

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.core.db import db
from tracker.search.index import LockError, get_index
from tracker.search.outbox import apply_pending, rebuild
from tracker.search.settings import setting

index_group = AppGroup("index", help="De zoekindex beheren: opnieuw opbouwen, nakijken, bijwerken.")

_LABELS = {"commitment": "engagement", "decision": "beslissing", "project": "project",
           "programme": "programma", "organisation": "organisatie", "source": "bron"}


@index_group.command("rebuild")
@click.option("--timeout", type=float, default=None,
              help="Seconden wachten op een andere schrijver van de index.")
def rebuild_command(timeout: float | None) -> None:
    """Bouw de zoekindex volledig opnieuw op uit de database."""
    build_index(timeout)


def build_index(timeout: float | None = None) -> int:
    started = time.monotonic()
    timeout = setting("SEARCH_CLI_LOCK_TIMEOUT") if timeout is None else timeout
    try:
        count = rebuild(get_index(), db.engine, timeout, procs=setting("SEARCH_REBUILD_PROCS"),  # type: ignore[arg-type]
                        progress=_progress)
    except LockError:
        raise click.ClickException(
            f"De zoekindex is na {timeout:g} seconden nog in gebruik door een ander proces; probeer het later opnieuw.")
    elapsed = time.monotonic() - started
    click.echo(f"Zoekindex opgebouwd: {count} documenten in {elapsed:.1f} s.")
    return count


def _progress(docs: Iterable[Any], total: int) -> Iterator[Any]:
    with click.progressbar(docs, length=total, label="Zoekindex opbouwen", file=sys.stderr) as bar:
        yield from bar


@index_group.command("sync")
@click.option("--timeout", type=float, default=None,
              help="Seconden wachten op een andere schrijver van de index.")
def sync_command(timeout: float | None) -> None:
    """Verwerk de wachtende wijzigingen in de zoekindex."""
    idx = get_index()
    if not idx.usable():
        click.echo("Er is nog geen (bruikbare) zoekindex; die wordt nu volledig opgebouwd.")
        build_index(timeout)
        return
    timeout = setting("SEARCH_CLI_LOCK_TIMEOUT") if timeout is None else timeout
    result = apply_pending(idx, db.engine, timeout, batches=None)  # type: ignore[arg-type]
    click.echo(f"Zoekindex bijgewerkt: {result.updated} documenten vernieuwd, {result.deleted} verwijderd.")
    if result.locked:
        raise click.ClickException(
            f"De zoekindex bleef {timeout:g} seconden in gebruik door een ander proces; "
            f"{result.remaining} wijzigingen wachten nog. Probeer het later opnieuw.")


@index_group.command("verify")
@click.option("--limit", type=int, default=20, show_default=True, help="Toon hoogstens zoveel sleutels per soort probleem.")
def verify_command(limit: int) -> None:
    """Vergelijk de zoekindex met de database; exitcode 1 bij verschillen."""
    from tracker.search.checks import verify

    idx = get_index()
    if not idx.usable():
        click.echo("Er is geen zoekindex, of hij hoort bij een oudere versie van de tracker. "
                   "Bouw hem met `tracker index rebuild`.", err=True)
        sys.exit(1)
    report = verify(idx, db.engine)  # type: ignore[arg-type]
    click.echo(f"{report.records} records in de database, {report.indexed} documenten in de index.")
    problems = [
        ("Ontbreken in de index", report.missing),
        ("Staan in de index maar bestaan niet meer", report.orphaned),
        ("Verouderd in de index", report.stale),
        ("Dubbel in de index", report.duplicates),
    ]
    for title, keys in problems:
        if keys:
            click.echo(f"{title} ({len(keys)}):")
            for key in keys[:limit]:
                click.echo(f"  - {key}")
            if len(keys) > limit:
                click.echo(f"  … en nog {len(keys) - limit}")
    if report.outdated_schema:
        click.echo("De index is met een oudere versie van het schema gebouwd.")
    if report.pending:
        click.echo(f"{report.pending} wijzigingen wachten in de wachtrij; `tracker index sync` verwerkt ze.")
    if report.ok:
        click.echo("De zoekindex klopt met de database.")
        return
    click.echo("Herstel met `tracker index sync` (wachtrij) of `tracker index rebuild` (alles).", err=True)
    sys.exit(1)


def build_on_init() -> None:
    """During `tracker init`: build the index when it is missing, empty or outdated, else sync it."""
    idx = get_index(current_app._get_current_object())  # type: ignore[attr-defined]
    if not idx.usable() or idx.doc_count() == 0:
        build_index()
        return
    result = apply_pending(idx, db.engine, setting("SEARCH_CLI_LOCK_TIMEOUT"), batches=None)  # type: ignore[arg-type]
    click.echo(f"Zoekindex bijgewerkt: {result.updated} documenten vernieuwd, {result.deleted} verwijderd.")
