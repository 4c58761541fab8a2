"""The shape every create, update and delete operation shares: validate, write, flush, audit.

The domain operations (``create_decision``, ``update_project``, ...) call these with their model,
their fields and a Dutch label; each changed record gets exactly one audit entry with its values
before and after.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Callable, TypeVar

from sqlalchemy import Boolean, Date, Integer, String, inspect, select, update
from sqlalchemy.exc import OperationalError

from tracker.accounts.models import User
from tracker.audit.operations import log_change
from tracker.core.db import db
from tracker.core.errors import Conflict, ValidationError
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
                raise ValidationError(f"{label.capitalize()} bevat een NUL-teken; verwijder het.", name)
            limit = column_type.length
            if limit is not None and len(value) > limit:
                raise ValidationError(f"{label.capitalize()} is te lang ({len(value):,} tekens; hoogstens "
                                      f"{limit:,}). Kort de tekst in.".replace(",", "."), name)
        elif isinstance(column_type, Boolean):
            if not isinstance(value, bool):
                raise ValidationError(f"{label.capitalize()} moet ja of nee zijn.", name)
        elif isinstance(column_type, Integer) and not isinstance(column_type, Boolean):
            if not isinstance(value, int) or isinstance(value, bool):
                raise ValidationError(f"{label.capitalize()} moet een geheel getal zijn, niet {value!r}.", name)
            if abs(value) >= 2**63:
                raise ValidationError(f"{label.capitalize()} is te groot.", name)
        elif isinstance(column_type, Date) and not isinstance(value, date):
            raise ValidationError(f"{label.capitalize()} moet een datum zijn (JJJJ-MM-DD).", name)


def check_unique(model: Any, column: str, value: Any, current: Any, message: str, field: str | None = None) -> None:
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
            raise ValidationError(message, field or column)
        values.add(value)
        return
    with session.no_autoflush:
        if session.scalar(select(model.id).where(getattr(model, column) == value).limit(1)) is not None:
            raise ValidationError(message, field or column)


def require(data: dict[str, Any], labels: dict[str, str], *names: str) -> None:
    """:raise ValidationError: when a required field is missing or empty."""
    for name in names:
        value = data.get(name)
        if value is None or isinstance(value, str) and not value.strip():
            raise ValidationError(f"Vul {labels.get(name, name)} in; dat veld is verplicht.", name)


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


def compare_and_swap(obj: Any, seen_version: int, noun: str) -> int:
    """Bump ``obj``'s version from ``seen_version``; raise Conflict when someone changed it first.

    An editor's form carries the version it showed; a change made by someone else meanwhile is
    never overwritten silently. Runs inside the calling operation's transaction: the row stays
    locked until it commits. ``noun`` names the record in the message ("deze beslissing").
    """
    model = type(obj)
    try:
        result = db.session.execute(
            update(model)
            .where(model.id == obj.id, model.version == seen_version)
            .values(version=seen_version + 1)
            .execution_options(synchronize_session=False)
        )
    except OperationalError as exc:
        # Another transaction writes the same row at this moment (SQLite reports a lock,
        # PostgreSQL a serialization failure): the same answer as a lost compare-and-swap.
        raise Conflict(f"Iemand anders wijzigt {noun} op hetzelfde moment. Laad de pagina opnieuw en "
                       "probeer nog eens.") from exc
    if result.rowcount != 1:
        db.session.refresh(obj)
        raise version_conflict(obj, seen_version, noun)
    # The row now holds the new version; load it instead of writing it a second time.
    db.session.expire(obj, ["version"])
    return seen_version + 1


def version_conflict(obj: Any, seen_version: int, noun: str) -> Conflict:
    return Conflict(f"{noun[0].upper()}{noun[1:]} is intussen gewijzigd door iemand anders. Bekijk de "
                    "wijzigingen hieronder en probeer opnieuw.", changes=changes_since(obj, seen_version))


def changes_since(obj: Any, version: int) -> list[str]:
    """The audit summaries of every change to ``obj`` after ``version`` (entries record the version)."""
    from tracker.audit.models import LogEntry

    entries = db.session.scalars(
        select(LogEntry).where(LogEntry.target_type == obj.__tablename__, LogEntry.target_id == obj.id)
        .order_by(LogEntry.id)
    )
    return [e.summary for e in entries if (e.data or {}).get("version", 0) > version]


def versioned_update(obj: Any, data: dict[str, Any], actor: User | None, *, realm: str, fields: frozenset[str],
                     label: str, noun: str, seen_version: int | None) -> Changes:
    """Set what differs, with a compare-and-swap on the record's version when the editor's form gave one.

    :param seen_version: the version the editor's form showed; a record changed since then is refused
        with ``Conflict`` listing what changed meanwhile (never a silent overwrite).
    """
    if seen_version is not None and obj.version != seen_version:
        raise version_conflict(obj, seen_version, noun)
    changes = {name: value for name, value in data.items() if getattr(obj, name) != value}
    if not changes:
        return {}
    version = compare_and_swap(obj, obj.version if seen_version is None else seen_version, noun)
    return update_record(obj, changes, actor, realm=realm, fields=fields, label=label,
                         extra={"version": version})
