"""The write guard: every change of a record goes through its domain's operations.

An operation is a function decorated with ``@operation``. While one runs, the session may flush
new, changed and deleted records; outside any operation a flush that would write one is refused
with ``WriteOutsideOperation``. So a view, the CLI, an importer or the seed loader that assigns an
attribute or adds a record directly fails loudly in the tests, instead of writing without
validation or an audit entry.

Operations only flush: the caller (the request, a CLI command, an import) commits once.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager
from datetime import date, datetime
from enum import Enum
from typing import Any, Callable, Iterator, TypeVar

from blinker import Namespace
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

_DEPTH = "operation_depth"
_signals = Namespace()
# Sent with the session when the outermost operation has flushed (the audit log writes its entries),
# or failed (they are dropped: the caller rolls the transaction back).
operation_flushed = _signals.signal("operation-flushed")
operation_failed = _signals.signal("operation-failed")
_UNGUARDED = "unguarded_writes"
# Lookups an operation may keep for the length of the outermost operation (see in_batch).
BATCH_CACHE = "unique_values"

F = TypeVar("F", bound=Callable[..., Any])
Changes = dict[str, tuple[Any, Any]]


class WriteOutsideOperation(RuntimeError):
    """A record was added, changed or deleted without its domain's operation: a programming error."""


def operation(fn: F) -> F:
    """Mark ``fn`` as a write operation: its flushes may write records; it flushes before it returns."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from tracker.core.db import db

        session = db.session()
        depth = session.info.get(_DEPTH, 0)
        if depth == 0:
            # Changes made before the operation started would be flushed by it as if it made them.
            _refuse_pending(session, f"voor {fn.__module__}.{fn.__name__}")
        session.info[_DEPTH] = depth + 1
        try:
            result = fn(*args, **kwargs)
            if depth == 0:
                session.flush()
                operation_flushed.send(session)
            return result
        except BaseException:
            if depth == 0:
                operation_failed.send(session)
            raise
        finally:
            session.info[_DEPTH] = depth
            if depth == 0:
                session.info.pop(BATCH_CACHE, None)

    return wrapper  # type: ignore[return-value]


def in_batch(session: Session) -> bool:
    """Whether an operation runs inside another one (an import or seed load that writes many records)."""
    return session.info.get(_DEPTH, 0) > 1


@contextmanager
def unguarded(session: Session) -> Iterator[None]:
    """Allow direct writes in this block. Only for tests that probe what lies below the operations."""
    session.info[_UNGUARDED] = session.info.get(_UNGUARDED, 0) + 1
    try:
        yield
    finally:
        session.info[_UNGUARDED] -= 1


def _pending(session: Session) -> list[Any]:
    dirty = [obj for obj in session.dirty if session.is_modified(obj)]
    return list(session.new) + dirty + list(session.deleted)


def _refuse_pending(session: Session, where: str) -> None:
    if session.info.get(_UNGUARDED):
        return
    pending = _pending(session)
    if pending:
        names = ", ".join(sorted({type(obj).__name__ for obj in pending}))
        raise WriteOutsideOperation(
            f"Records changed outside their domain's operations ({names}), {where}. "
            "Call the operation (create_…, update_…, remove_…) instead of writing the model directly."
        )


@event.listens_for(Session, "before_flush")
def _refuse_writes_outside_operations(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(_DEPTH, 0) == 0:
        _refuse_pending(session, "bij een flush buiten een operatie")


# --------------------------------------------------------------------------- helpers for operations


def populate(obj: Any, data: dict[str, Any], allowed: set[str] | frozenset[str]) -> Changes:
    """Set the attributes in ``data`` that differ; return ``{name: (old, new)}`` of what changed.

    :param allowed: the attribute names an operation may set; any other name is a programming error.
    """
    unknown = set(data) - set(allowed)
    if unknown:
        raise TypeError(f"{type(obj).__name__}: cannot set {', '.join(sorted(unknown))}")
    changes: Changes = {}
    for name, new in data.items():
        old = getattr(obj, name)
        if old == new:
            continue
        setattr(obj, name, new)
        changes[name] = (old, new)
    return changes


def snapshot(obj: Any, names: Any = None) -> dict[str, Any]:
    """The column values of ``obj`` (or only ``names``), for an audit entry of a deleted record."""
    columns = [attr.key for attr in inspect(obj).mapper.column_attrs]
    return {name: getattr(obj, name) for name in (names or columns)}


def plain(value: Any) -> Any:
    """A JSON-ready form of a value: enums by value, dates in ISO form, records by their key."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple, set, frozenset)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    for attr in ("key", "username", "canonical", "name"):
        if isinstance(getattr(value, attr, None), str):
            return getattr(value, attr)
    return str(value)
