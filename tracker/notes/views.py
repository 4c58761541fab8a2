"""Paste a note: see what the tracker reads from it, then make the decision from a pre-filled form."""
from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from tracker.accounts.auth import requires
from tracker.accounts.models import Role
from tracker.notes.budget import OWNER_ARG, offers, parse_owner, passed_on
from tracker.notes.extract import read_note
from tracker.notes.forms import PasteForm


@requires(Role.EDITOR)
def paste():  # type: ignore[no-untyped-def]
    form = PasteForm()
    reading = None
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("notes/paste.html", form=form, reading=None, known={}, decision_form=None,
                                   budget=None), 422
        reading = read_note(form.text.data)
    return render_template("notes/paste.html", form=form, reading=reading, known=_known(reading),
                           decision_form=_decision_form(reading), budget=offers(reading))


@requires(Role.EDITOR)
def budget_line():  # type: ignore[no-untyped-def]
    """GET from the paste page's budget-line offers: on to the chosen owner's budget-line create page.

    ``eigenaar`` names the owner ("programme:3", "project:12", "organisation:5"); the pre-fill
    parameters (bedrag, jaar, omschrijving, soort, beslissing, bron) go along unchanged. Writes nothing.
    """
    from tracker.core.db import db
    from tracker.projects.views import OWNERS

    owner = parse_owner(request.args.get(OWNER_ARG, ""))
    if owner is None:
        abort(400, "Kies bij het bedrag een programma, project of entiteit uit de lijst en probeer opnieuw.")
    kind, owner_id = owner
    # Ids are 32-bit integers on PostgreSQL; a larger one cannot name a row.
    if owner_id > 2**31 - 1 or db.session.get(OWNERS[kind][0], owner_id) is None:
        abort(404, "Dat programma, project of die entiteit bestaat niet (meer). Plak de nota opnieuw.")
    return redirect(url_for(f"projects.{kind}_line_new", owner_id=owner_id, **passed_on(request.args)))


def _decision_form(reading):  # type: ignore[no-untyped-def]
    """The decision form, filled with what was read, posting to the decisions' own create page."""
    if reading is None:
        return None
    from tracker.decisions.forms import DecisionForm

    own = reading.own_number
    return DecisionForm(formdata=None, title=reading.subject, meeting_date=own[1].isoformat() if own else "",
                        documents=own[0] if own else "").offer()


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
