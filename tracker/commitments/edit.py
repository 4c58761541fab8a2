"""Editing a source's tree in the browser: change a node, add a part, move a node, delete an unused one."""
from __future__ import annotations

from flask import flash, render_template
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from tracker.accounts.auth import requires
from tracker.accounts.models import Role
from tracker.commitments.editing import back_to, detailed_changes, seen_version, submit
from tracker.commitments.forms import (
    TOP,
    CommitmentForm,
    DeleteForm,
    MoveForm,
    NewCommitmentForm,
)
from tracker.commitments.models import Commitment, Level
from tracker.commitments.operations import (
    LABELS,
    create_commitment,
    delete_commitment,
    dependants,
    move_commitment,
    update_commitment,
)
from tracker.commitments.queries import ancestors
from tracker.core.db import db
from tracker.sources.models import Source


@requires(Role.EDITOR)
def commitment_edit(commitment_id: int):  # type: ignore[no-untyped-def]
    """Change a node's title, text, number, level, policy domain, responsible and citation."""
    commitment = db.get_or_404(Commitment, commitment_id)
    form = CommitmentForm(obj=commitment)

    def show(conflict=None):  # type: ignore[no-untyped-def]
        return render_template("commitments/form.html", form=form, commitment=commitment, parent=None,
                               source=commitment.source, ancestors=ancestors(commitment), conflict=conflict)

    return submit(form, lambda: update_commitment(commitment, form.values(), current_user,  # type: ignore[arg-type]
                                                  seen_version=seen_version(form)),
                  show, lambda _: back_to("commitments.display", commitment_id=commitment.id),
                  fresh_version=lambda: commitment.version,
                  details=lambda seen: detailed_changes(commitment, seen, LABELS))


def _next_position(source: Source, parent: Commitment | None) -> int:
    where = Commitment.parent_id.is_(None) if parent is None else Commitment.parent_id == parent.id
    last = db.session.scalar(select(func.max(Commitment.position)).where(Commitment.source_id == source.id, where))
    return (last or 0) + 1


def _new_node(source: Source, parent: Commitment | None):  # type: ignore[no-untyped-def]
    position = _next_position(source, parent)
    prefix = parent.key if parent is not None else source.key
    level = Level.ENGAGEMENT if parent is not None else Level.HOOFDSTUK
    form = NewCommitmentForm(key=f"{prefix}/{position}", level=level.value)

    def show(conflict=None):  # type: ignore[no-untyped-def]
        return render_template("commitments/form.html", form=form, commitment=None, parent=parent, source=source,
                               ancestors=(ancestors(parent) + [parent]) if parent is not None else [],
                               conflict=conflict)

    def write() -> Commitment:
        return create_commitment({**form.values(), "source": source, "parent": parent, "position": position},
                                 current_user)  # type: ignore[arg-type]

    return submit(form, write, show, lambda node: back_to("commitments.display", commitment_id=node.id))


@requires(Role.EDITOR)
def commitment_new_child(commitment_id: int):  # type: ignore[no-untyped-def]
    """Add a part under a node, at the end of its parts."""
    parent = db.get_or_404(Commitment, commitment_id)
    return _new_node(parent.source, parent)


@requires(Role.EDITOR)
def commitment_new_root(source_id: int):  # type: ignore[no-untyped-def]
    """Add a node at the top of a source's tree."""
    return _new_node(db.get_or_404(Source, source_id), None)


def parent_choices(commitment: Commitment) -> list[SelectChoice]:
    """Every node of the commitment's source, in tree order and indented, below "the top of the source"."""
    nodes = list(db.session.scalars(select(Commitment).where(Commitment.source_id == commitment.source_id)
                                    .order_by(Commitment.position, Commitment.id)))
    children: dict[int | None, list[Commitment]] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    result = [SelectChoice(TOP, f"(bovenaan in {commitment.source.title})")]

    def walk(parent_id: int | None, depth: int) -> None:
        for node in children.get(parent_id, []):
            result.append(SelectChoice(str(node.id), "\u2003" * depth + node.label[:120]))
            walk(node.id, depth + 1)

    walk(None, 0)
    return result


@requires(Role.EDITOR)
def commitment_move(commitment_id: int):  # type: ignore[no-untyped-def]
    """Hang a node under another node of the same source, at a chosen place among its new siblings."""
    commitment = db.get_or_404(Commitment, commitment_id)
    form = MoveForm(parent=str(commitment.parent_id or TOP), position=commitment.position,
                    version=str(commitment.version))
    form.parent.choices = parent_choices(commitment)

    def show(conflict=None):  # type: ignore[no-untyped-def]
        return render_template("commitments/move.html", form=form, commitment=commitment,
                               ancestors=ancestors(commitment), conflict=conflict)

    def write():  # type: ignore[no-untyped-def]
        return move_commitment(commitment, _chosen_parent(form), form.position.data, current_user,  # type: ignore[arg-type]
                               seen_version=seen_version(form))

    return submit(form, write, show, lambda _: back_to("commitments.display", commitment_id=commitment.id),
                  fresh_version=lambda: commitment.version,
                  details=lambda seen: detailed_changes(commitment, seen, LABELS))


def _chosen_parent(form: MoveForm) -> Commitment | None:
    from tracker.core.errors import ValidationError

    raw = (form.parent.data or "").strip()
    if raw == TOP:
        return None
    parent = db.session.get(Commitment, int(raw)) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    if parent is None:
        raise ValidationError("Kies een bovenliggende kop uit de lijst.", "parent")
    return parent


@requires(Role.EDITOR)
def commitment_delete(commitment_id: int):  # type: ignore[no-untyped-def]
    """Confirm and delete a node nothing points to; otherwise say what points to it."""
    commitment = db.get_or_404(Commitment, commitment_id)
    form = DeleteForm()
    found = dependants(commitment)

    def show(conflict=None):  # type: ignore[no-untyped-def]
        return render_template("commitments/delete.html", form=form, commitment=commitment, found=found,
                               ancestors=ancestors(commitment))

    parent, source = commitment.parent, commitment.source

    def done(_):  # type: ignore[no-untyped-def]
        flash(f"Engagement {commitment.label} is verwijderd; het auditspoor bewaart het zoals het was.", "info")
        if parent is not None:
            return back_to("commitments.display", commitment_id=parent.id)
        return back_to("sources.display", source_id=source.id)

    return submit(form, lambda: delete_commitment(commitment, current_user), show, done)  # type: ignore[arg-type]
