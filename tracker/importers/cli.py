"""`tracker import ...` commands for the real data, and the `tracker init` step that loads it."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from tracker.core.db import db
from tracker.importers.real_data import (
    AGREEMENT_FILE, DECISIONS_FILE, ImportReport, import_agreement, import_decisions,
)


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


def run_import(importer: Callable[..., ImportReport], path: Path, *, progress_label: str | None = None) -> bool:
    """Run one import in its own transaction, print its report; False when the file had errors."""
    from tracker.core.cli import _after_commit

    bar = _ProgressBar(progress_label) if progress_label else None
    try:
        report = importer(db.session, path, **({"progress": bar} if bar else {}))
    except Exception:
        db.session.rollback()
        raise
    finally:
        if bar:
            bar.close()
    if not report.ok:
        db.session.rollback()
        click.echo(report.summary(), err=True)
        return False
    db.session.commit()
    _after_commit()
    click.echo(report.summary())
    return True


def import_folder(folder: Path) -> bool:
    """Import both real-data files from one folder (one transaction each); False when either failed."""
    ok = run_import(import_agreement, folder / AGREEMENT_FILE)
    return run_import(import_decisions, folder / DECISIONS_FILE, progress_label="Beslissingen importeren") and ok


def import_real_data(folder: Path) -> None:
    """Step of `tracker init`: import the real data when its folder exists (idempotent)."""
    if not folder.is_dir():
        click.echo(f"Geen echte data gevonden in {folder}; de import is overgeslagen.")
        return
    if not import_folder(folder):
        sys.exit(1)


@click.group("import", help="Echte data importeren: het regeerakkoord 2019-2024 en de beslissingen "
                            "van de Vlaamse Regering.")
def import_group() -> None:
    pass


@import_group.command("regeerakkoord")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def import_agreement_command(path: Path) -> None:
    """Importeer de secties van het regeerakkoord 2019-2024 (JSONL)."""
    if not run_import(import_agreement, path):
        sys.exit(1)


@import_group.command("beslissingen")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def import_decisions_command(path: Path) -> None:
    """Importeer de beslissingen van de Vlaamse Regering (JSONL)."""
    if not run_import(import_decisions, path, progress_label="Beslissingen importeren"):
        sys.exit(1)


@import_group.command("alles")
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def import_all_command(folder: Path | None) -> None:
    """Importeer beide bestanden uit een map (standaard ../shared/real-data)."""
    folder = folder or Path(current_app.config["REAL_DATA_DIR"])
    if not folder.is_dir():
        click.echo(f"Map {folder} bestaat niet; er is niets geïmporteerd.", err=True)
        sys.exit(1)
    if not import_folder(folder):
        sys.exit(1)


def register(app: Flask) -> None:
    """Add the import commands to the app's CLI and the real-data step to `tracker init`."""
    from tracker.core.cli import init_hooks

    app.cli.add_command(import_group)
    # create_app runs once per app (many times in tests); the hook list is module-global.
    if import_real_data not in init_hooks:
        init_hooks.append(import_real_data)
