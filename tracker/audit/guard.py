"""The audit log is append-only: an entry, once written, is never changed or deleted.

Two listeners refuse it for everything that goes through a session: a flush that would update or
delete a ``LogEntry`` (``before_flush``), and an ``update(LogEntry)`` or ``delete(LogEntry)``
statement executed on a session (``do_orm_execute``). New entries are inserted as before.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session

from tracker.audit.models import LogEntry

_REFUSAL = "Het auditspoor wordt alleen aangevuld: een auditregel wordt nooit gewijzigd of gewist."


class AuditIsAppendOnly(RuntimeError):
    """Something tried to change or delete an audit entry: a programming error, never a user's."""


@event.listens_for(Session, "before_flush")
def _refuse_changed_entries(session: Session, _context: Any, _instances: Any) -> None:
    for obj in session.deleted:
        if isinstance(obj, LogEntry):
            raise AuditIsAppendOnly(_REFUSAL)
    for obj in session.dirty:
        if isinstance(obj, LogEntry) and session.is_modified(obj):
            raise AuditIsAppendOnly(_REFUSAL)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_changes(state: ORMExecuteState) -> None:
    if state.is_update or state.is_delete:
        # update(LogEntry) targets an annotated copy of the table; the name is the same.
        if getattr(getattr(state.statement, "table", None), "name", None) == LogEntry.__tablename__:
            raise AuditIsAppendOnly(_REFUSAL)
