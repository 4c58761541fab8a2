"""`tracker index rebuild|verify|sync`, and building the index during `tracker init`."""
from __future__ import annotations

import sys
import time
from typing import Any, Iterable, Iterator

import click
from flask import current_app
from flask.cli import AppGroup

from tracker.core.db import db
from tracker.search.index import LockError, SearchIndex, get_index
from tracker.search.lock import lock_holder
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
    idx = get_index()
    try:
        count = rebuild(idx, db.engine, timeout, progress=_progress)  # type: ignore[arg-type]
    except LockError:
        raise click.ClickException(_locked(idx, timeout)) from None
    finally:
        _report_stale_lock(idx)
    elapsed = time.monotonic() - started
    click.echo(f"Zoekindex opgebouwd: {count} documenten in {elapsed:.1f} s.")
    return count


def _locked(idx: SearchIndex, timeout: float) -> str:
    holder = lock_holder(idx.path)
    who = f"proces {holder.pid} op {holder.host}" if holder else "een ander proces"
    return (f"De zoekindex is na {timeout:g} seconden nog in gebruik door {who}; "
            "probeer het later opnieuw.")


def _report_stale_lock(idx: SearchIndex) -> None:
    holder, idx.stale_holder = idx.stale_holder, None
    if holder is not None:
        click.echo(f"De zoekindex was nog vergrendeld door proces {holder.pid} op {holder.host}, dat niet "
                   "meer draait; die vergrendeling is opgeheven.", err=True)


def _exit_if_damaged(idx: SearchIndex) -> None:
    problems = idx.damage()
    if problems:
        click.echo("De zoekindex is beschadigd:", err=True)
        for problem in problems:
            click.echo(f"  - {problem}", err=True)
        click.echo("Bouw hem opnieuw op met `tracker index rebuild`; tot dan geeft zoeken een foutmelding "
                   "(503) en wachten wijzigingen in de wachtrij.", err=True)
        sys.exit(1)


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
    _exit_if_damaged(idx)
    timeout = setting("SEARCH_CLI_LOCK_TIMEOUT") if timeout is None else timeout
    try:
        result = apply_pending(idx, db.engine, timeout, batches=None,  # type: ignore[arg-type]
                               batch=setting("SEARCH_BATCH_SIZE"))
    finally:
        _report_stale_lock(idx)
    click.echo(f"Zoekindex bijgewerkt: {result.updated} documenten vernieuwd, {result.deleted} verwijderd.")
    if result.locked:
        raise click.ClickException(
            _locked(idx, timeout).removesuffix("; probeer het later opnieuw.")
            + f"; {result.remaining} wijzigingen wachten nog. Probeer het later opnieuw.")


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
    _exit_if_damaged(idx)
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
    problems = idx.damage()
    if problems:
        click.echo(f"De zoekindex is beschadigd ({'; '.join(problems)}); die wordt nu volledig opgebouwd.")
        build_index()
        return
    result = apply_pending(idx, db.engine, setting("SEARCH_CLI_LOCK_TIMEOUT"), batches=None,  # type: ignore[arg-type]
                           batch=setting("SEARCH_BATCH_SIZE"))
    _report_stale_lock(idx)
    click.echo(f"Zoekindex bijgewerkt: {result.updated} documenten vernieuwd, {result.deleted} verwijderd.")
