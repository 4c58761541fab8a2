"""The workflow's pages: the status scale and status changes (public); proposing and reviewing (editors)."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import BadRequest

from tracker.accounts.auth import public, requires
from tracker.accounts.models import Role
from tracker.commitments.models import Commitment
from tracker.commitments.queries import changes_between
from tracker.core.clock import today as brussels_today
from tracker.core.dates import date_arg
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, ValidationError
from tracker.core.pagination import page_arg, paginate
from tracker.workbench.forms import attach_error
from tracker.workflow.forms import ProposeForm, ReviewForm, propose_panel
from tracker.workflow.models import Evidence, ProposalState, StatusProposal
from tracker.workflow.operations import (
    approve_proposal,
    propose_status,
    reject_proposal,
)
from tracker.workflow.status import (
    ALLOWED_TRANSITIONS,
    STATUS_INFO,
    NotRealisedReason,
    Status,
)

_LOAD = (selectinload(StatusProposal.commitment), selectinload(StatusProposal.author),
         selectinload(StatusProposal.reviewer),
         selectinload(StatusProposal.evidence).selectinload(Evidence.decision),
         selectinload(StatusProposal.evidence).selectinload(Evidence.project),
         selectinload(StatusProposal.evidence).selectinload(Evidence.source))


def proposals_query(*conditions):  # type: ignore[no-untyped-def]
    """Proposals with what their pages show loaded, newest first."""
    return (select(StatusProposal).where(*conditions).options(*_LOAD)
            .order_by(StatusProposal.created_dt.desc(), StatusProposal.id.desc()))


@requires(Role.EDITOR)
def proposal_list():  # type: ignore[no-untyped-def]
    """Open proposals (reviewers approve or reject them here) and the reviewed ones; ?van=mij: only one's own."""
    return _proposals_page()


def _proposals_page(failed: StatusProposal | None = None, failed_form: ReviewForm | None = None,
                    code: int = 200):  # type: ignore[no-untyped-def]
    mine = request.args.get("van", "") == "mij"
    own = (StatusProposal.author_id == current_user.id,) if mine else ()
    open_proposals = list(db.session.scalars(
        proposals_query(StatusProposal.state == ProposalState.OPEN, *own)
        .order_by(None).order_by(StatusProposal.created_dt, StatusProposal.id)))
    forms = {p.id: ReviewForm(formdata=None) for p in open_proposals}
    if failed is not None and failed_form is not None:
        forms[failed.id] = failed_form
    reviewed = paginate(proposals_query(StatusProposal.state != ProposalState.OPEN, *own),
                        page_arg(), current_app.config["PER_PAGE"])
    return render_template("workflow/proposals.html", open_proposals=open_proposals, forms=forms,
                           page=reviewed, mine=mine), code


@requires(Role.EDITOR)
def propose(commitment_id: int):  # type: ignore[no-untyped-def]
    """Propose a new status for a commitment, or a correction of its latest change."""
    commitment = db.get_or_404(Commitment, commitment_id)
    if request.method == "GET":
        return render_template("workflow/propose.html", commitment=commitment, panel=propose_panel(commitment))
    form = ProposeForm()
    panel = propose_panel(commitment, form)
    if not form.validate_on_submit() or not _check_propose_form(form, panel.latest is not None):
        return _propose_again(commitment, panel)
    try:
        seen_version = int(form.version.data or "")
    except ValueError:
        raise BadRequest("Het formulier mist de versie van het engagement. Laad de pagina opnieuw.") from None
    try:
        proposal = propose_status(
            commitment, to_status=Status(form.to_status.data), effective_date=form.effective_date.data,
            motivation=form.motivation.data or "", actor=current_user._get_current_object(),
            seen_version=seen_version, evidence=panel.chosen_evidence(),
            reason=NotRealisedReason(form.reason.data) if form.reason.data else None,
            corrects=panel.latest if form.corrects.data else None)
    except (ValidationError, InvalidTransition) as exc:
        db.session.rollback()
        panel = propose_panel(commitment, form)
        attach_error(form, exc, "to_status" if isinstance(exc, InvalidTransition) else None)
        return _propose_again(commitment, panel)
    flash(f"Uw voorstel ({proposal.from_status.label} → {proposal.to_status.label}) wacht nu op een "
          "beoordelaar; het wordt publiek zodra die het goedkeurt.", "info")
    return redirect(url_for("commitments.display", commitment_id=commitment.id))


def _check_propose_form(form: ProposeForm, has_history: bool) -> bool:
    """The form's own checks (a known status, a date, a known reason) before the workflow's rules."""
    ok = True
    if form.corrects.data and not has_history:
        form.corrects.errors = ["Dit engagement heeft nog geen statuswijziging om te corrigeren."]
        ok = False
    if form.to_status.data not in {s.value for s in Status}:
        form.to_status.errors = [*form.to_status.errors, "Kies de nieuwe status."]
        ok = False
    if form.effective_date.data is None and not form.effective_date.errors:
        form.effective_date.errors = ["Vul de ingangsdatum in (JJJJ-MM-DD)."]
        ok = False
    if form.reason.data and form.reason.data not in {r.value for r in NotRealisedReason}:
        form.reason.errors = [*form.reason.errors, "Kies een reden uit de lijst."]
        ok = False
    return ok


def _propose_again(commitment: Commitment, panel):  # type: ignore[no-untyped-def]
    """The form once more with its errors: 422, so that the request writes nothing."""
    return render_template("workflow/propose.html", commitment=commitment, panel=panel), 422


@requires(Role.REVIEWER)
def approve(proposal_id: int):  # type: ignore[no-untyped-def]
    return _review(proposal_id, approve=True)


@requires(Role.REVIEWER)
def reject(proposal_id: int):  # type: ignore[no-untyped-def]
    return _review(proposal_id, approve=False)


def _review(proposal_id: int, approve: bool):  # type: ignore[no-untyped-def]
    proposal = db.get_or_404(StatusProposal, proposal_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _proposals_page(proposal, form, 422)
    actor = current_user._get_current_object()
    try:
        if approve:
            approve_proposal(proposal, actor, form.note.data or "")
        else:
            reject_proposal(proposal, actor, form.note.data or "")
    except (ValidationError, InvalidTransition) as exc:
        db.session.rollback()
        attach_error(form, exc, "note")
        return _proposals_page(db.session.get(StatusProposal, proposal_id), form, 422)
    label = proposal.commitment.label
    if approve:
        flash(f"Goedgekeurd: {label} heeft nu de status {proposal.to_status.label}.", "info")
    else:
        flash(f"Afgewezen: het voorstel voor {label} blijft bewaard met uw opmerking.", "info")
    return redirect(url_for("workflow.proposals"))


@public
def method():  # type: ignore[no-untyped-def]
    """The status scale and how roll-ups are computed."""
    return render_template("workflow/method.html", statuses=list(Status), info=STATUS_INFO,
                           reasons=list(NotRealisedReason), transitions=ALLOWED_TRANSITIONS)


@public
def changes():  # type: ignore[no-untyped-def]
    """Which commitments changed status between two dates, from what, to what and why."""
    start = date_arg("van", "begindatum")
    end = date_arg("tot", "einddatum") or brussels_today()
    rows = None
    if start is not None:
        if start > end:
            raise BadRequest("De begindatum ligt na de einddatum; draai ze om.")
        rows = changes_between(start, end)
    return render_template("workflow/changes.html", start=start, end=end, rows=rows)
