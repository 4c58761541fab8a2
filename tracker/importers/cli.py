"""`tracker seed` and `tracker import ...`, and the `tracker init` step that loads the seed data and the real data."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect

from tracker.config import ROOT
from tracker.core.cli import committed, refusing_when_busy
from tracker.core.db import db
from tracker.core.signals import loading_initial_data
from tracker.importers.agreement import AGREEMENT_FILE, import_agreement
from tracker.importers.decisions import DECISIONS_FILE, import_decisions
from tracker.importers.jsonl import ImportReport
from tracker.importers.seeds import SeedError, load_seeds

SEEDS_DIR = ROOT / "seeds"


class _ProgressBar:
    """A click progress bar that opens on the first report, so a malformed file shows none."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


Import = tuple[Callable[..., ImportReport], Path, "str | None"]
"""One import: the importer, its file and the label of its progress bar (None: no bar)."""


def _run(importer: Callable[..., ImportReport], path: Path, progress_label: str | None) -> ImportReport:
    """Run one importer inside the open transaction; the caller commits or rolls back."""
    bar = _ProgressBar(progress_label) if progress_label else None
    try:
        with refusing_when_busy():
            return importer(db.session, path, **({"progress": bar} if bar else {}))
    finally:
        if bar:
            bar.close()


def run_import(importer: Callable[..., ImportReport], path: Path, *, progress_label: str | None = None,
               dry_run: bool = False, yes: bool = True) -> bool:
    """Run one import in its own transaction, print its report; False when the file had errors."""
    return run_imports([(importer, path, progress_label)], dry_run=dry_run, yes=yes)


def run_imports(imports: list[Import], *, dry_run: bool = False, yes: bool = True) -> bool:
    """Import files one transaction each, after a preview unless ``yes``; False when a file had errors.

    The preview runs the imports and rolls them back, so it shows exactly what they would do (the
    records created, the fields changed, old → new) and holds no lock while the user reads it. The
    confirmed run must do the same again: if the database changed in between, nothing is written.
    """
    previews: list[ImportReport] | None = None
    if dry_run or not yes:
        previews = []
        for importer, path, label in imports:
            report = _run(importer, path, label)
            db.session.rollback()
            previews.append(report)
            if not report.ok:
                click.echo(report.summary(), err=True)
                return False
            click.echo(report.summary())
            click.echo("\n".join(report.describe_changes()))
        if dry_run:
            click.echo("Proefdraai (--dry-run): er is niets gewijzigd.")
            return True
        if not any(report.changed for report in previews):
            return True
        if not click.confirm("Deze wijzigingen doorvoeren?", default=False):
            click.echo("Niet bevestigd: er is niets gewijzigd.")
            return True
    ok = True
    for n, (importer, path, label) in enumerate(imports):
        report = _run(importer, path, label)
        if not report.ok:
            db.session.rollback()
            click.echo(report.summary(), err=True)
            ok = False
            continue
        if previews is not None and report.fingerprint != previews[n].fingerprint:
            db.session.rollback()
            click.echo(f"{path.name}: de database is veranderd sinds het voorbeeld; er is niets van dit bestand "
                       "geïmporteerd. Voer de opdracht opnieuw uit en bekijk het nieuwe voorbeeld.", err=True)
            ok = False
            continue
        db.session.commit()
        committed()
        click.echo(report.summary() if previews is None else f"{path.name}: geïmporteerd.")
    return ok


def import_folder(folder: Path, *, dry_run: bool = False, yes: bool = True) -> bool:
    """Import both real-data files from one folder (one transaction each); False when either failed."""
    return run_imports([(import_agreement, folder / AGREEMENT_FILE, None),
                        (import_decisions, folder / DECISIONS_FILE, "Beslissingen importeren")],
                       dry_run=dry_run, yes=yes)


@click.command("seed")
@click.option("--path", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=SEEDS_DIR, show_default=True, help="Map met de seedbestanden.")
@with_appcontext
def seed_command(folder: Path) -> None:
    """Laad de seeddata (idempotent: een tweede keer wijzigt niets)."""
    run_seed(folder)


def run_seed(folder: Path) -> None:
    if "commitments" not in inspect(db.engine).get_table_names():
        raise click.ClickException("De database heeft nog geen tabellen: voer eerst `tracker db upgrade` uit.")
    try:
        with refusing_when_busy():
            report = load_seeds(db.session, folder)
            db.session.commit()
    except SeedError as exc:
        db.session.rollback()
        click.echo("De seeddata is niet geladen; er is niets gewijzigd:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    committed()
    click.echo(report.summary())


@loading_initial_data.connect
def load_initial_data(app: Flask, real_data: Path) -> None:
    """Step of `tracker init`: the seed data, then the real data when its folder exists (both idempotent)."""
    run_seed(SEEDS_DIR)
    import_real_data(real_data)


def import_real_data(folder: Path) -> None:
    """Import the real data when its folder exists (idempotent)."""
    if not folder.is_dir():
        click.echo(f"Geen echte data gevonden in {folder}; de import is overgeslagen.")
        return
    if not import_folder(folder):
        sys.exit(1)


@click.group("import", help="Echte data importeren: het regeerakkoord 2019-2024 en de beslissingen "
                            "van de Vlaamse Regering.")
def import_group() -> None:
    pass


def preview_options(fn: Any) -> Any:
    """--dry-run and --yes, as every import command has them."""
    fn = click.option("--yes", "-y", is_flag=True, help="Niet om bevestiging vragen (voor scripts).")(fn)
    return click.option("--dry-run", is_flag=True, help="Toon alleen het voorbeeld; wijzig niets.")(fn)


@import_group.command("regeerakkoord")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@preview_options
@with_appcontext
def import_agreement_command(path: Path, dry_run: bool, yes: bool) -> None:
    """Importeer de secties van het regeerakkoord 2019-2024 (JSONL), met een voorbeeld vooraf."""
    if not run_import(import_agreement, path, dry_run=dry_run, yes=yes):
        sys.exit(1)


@import_group.command("beslissingen")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@preview_options
@with_appcontext
def import_decisions_command(path: Path, dry_run: bool, yes: bool) -> None:
    """Importeer de beslissingen van de Vlaamse Regering (JSONL), met een voorbeeld vooraf."""
    if not run_import(import_decisions, path, progress_label="Beslissingen importeren", dry_run=dry_run, yes=yes):
        sys.exit(1)


@import_group.command("alles")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@preview_options
@with_appcontext
def import_all_command(folder: Path | None, dry_run: bool, yes: bool) -> None:
    """Importeer beide bestanden uit een map (standaard ../shared/real-data), met een voorbeeld vooraf."""
    folder = folder or Path(current_app.config["REAL_DATA_DIR"])
    if not folder.is_dir():
        click.echo(f"Map {folder} bestaat niet; er is niets geïmporteerd.", err=True)
        sys.exit(1)
    if not import_folder(folder, dry_run=dry_run, yes=yes):
        sys.exit(1)


def register(app: Flask) -> None:
    """Add the seed and import commands to the app's CLI."""
    app.cli.add_command(seed_command)
    app.cli.add_command(import_group)
