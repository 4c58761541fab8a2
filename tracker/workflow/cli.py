"""`tracker status propose|approve|reject`: the status workflow from the command line."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import select

from tracker.accounts.cli import find_actor
from tracker.core.cli import run_operation
from tracker.core.clock import today as brussels_today
from tracker.core.db import db


@click.group("status", help="Statuswijzigingen voorstellen en beoordelen.")
def status_group() -> None:
    pass


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
    actor = find_actor(username)
    proposal = run_operation(lambda: propose_status(
        commitment, to_status=new_status, effective_date=(effective.date() if effective else brussels_today()),
        motivation=motivation, actor=actor, seen_version=commitment.version, evidence=evidence,
        reason=why, corrects=corrected))
    click.echo(f"Voorstel {proposal.id} ingediend: {proposal.from_status.label} → {proposal.to_status.label}.")


def _review(proposal_id: int, username: str, operation):  # type: ignore[no-untyped-def]
    from tracker.workflow.models import StatusProposal

    proposal = db.session.get(StatusProposal, proposal_id)
    if proposal is None:
        raise click.ClickException(f"Voorstel {proposal_id} bestaat niet.")
    actor = find_actor(username)
    run_operation(lambda: operation(proposal, actor))
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




def register(app: Flask) -> None:
    app.cli.add_command(status_group)
