"""Refuses any write of what the workflow owns that does not come through the workflow operations.

The workflow owns a commitment's ``status`` and ``status_since`` and the history rows
(``StatusChange``). Inside ``status_write`` the workflow may set the two columns and add history
rows; a history row is never changed or deleted, by anyone (a correction is a new row).
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from tracker.commitments.models import Commitment
from tracker.core.errors import InvalidTransition
from tracker.workflow.models import StatusChange

_ALLOWED_KEY = "workflow_status_writes"
OWNED_COLUMNS = ("status", "status_since")
_REFUSAL = ("Een status wijzigt alleen via een voorstel dat een beoordelaar goedkeurt; "
            "gebruik `tracker status propose` en `tracker status approve`.")


@contextmanager
def status_write(session: Session, commitment: Commitment) -> Iterator[None]:
    """Let the workflow set ``commitment``'s status and add its history row inside this block, and nobody else."""
    allowed = session.info.setdefault(_ALLOWED_KEY, set())
    allowed.add(id(commitment))
    try:
        yield
        session.flush()
    finally:
        allowed.discard(id(commitment))


def _owned_changed(obj: Commitment, new: bool) -> bool:
    state = inspect(obj)
    if new:
        return (obj.status is not None and str(obj.status) != "niet_beoordeeld") or obj.status_since is not None
    return any(state.attrs[name].history.has_changes() for name in OWNED_COLUMNS)


def _columns_changed(obj: StatusChange) -> bool:
    # Only the row's own columns: linking the approved proposal to it touches a relationship, not the row.
    state = inspect(obj)
    return any(state.attrs[attr.key].history.has_changes() for attr in state.mapper.column_attrs)


@event.listens_for(Session, "before_flush")
def _refuse_other_status_writes(session: Session, _context: Any, _instances: Any) -> None:
    allowed = session.info.get(_ALLOWED_KEY, set())
    for obj in session.deleted:
        if isinstance(obj, StatusChange):
            raise InvalidTransition("De statusgeschiedenis wordt nooit gewist; een fout herstelt u met een correctie.")
    for obj in session.dirty:
        if isinstance(obj, StatusChange) and _columns_changed(obj):
            raise InvalidTransition("Een rij van de statusgeschiedenis wordt nooit gewijzigd; "
                                    "een fout herstelt u met een correctie (een nieuwe rij).")
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, StatusChange) and obj in session.new:
            if id(obj.commitment) not in allowed:
                raise InvalidTransition(_REFUSAL)
        elif isinstance(obj, Commitment) and id(obj) not in allowed and _owned_changed(obj, obj in session.new):
            raise InvalidTransition(_REFUSAL)
