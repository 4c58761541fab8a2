"""Writing audit entries."""
from __future__ import annotations

from typing import Any

from tracker.accounts.models import User
from tracker.audit.models import LogEntry
from tracker.core.db import db


def log(realm: str, kind: str, summary: str, actor: User | None, target: Any = None,
        data: dict[str, Any] | None = None) -> LogEntry:
    """Add one audit entry to the current transaction.

    :param realm: the domain (``workflow``, ``links``, ``seed``, ``import``).
    :param kind: what happened (``proposed``, ``approved``, ``created`` ...).
    :param summary: one Dutch sentence for the audit page.
    :param actor: who did it; None for the system.
    :param target: the changed object (its table and id are stored).
    :param data: structured details, e.g. ``{"field": [old, new]}``.
    """
    entry = LogEntry(
        realm=realm, kind=kind, summary=summary[:500], actor=actor,
        target_type=getattr(target, "__tablename__", "") if target is not None else "",
        target_id=getattr(target, "id", None), data=_jsonable(data or {}),
    )
    db.session.add(entry)
    return entry


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
