"""The ``tracker`` command's core: the schema (``tracker db``) and ``tracker init``; each domain adds its own commands."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import click
from flask import Flask, current_app
from flask.cli import (
    FlaskGroup,
    ScriptInfo,
    pass_script_info,
    show_server_banner,
    with_appcontext,
)
from flask.helpers import get_debug_flag
from sqlalchemy.exc import OperationalError

from tracker.config import ROOT
from tracker.core.db import BUSY_MESSAGE, db, is_busy
from tracker.core.signals import (
    initial_data_loaded,
    loading_initial_data,
    transaction_committed,
)


def alembic_config():  # type: ignore[no-untyped-def]
    from alembic.config import Config as AlembicConfig

    cfg = AlembicConfig(str(ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(ROOT / "migrations"))
    cfg.set_main_option("sqlalchemy.url", current_app.config["DATABASE_URL"].replace("%", "%%"))
    cfg.attributes["configure_logger"] = False
    return cfg


def upgrade_database(revision: str = "head") -> None:
    from alembic import command

    url = current_app.config["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(), revision)


@click.group("db", help="Databaseschema beheren (Alembic).")
def db_group() -> None:
    pass


@db_group.command("upgrade")
@click.argument("revision", default="head")
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Breng het databaseschema naar de laatste versie."""
    upgrade_database(revision)
    click.echo(f"Database bijgewerkt tot {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Zet het databaseschema terug naar een eerdere versie."""
    from alembic import command

    command.downgrade(alembic_config(), revision)
    click.echo(f"Database teruggezet tot {revision}.")


@click.command("init")
@click.option("--real-data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Map met de echte data (standaard ../shared/real-data als die bestaat).")
@with_appcontext
def init_command(real_data: Path | None) -> None:
    """Database bijwerken, seeddata laden, echte data importeren en de zoekindex bouwen."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    upgrade_database()
    click.echo("Database bijgewerkt.")
    loading_initial_data.send(app, real_data=real_data or Path(app.config["REAL_DATA_DIR"]))
    initial_data_loaded.send(app)


def committed() -> None:
    """Tell the domains that a CLI command committed (the search index then applies the whole queue)."""
    transaction_committed.send(current_app._get_current_object(), in_request=False)  # type: ignore[attr-defined]


@contextmanager
def refusing_when_busy() -> Iterator[None]:
    """Roll back on any error; when another writer held the database, exit with a Dutch message."""
    try:
        yield
    except OperationalError as exc:
        db.session.rollback()
        if not is_busy(exc):
            raise
        raise click.ClickException(BUSY_MESSAGE) from exc
    except BaseException:
        db.session.rollback()
        raise


def run_operation(fn):  # type: ignore[no-untyped-def]
    """Run one write in its own transaction; a refused write rolls back and exits with its Dutch message."""
    from tracker.core.errors import TrackerError

    try:
        with refusing_when_busy():
            result = fn()
            db.session.commit()
    except TrackerError as exc:
        db.session.rollback()
        changes = "".join(f"\n  - {line}" for line in getattr(exc, "changes", []))
        if changes:
            changes = "\nWat er intussen veranderde:" + changes
        raise click.ClickException(str(exc) + changes) from exc
    committed()
    return result


def register_cli(app: Flask) -> None:
    for command in (db_group, init_command):
        app.cli.add_command(command)


@click.command("run", help="De ontwikkelserver starten (niet voor productie).")
@click.option("--host", "-h", default="127.0.0.1", help="Het adres om op te luisteren.")
@click.option("--port", "-p", default=5000, help="De poort om op te luisteren.")
@click.option("--reload/--no-reload", default=None, help="Herstarten bij gewijzigde bestanden (standaard met --debug).")
@click.option("--debugger/--no-debugger", default=None, help="De debugger (standaard met --debug).")
@click.option("--with-threads/--without-threads", default=True, help="Aanvragen in threads afhandelen.")
@pass_script_info
def run_command(info: ScriptInfo, host: str, port: int, reload: bool | None, debugger: bool | None,
                with_threads: bool) -> None:
    """Flask's ``run``, with a request handler that sends no server versions (tracker.core.web)."""
    from werkzeug.serving import run_simple

    from tracker.core.web import DevRequestHandler

    debug = get_debug_flag()
    show_server_banner(debug, info.app_import_path)
    run_simple(host, port, info.load_app(), use_reloader=debug if reload is None else reload,
               use_debugger=debug if debugger is None else debugger, threaded=with_threads,
               request_handler=DevRequestHandler)


def main() -> None:
    from tracker import create_app

    group = FlaskGroup(create_app=lambda: create_app(), help="Regeerakkoord-tracker.")
    group.add_command(run_command)  # replaces Flask's own ``run``
    group(prog_name="tracker")
