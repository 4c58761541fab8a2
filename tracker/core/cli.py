"""The ``tracker`` command: database, seed data, import, index and workflow commands."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from tracker.config import ROOT
from tracker.core.db import db

SEEDS_DIR = ROOT / "seeds"


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


@click.command("seed")
@click.option("--path", "folder", type=click.Path(file_okay=False, path_type=Path),
              default=SEEDS_DIR, show_default=True, help="Map met de seedbestanden.")
@with_appcontext
def seed_command(folder: Path) -> None:
    """Laad de seeddata (idempotent: een tweede keer wijzigt niets)."""
    run_seed(folder)


def run_seed(folder: Path) -> None:
    from tracker.importers.seeds import SeedError, load_seeds

    from sqlalchemy import inspect

    if "commitments" not in inspect(db.engine).get_table_names():
        raise click.ClickException("De database heeft nog geen tabellen: voer eerst `tracker db upgrade` uit.")
    try:
        report = load_seeds(db.session, folder)
        db.session.commit()
    except SeedError as exc:
        db.session.rollback()
        click.echo("De seeddata is niet geladen; er is niets gewijzigd:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    _after_commit()
    click.echo(report.summary())


def _after_commit() -> None:
    from tracker.core.web import after_commit_hooks

    for hook in after_commit_hooks:
        hook(current_app._get_current_object())  # type: ignore[attr-defined]


@click.command("init")
@click.option("--real-data", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Map met de echte data (standaard ../shared/real-data als die bestaat).")
@with_appcontext
def init_command(real_data: Path | None) -> None:
    """Database bijwerken, seeddata laden, echte data importeren en de zoekindex bouwen."""
    upgrade_database()
    click.echo("Database bijgewerkt.")
    run_seed(SEEDS_DIR)
    folder = real_data or Path(current_app.config["REAL_DATA_DIR"])
    for hook in init_hooks:
        hook(folder)


# Later steps of `tracker init` (import of real data, index build) register here.
init_hooks: list = []


def _actor(username: str):  # type: ignore[no-untyped-def]
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

    _run_operation(lambda: create_user(username, name, role))
    click.echo(f"Gebruiker {username} aangemaakt.")


@click.group("status", help="Statuswijzigingen voorstellen en beoordelen.")
def status_group() -> None:
    pass


def _run_operation(fn):  # type: ignore[no-untyped-def]
    from tracker.core.errors import TrackerError

    try:
        result = fn()
        db.session.commit()
    except TrackerError as exc:
        db.session.rollback()
        changes = "".join(f"\n  - {line}" for line in getattr(exc, "changes", []))
        if changes:
            changes = "\nWat er intussen veranderde:" + changes
        raise click.ClickException(str(exc) + changes) from exc
    _after_commit()
    return result


@status_group.command("propose")
@click.argument("commitment_key")
@click.argument("status")
@click.option("--as", "username", required=True, help="Gebruikersnaam van de redacteur.")
@click.option("--motivation", default="", help="Waarom deze status.")
@click.option("--effective", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Ingangsdatum (JJJJ-MM-DD), standaard vandaag.")
@click.option("--decision", "decisions", multiple=True, help="Sleutel van een beslissing als bewijs.")
@click.option("--project", "projects", multiple=True, help="Sleutel van een project als bewijs.")
@click.option("--source", "sources", multiple=True, help="Sleutel van een bron als bewijs.")
@click.option("--passage", "passages", multiple=True,
              help="Passage die de status staaft: één per bewijsstuk, in dezelfde volgorde (beslissingen, "
                   "projecten, bronnen), of één voor alle.")
@click.option("--reason", default=None, help="Reden bij Niet gerealiseerd.")
@click.option("--corrects", type=int, default=None,
              help="Id van de statuswijziging die dit voorstel corrigeert (alleen de laatste).")
@with_appcontext
def status_propose(commitment_key: str, status: str, username: str, motivation: str,
                   effective, decisions, projects, sources, passages, reason: str | None,
                   corrects: int | None) -> None:  # type: ignore[no-untyped-def]
    """Stel een nieuwe status voor een engagement voor."""
    from tracker.commitments.models import Commitment
    from tracker.decisions.models import Decision
    from tracker.projects.models import Project
    from tracker.workflow.operations import EvidenceInput, propose_status
    from tracker.workflow.status import NotRealisedReason, Status

    commitment = db.session.scalar(select(Commitment).where(Commitment.key == commitment_key))
    if commitment is None:
        raise click.ClickException(f'Engagement "{commitment_key}" bestaat niet.')
    try:
        new_status = Status.from_label_or_value(status)
        why = NotRealisedReason.from_label_or_value(reason) if reason else None
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    from tracker.sources.models import Source
    from tracker.workflow.models import StatusChange

    targets = []
    for model, kind, keys in ((Decision, "decision", decisions), (Project, "project", projects),
                              (Source, "source", sources)):
        for key in keys:
            obj = db.session.scalar(select(model).where(model.key == key))
            if obj is None:
                raise click.ClickException(f'Bewijsstuk "{key}" bestaat niet.')
            targets.append((kind, obj.id))
    if len(passages) not in (0, 1, len(targets)):
        raise click.ClickException(f"Geef één --passage per bewijsstuk ({len(targets)}) of één voor alle.")
    texts = list(passages) if len(passages) == len(targets) else [passages[0] if passages else ""] * len(targets)
    evidence = [EvidenceInput(kind, obj_id, text) for (kind, obj_id), text in zip(targets, texts)]
    corrected = None
    if corrects is not None:
        corrected = db.session.get(StatusChange, corrects)
        if corrected is None:
            raise click.ClickException(f"Statuswijziging {corrects} bestaat niet.")
    actor = _actor(username)
    proposal = _run_operation(lambda: propose_status(
        commitment, to_status=new_status, effective_date=(effective.date() if effective else date.today()),
        motivation=motivation, actor=actor, seen_version=commitment.version, evidence=evidence,
        reason=why, corrects=corrected))
    click.echo(f"Voorstel {proposal.id} ingediend: {proposal.from_status.label} → {proposal.to_status.label}.")


def _review(proposal_id: int, username: str, operation):  # type: ignore[no-untyped-def]
    from tracker.workflow.models import StatusProposal

    proposal = db.session.get(StatusProposal, proposal_id)
    if proposal is None:
        raise click.ClickException(f"Voorstel {proposal_id} bestaat niet.")
    actor = _actor(username)
    _run_operation(lambda: operation(proposal, actor))
    return proposal


@status_group.command("approve")
@click.argument("proposal_id", type=int)
@click.option("--as", "username", required=True, help="Gebruikersnaam van de beoordelaar.")
@click.option("--note", default="", help="Opmerking bij de goedkeuring.")
@with_appcontext
def status_approve(proposal_id: int, username: str, note: str) -> None:
    """Keur een voorstel goed (niet uw eigen voorstel)."""
    from tracker.workflow.operations import approve_proposal

    proposal = _review(proposal_id, username, lambda p, actor: approve_proposal(p, actor, note))
    click.echo(f"Voorstel {proposal_id} goedgekeurd: status is nu {proposal.to_status.label}.")


@status_group.command("reject")
@click.argument("proposal_id", type=int)
@click.option("--as", "username", required=True, help="Gebruikersnaam van de beoordelaar.")
@click.option("--note", required=True, help="Waarom het voorstel wordt afgewezen.")
@with_appcontext
def status_reject(proposal_id: int, username: str, note: str) -> None:
    """Wijs een voorstel af, met de reden."""
    from tracker.workflow.operations import reject_proposal

    _review(proposal_id, username, lambda p, actor: reject_proposal(p, actor, note))
    click.echo(f"Voorstel {proposal_id} afgewezen.")


def register_cli(app: Flask) -> None:
    for command in (db_group, seed_command, init_command, user_group, status_group):
        app.cli.add_command(command)


def main() -> None:
    from tracker import create_app

    FlaskGroup(create_app=lambda: create_app(), help="Regeerakkoord-tracker.")(prog_name="tracker")
