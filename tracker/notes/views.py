"""Paste a note: see what the tracker reads from it, then make the decision from a pre-filled form."""
from __future__ import annotations

from flask import render_template, request

from tracker.accounts.auth import requires
from tracker.accounts.models import Role
from tracker.notes.extract import read_note
from tracker.notes.forms import PasteForm


@requires(Role.EDITOR)
def paste():  # type: ignore[no-untyped-def]
    form = PasteForm()
    reading = None
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("notes/paste.html", form=form, reading=None, known={}), 422
        reading = read_note(form.text.data)
    return render_template("notes/paste.html", form=form, reading=reading, known=_known(reading))


def _known(reading) -> dict:  # type: ignore[no-untyped-def,type-arg]
    """The decisions that already carry the note's document numbers, in one query."""
    if reading is None or not reading.document_numbers:
        return {}
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from tracker.core.db import db
    from tracker.decisions.models import DecisionDocument

    numbers = [n for n, _ in reading.document_numbers]
    return {d.canonical: d.decision for d in db.session.scalars(
        select(DecisionDocument).where(DecisionDocument.canonical.in_(numbers))
        .options(selectinload(DecisionDocument.decision)))}
