"""``tracker export FILE`` and ``tracker import dump FILE``."""
from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from flask.cli import with_appcontext

from tracker.core.cli import run_operation


# The dump's tables (English, as in the file format) in the glossary's Dutch words.
TABLE_WORDS = {"users": "accounts", "sources": "bronnen", "programmes": "programma's",
               "organisations": "entiteiten", "decisions": "beslissingen", "commitments": "engagementen",
               "projects": "projecten", "stated_totals": "vermelde totalen", "budget_lines": "budgetlijnen",
               "stated_claims": "beweringen", "links": "koppelingen", "status_changes": "statuswijzigingen"}


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {TABLE_WORDS.get(table, table)}" for table, n in counts.items())


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_command(file: Path) -> None:
    """Alle publieke gegevens als JSON-dump naar FILE schrijven (formaat: tracker/opendata/schemas)."""
    from tracker.opendata.dump import DUMP_VERSION, write_dump

    counts = write_dump(file)
    click.echo(f"Dump (formaatversie {DUMP_VERSION}) geschreven naar {file}: {_counts(counts)}.")


@click.command("dump")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Toon alleen wat er geladen zou worden; wijzig niets.")
@click.option("--yes", "-y", is_flag=True, help="Niet om bevestiging vragen (voor scripts).")
@with_appcontext
def import_dump_command(file: Path, dry_run: bool, yes: bool) -> None:
    """Een dump (tracker export) in een lege database laden, in één transactie, met een voorbeeld vooraf."""
    from tracker.opendata.dump import DumpError, import_data, read_dump

    try:
        data = read_dump(file)
        if dry_run or not yes:
            # The preview loads the dump and rolls it back: the counts are what the import would write.
            counts = _preview(lambda: import_data(data))
            click.echo(f"Voorbeeld: de dump uit {file} laadt {_counts(counts)}.")
            if dry_run:
                click.echo("Proefdraai (--dry-run): er is niets gewijzigd.")
                return
            if not click.confirm("Deze gegevens laden?", default=False):
                click.echo("Niet bevestigd: er is niets gewijzigd.")
                return
        counts = run_operation(lambda: import_data(data))
    except DumpError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Dump geladen uit {file}: {_counts(counts)}.")


def _preview(load):  # type: ignore[no-untyped-def]
    """Run ``load`` and roll it back; a refusal exits with its Dutch message, as the import itself does."""
    from tracker.core.cli import refusing_when_busy
    from tracker.core.db import db
    from tracker.core.errors import TrackerError

    try:
        with refusing_when_busy():
            return load()
    except TrackerError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        db.session.rollback()


def register(app: Flask) -> None:
    app.cli.add_command(export_command)
    group = app.cli.commands.get("import")
    if isinstance(group, click.Group):
        group.add_command(import_dump_command)
    else:  # without the importers' group, the command stands alone
        app.cli.add_command(click.Group("import", commands=[import_dump_command]))
