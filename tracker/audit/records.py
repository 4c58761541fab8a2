"""The shape every create, update and delete operation shares: validate, write, flush, audit.

The domain operations (``create_decision``, ``update_project``, ...) call these with their model,
their fields and a Dutch label; each changed record gets exactly one audit entry with its values
before and after.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, TypeVar

from sqlalchemy import Boolean, Date, Integer, String, inspect, select

from tracker.accounts.models import User
from tracker.audit.operations import log_change
from tracker.core.db import db
from tracker.core.errors import ValidationError
from tracker.core.writes import BATCH_CACHE, Changes, in_batch, populate, snapshot

T = TypeVar("T")


def check_values(model: type, data: dict[str, Any], labels: dict[str, str]) -> None:
    """Refuse values that the column cannot hold, with a Dutch message naming the field.

    :raise ValidationError: a text too long or holding a NUL character, a number that is no whole
        number, a date that is no date.
    """
    columns = inspect(model).columns
    for name, value in data.items():
        if name not in columns or value is None:
            continue
        label = labels.get(name, name)
        column_type = columns[name].type
        if isinstance(column_type, String) and isinstance(value, str):
            if "\x00" in value:
                raise ValidationError(f"{label.capitalize()} bevat een NUL-teken; verwijder het.")
            limit = column_type.length
            if limit is not None and len(value) > limit:
                raise ValidationError(f"{label.capitalize()} is te lang ({len(value):,} tekens; hoogstens "
                                      f"{limit:,}). Kort de tekst in.".replace(",", "."))
        elif isinstance(column_type, Boolean):
            if not isinstance(value, bool):
                raise ValidationError(f"{label.capitalize()} moet ja of nee zijn.")
        elif isinstance(column_type, Integer) and not isinstance(column_type, Boolean):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValidationError(f"{label.capitalize()} moet een geheel getal zijn, niet {value!r}.")
            if abs(value) >= 2**63:
                raise ValidationError(f"{label.capitalize()} is te groot.")
        elif isinstance(column_type, Date) and not isinstance(value, date):
            raise ValidationError(f"{label.capitalize()} moet een datum zijn (JJJJ-MM-DD).")


def check_unique(model: Any, column: str, value: Any, current: Any, message: str) -> None:
    """:raise ValidationError: with ``message`` when another record already has ``value`` in ``column``.

    Looks only at flushed rows, so that a batch of creates (an import) flushes once at its end; a
    duplicate within one batch still fails there, on the database's unique constraint.
    """
    if value is None or current is not None and getattr(current, column) == value:
        return
    session = db.session()
    if in_batch(session):
        # Many records in one operation (an import, the seed load): read the column once.
        cache = session.info.setdefault(BATCH_CACHE, {})
        values = cache.get((model, column))
        if values is None:
            with session.no_autoflush:
                values = cache[(model, column)] = set(session.scalars(select(getattr(model, column))))
        if value in values:
            raise ValidationError(message)
        values.add(value)
        return
    with session.no_autoflush:
        if session.scalar(select(model.id).where(getattr(model, column) == value).limit(1)) is not None:
            raise ValidationError(message)


def require(data: dict[str, Any], labels: dict[str, str], *names: str) -> None:
    """:raise ValidationError: when a required field is missing or empty."""
    for name in names:
        value = data.get(name)
        if value is None or isinstance(value, str) and not value.strip():
            raise ValidationError(f"Vul {labels.get(name, name)} in; dat veld is verplicht.")


def create_record(model: Callable[..., T], data: dict[str, Any], actor: User | None, *, realm: str,
                  label: Callable[[T], str]) -> T:
    """Add a record with ``data``, flush it (so it has its id) and audit its values."""
    obj = model(**data)
    db.session.add(obj)
    log_change(realm, "created", obj, actor, label(obj), values=data)
    return obj


def update_record(obj: Any, data: dict[str, Any], actor: User | None, *, realm: str, fields: frozenset[str],
                  label: str, extra: dict[str, Any] | None = None) -> Changes:
    """Set what differs, audit the changes (nothing when nothing changed) and return them."""
    changes = populate(obj, data, fields)
    if changes:
        log_change(realm, "updated", obj, actor, label, changes=changes, extra=extra)
    return changes


def delete_record(obj: Any, actor: User | None, *, realm: str, label: str) -> None:
    """Delete a record; its audit entry keeps the record as it was."""
    before = snapshot(obj)
    log_change(realm, "deleted", obj, actor, label, values=before)
    db.session.delete(obj)
