"""Refuses any change of a commitment's status that does not come through the workflow operations."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from tracker.commitments.models import Commitment
from tracker.core.errors import InvalidTransition

_ALLOWED_KEY = "workflow_status_writes"


@contextmanager
def status_write(session: Session, commitment: Commitment) -> Iterator[None]:
    """Let the workflow assign ``commitment.status`` inside this block, and nobody else."""
    allowed = session.info.setdefault(_ALLOWED_KEY, set())
    allowed.add(id(commitment))
    try:
        yield
        session.flush()
    finally:
        allowed.discard(id(commitment))


@event.listens_for(Session, "before_flush")
def _refuse_other_status_writes(session: Session, _context: Any, _instances: Any) -> None:
    allowed = session.info.get(_ALLOWED_KEY, set())
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, Commitment) or id(obj) in allowed:
            continue
        history = inspect(obj).attrs.status.history
        changed = history.has_changes() if obj in session.dirty else (
            obj.status is not None and str(obj.status) != "niet_beoordeeld")
        if changed:
            raise InvalidTransition(
                "Een status wijzigt alleen via een voorstel dat een beoordelaar goedkeurt; "
                "gebruik `tracker status propose` en `tracker status approve`."
            )
