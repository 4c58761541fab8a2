"""Writing audit entries: one per changed record, in the same transaction as the change."""
from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from tracker.accounts.models import User
from tracker.audit.models import LogEntry
from tracker.core.db import db, utcnow
from tracker.core.writes import Changes, operation, plain

PENDING_KEY = "audit_pending_entries"
VERBS = {"created": "aangemaakt", "updated": "bijgewerkt", "deleted": "verwijderd"}


def log(realm: str, kind: str, summary: str, actor: User | None, target: Any = None,
        data: dict[str, Any] | None = None) -> dict[str, Any]:
    """Add one audit entry to the current transaction.

    :param realm: the domain (``workflow``, ``decisions``, ``commitments`` ...).
    :param kind: what happened (``proposed``, ``approved``, ``created``, ``updated``, ``deleted`` ...).
    :param summary: one Dutch sentence for the audit page.
    :param actor: who did it; None for the system (the seed loader, an import without a user).
    :param target: the changed object (its table and id are stored).
    :param data: structured details, e.g. ``{"changes": {"title": [old, new]}}``.
    """
    entry = {
        "realm": realm, "kind": kind, "summary": summary[:500], "actor_id": actor.id if actor else None,
        "target_type": getattr(target, "__tablename__", "") if target is not None else "",
        "data": plain(data or {}), "logged_dt": utcnow(),
    }
    # Written by the operation after its flush, when a new target has its id: one insert for all
    # of an operation's entries instead of a flush each.
    pending_entries(db.session()).append((entry, target))
    return entry


def pending_entries(session: Any) -> list[tuple[dict[str, Any], Any]]:
    return session.info.setdefault(PENDING_KEY, [])


def write_pending_entries(session: Any) -> None:
    """Insert the audit entries the current operation logged (called by ``@operation`` after its flush)."""
    pending = session.info.pop(PENDING_KEY, None)
    if pending:
        rows = [{**entry, "target_id": getattr(target, "id", None)} for entry, target in pending]
        session.execute(insert(LogEntry), rows)


def log_change(realm: str, kind: str, target: Any, actor: User | None, label: str, *,
               changes: Changes | None = None, values: dict[str, Any] | None = None,
               extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The audit entry of one created, updated or deleted record, with before and after as data.

    :param kind: ``created`` (``values`` are the new record), ``updated`` (``changes`` maps each
        changed field to ``(old, new)``) or ``deleted`` (``values`` are the record as it was).
    :param label: how the summary names the record, e.g. ``beslissing vrb-123``.
    """
    data: dict[str, Any] = dict(extra or {})
    if kind == "created":
        data["after"] = values or {}
    elif kind == "deleted":
        data["before"] = values or {}
    else:
        data["before"] = {name: old for name, (old, _) in (changes or {}).items()}
        data["after"] = {name: new for name, (_, new) in (changes or {}).items()}
    who = actor.name if actor is not None else "Het systeem"
    return log(realm, kind, f"{who}: {label} {VERBS.get(kind, kind)}", actor, target, data)


@operation
def log_event(realm: str, kind: str, summary: str, actor: User | None, target: Any = None,
              data: dict[str, Any] | None = None) -> dict[str, Any]:
    """An audit entry of its own, for an event that is no change of one record (an import was run)."""
    return log(realm, kind, summary, actor, target, data)
