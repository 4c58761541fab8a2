"""Editors confirm or dismiss suggestions, from a decision's or a commitment's side."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from tracker.accounts.auth import requires
from tracker.accounts.models import Role
from tracker.commitments.models import Commitment, Relation
from tracker.core.db import db
from tracker.core.errors import ValidationError
from tracker.decisions.models import Decision
from tracker.suggest.forms import ConfirmForm, DismissForm
from tracker.suggest.operations import confirm_suggestion, dismiss_suggestion
from tracker.suggest.ranker import path_of, suggest, suggest_decisions


def _back(default: str) -> str:
    target = request.form.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@requires(Role.EDITOR)
def for_decision(decision_id: int):  # type: ignore[no-untyped-def]
    decision = db.get_or_404(Decision, decision_id)
    return render_template("suggest/decision.html", decision=decision, suggestions=suggest(decision, 15),
                           path_of=path_of, confirm=ConfirmForm(), dismiss=DismissForm())


@requires(Role.EDITOR)
def for_commitment(commitment_id: int):  # type: ignore[no-untyped-def]
    commitment = db.get_or_404(Commitment, commitment_id)
    return render_template("suggest/commitment.html", commitment=commitment,
                           suggestions=suggest_decisions(commitment, 15), confirm=ConfirmForm(), dismiss=DismissForm())


def _pair(decision_id: int, commitment_id: int) -> tuple[Decision, Commitment]:
    return db.get_or_404(Decision, decision_id), db.get_or_404(Commitment, commitment_id)


def _refused(decision: Decision, form, message: str):  # type: ignore[no-untyped-def]
    return render_template("suggest/refused.html", decision=decision, form=form, message=message), 422


@requires(Role.EDITOR)
def confirm(decision_id: int, commitment_id: int):  # type: ignore[no-untyped-def]
    decision, commitment = _pair(decision_id, commitment_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _refused(decision, form, "De koppeling is niet gemaakt: " + " ".join(
            e for errors in form.errors.values() for e in errors))
    try:
        confirm_suggestion(decision, commitment, {"relation": Relation(form.relation.data),
                                                  "rationale": form.rationale.data}, current_user)
    except ValidationError as exc:
        db.session.rollback()
        return _refused(decision, form, str(exc))
    flash(f"Gekoppeld: {decision.title} → {commitment.label}.", "info")
    return redirect(_back(url_for("suggest.decision", decision_id=decision.id)))


@requires(Role.EDITOR)
def dismiss(decision_id: int, commitment_id: int):  # type: ignore[no-untyped-def]
    decision, commitment = _pair(decision_id, commitment_id)
    form = DismissForm()
    if not form.validate_on_submit():
        return _refused(decision, form, "De suggestie is niet afgewezen: " + " ".join(
            e for errors in form.errors.values() for e in errors))
    try:
        dismiss_suggestion(decision, commitment, form.note.data, current_user)
    except ValidationError as exc:
        db.session.rollback()
        return _refused(decision, form, str(exc))
    flash(f"Afgewezen: {commitment.label} wordt niet meer voorgesteld voor deze beslissing.", "info")
    return redirect(_back(url_for("suggest.decision", decision_id=decision.id)))
