"""What every editor's form for a record shares: parsing the documents' spellings into plain data,
running the operation, and placing its refusal beside the right field (422) or showing a version
conflict with what changed meanwhile (409).

Used by the decision forms and by the programme, project, organisation, budget line and stated
total forms (tracker/projects/forms.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, TypeVar

from flask import flash, redirect, render_template
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import Field, HiddenField, SubmitField

from tracker.core.db import db
from tracker.core.errors import Conflict, ValidationError
from tracker.parsing import (
    AmountError,
    DateError,
    DocumentNumber,
    DocumentNumberError,
    format_dutch_date,
    format_euro,
    parse_amount,
    parse_document_numbers,
    parse_dutch_date,
)

T = TypeVar("T")


class EditForm(FlaskForm):
    """A record's form: the version it showed (compare-and-swap), "Nakijken" and "Opslaan"."""

    version = HiddenField()
    nakijken = SubmitField("Nakijken")
    opslaan = SubmitField("Opslaan")

    # Operation attribute name → form field name, for errors that name an attribute.
    FIELD_FOR: dict[str, str] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.read_as: dict[str, str] = {}
        self.conflict: Conflict | None = None
        self.changes: list[str] = []

    @classmethod
    def of(cls, record: Any) -> Any:
        """The form filled from a record, carrying the version it shows."""
        form = cls(obj=record)
        form.version.data = str(record.version)
        return form

    @property
    def checking(self) -> bool:
        """The editor asked how the form reads the input, without saving."""
        return bool(self.nakijken.data)

    def seen_version(self) -> int | None:
        value = (self.version.data or "").strip()
        return int(value) if value.isdigit() else None

    def editable_fields(self) -> list[Field]:
        skip = {"csrf_token", "version", "nakijken", "opslaan", *getattr(self, "SPECIAL", ())}
        return [f for f in self if f.name not in skip]

    def place(self, exc: ValidationError) -> None:
        """Put an operation's refusal beside its field, or above the form when it names none."""
        name = self.FIELD_FOR.get(exc.field or "", exc.field or "")
        target = getattr(self, name, None) if name else None
        if isinstance(target, Field) and name not in ("csrf_token", "version"):
            target.errors = [*target.errors, str(exc)] if isinstance(target.errors, list) else [str(exc)]
        else:
            self.form_errors.append(str(exc))

    @property
    def status(self) -> int:
        if self.conflict is not None:
            return 409
        return 422 if self.errors else 200


def fail(f: Field, message: str) -> None:
    f.errors = [*f.errors, message] if isinstance(f.errors, list) else [message]


def text(f: Field) -> str:
    return (f.data or "").strip()


def _read(form: EditForm, f: Field, parse: Callable[[str], Any], error: type[Exception],
          show: Callable[[Any], str]) -> Any:
    """Parse a field's text; on success note how it was read, on failure put the parser's Dutch message beside it."""
    raw = text(f)
    if not raw:
        return None
    try:
        value = parse(raw)
    except error as exc:
        fail(f, str(exc))
        return None
    form.read_as[f.name] = show(value)
    return value


def date_value(form: EditForm, f: Field) -> date | None:
    """A date in any of the spellings documents use (27 november 2020, 27/11/2020, 2020-11-27)."""
    return _read(form, f, parse_dutch_date, DateError, format_dutch_date)  # type: ignore[no-any-return]


def int_value(f: Field, what: str, low: int, high: int) -> int | None:
    raw = text(f).replace(".", "").replace(" ", "")
    if not raw:
        return None
    if not (raw.isascii() and raw.lstrip("-").isdigit()):
        fail(f, f'"{text(f)[:40]}" is geen geheel getal; geef {what} in cijfers.')
        return None
    value = int(raw)
    if not low <= value <= high:
        fail(f, f"{what[0].upper()}{what[1:]} moet tussen {low} en {high} liggen, niet {value}.")
        return None
    return value


def amount_value(form: EditForm, f: Field) -> tuple[int, str] | None:
    """An amount as the document prints it (39.500.000EUR, € 1.234.567) and that spelling."""
    value = _read(form, f, parse_amount, AmountError, format_euro)
    return None if value is None else (value, text(f))


def document_numbers(form: EditForm, f: Field) -> list[tuple[DocumentNumber, str]] | None:
    """Document numbers, one spelling per line (``VR 2021 1712 DOC 1462/1 en 2``), each with that line."""
    numbers: list[tuple[DocumentNumber, str]] = []
    for line in (f.data or "").splitlines():
        if not line.strip():
            continue
        try:
            numbers.extend((n, line.strip()) for n in parse_document_numbers(line))
        except DocumentNumberError as exc:
            fail(f, str(exc))
            return None
    unique = list({n.canonical: (n, printed) for n, printed in numbers}.values())
    if unique:
        form.read_as[f.name] = ", ".join(n.canonical for n, _ in unique)
    return unique


def printed_lines(documents: list[Any]) -> str:
    """A decision's numbers for its form: each printed spelling once (canonical when none was kept)."""
    return "\n".join(dict.fromkeys((d.printed or d.canonical) for d in documents))


def run(form: EditForm, action: Callable[[], T], record: Any = None, labels: dict[str, str] | None = None) -> T | None:
    """Run an operation for the form; on a refusal or conflict, undo its writes and tell the form.

    Returns the operation's result, or None when it refused (the form then carries the error and
    its status, 422 or 409, under which the request commits nothing).
    """
    try:
        return action()
    except ValidationError as exc:
        db.session.rollback()
        form.place(exc)
    except Conflict as exc:
        db.session.rollback()
        form.conflict = exc
        if record is not None:
            form.changes = changes_meanwhile(record, form.seen_version() or 0, labels or {})
            # Saving again now overwrites what the editor has just been shown, knowingly.
            form.version.data = str(record.version)
        form.changes = form.changes or exc.changes
    return None


def changes_meanwhile(record: Any, seen_version: int, labels: dict[str, str]) -> list[str]:
    """Who changed what in ``record`` after ``seen_version``, field by field, from its audit entries."""
    from tracker.audit.models import LogEntry
    from tracker.core.web import _dutch_date

    entries = db.session.scalars(
        select(LogEntry).where(LogEntry.target_type == record.__tablename__, LogEntry.target_id == record.id)
        .order_by(LogEntry.id))
    lines = []
    for entry in entries:
        data = entry.data or {}
        if data.get("version", 0) <= seen_version:
            continue
        who = entry.actor.name if entry.actor else "Het systeem"
        after = data.get("after", {})
        parts = [f"{labels.get(name, name)}: {_show(name, data.get('before', {}).get(name))} → {_show(name, value)}"
                 for name, value in after.items()]
        lines.append(f"{who} ({_dutch_date(entry.logged_dt)}): {'; '.join(parts) or entry.summary}")
    return lines


def _show(name: str, value: Any) -> str:
    if value in (None, "", []):
        return "(leeg)"
    if name == "amount" and isinstance(value, int):
        return format_euro(value)
    shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return f"“{shown[:120]}{'…' if len(shown) > 120 else ''}”"


@dataclass
class Page:
    """What the shared edit template shows around a form."""

    title: str
    action: str
    cancel: str
    intro: str = ""
    crumbs: list[tuple[str, str]] = field(default_factory=list)


def render_form(form: EditForm, page: Page, template: str = "projects/edit.html", **context: Any):  # type: ignore[no-untyped-def]
    return render_template(template, form=form, page=page, **context), form.status


def save_form(form: EditForm, page: Page, save: Callable[[dict[str, Any]], Any], done: Callable[[Any], str],
              record: Any = None, labels: dict[str, str] | None = None, template: str = "projects/edit.html",
              **context: Any):  # type: ignore[no-untyped-def]
    """The whole editing round: form → plain data → operation → redirect, or the form again (422/409)."""
    if form.validate_on_submit() and (data := form.to_data()) is not None and not form.checking:
        result = run(form, lambda: save(data), record, labels)
        if result is not None:
            flash("De wijzigingen zijn opgeslagen.", "info")
            return redirect(done(result))
    return render_form(form, page, template, **context)


@dataclass
class Deletion:
    """What a confirmation page shows: the record, what goes with it, and what stops its deletion."""

    title: str
    what: str
    action: str
    cancel: str
    goes_with: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    error: str = ""


def confirm_delete(deletion: Deletion, form: FlaskForm, delete: Callable[[], Any],
                   done: Callable[[], Any]):  # type: ignore[no-untyped-def]
    """GET: the confirmation page. POST: delete through the operation, or show its refusal (422)."""
    if form.validate_on_submit():
        try:
            delete()
        except ValidationError as exc:
            db.session.rollback()
            deletion.error = str(exc)
        else:
            return done()
    status = 422 if deletion.error or form.errors else 200
    return render_template("projects/delete.html", deletion=deletion, form=form), status
