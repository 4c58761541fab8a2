"""The forms of the status workflow: propose a status (or a correction), review a proposal."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import request
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length

from tracker.commitments.models import Commitment, Link
from tracker.core.clock import today as brussels_today
from tracker.core.db import db
from tracker.core.forms import choices
from tracker.workflow.models import ProposalState, StatusChange, StatusProposal
from tracker.workflow.operations import MIN_MOTIVATION, EvidenceInput
from tracker.workflow.status import ALLOWED_TRANSITIONS, NotRealisedReason, Status

NOTE_MAX = 4000
TEXT_MAX = 20_000


class DutchDateField(DateField):
    """A date field (YYYY-MM-DD, as browsers send it) whose refusal is in Dutch."""

    def process_formdata(self, valuelist):  # type: ignore[no-untyped-def]
        raw = " ".join(valuelist).strip() if valuelist else ""
        if not raw:
            self.data = None
            return
        try:
            self.data = date.fromisoformat(raw) if len(raw) == 10 else None
        except ValueError:
            self.data = None
        if self.data is None:
            raise ValueError(f'"{raw[:40]}" is geen geldige datum; gebruik de vorm JJJJ-MM-DD.')


class ProposeForm(FlaskForm):
    """A new status for a commitment, or a correction of its latest change."""

    version = HiddenField()
    to_status = SelectField("Nieuwe status", validate_choice=False,
                            description="Alleen de overgangen die de beoordelingsmethode toelaat.")
    effective_date = DutchDateField("Ingangsdatum", description="Sinds wanneer de status geldt; niet in de toekomst.")
    motivation = TextAreaField(
        "Motivering", validators=[Length(max=TEXT_MAX, message=f"Hoogstens {TEXT_MAX} tekens.")],
        description=f"Waarom deze status: voor de meeste statussen minstens {MIN_MOTIVATION} tekens.")
    reason = SelectField("Reden (alleen bij Niet gerealiseerd)", validate_choice=False,
                         choices=choices([("", "— geen —")] + [(r.value, r.label) for r in NotRealisedReason]))
    corrects = BooleanField("Dit voorstel corrigeert de laatste statuswijziging")
    # Errors of the evidence checkboxes (rendered by hand, one per link and the source).
    evidence = StringField("Bewijs")


class ReviewForm(FlaskForm):
    note = TextAreaField("Opmerking bij de beoordeling", validators=[
        Length(max=NOTE_MAX, message=f"Hoogstens {NOTE_MAX} tekens.")],
        description="Verplicht bij afwijzen: schrijf wat de redacteur moet verbeteren.")


@dataclass
class EvidenceOption:
    key: str  # "decision-12", the checkbox value
    kind: str
    id: int
    label: str
    checked: bool = False
    passage: str = ""


@dataclass
class ProposePanel:
    """Everything the propose panel shows for one commitment."""

    commitment: Commitment
    form: ProposeForm
    options: list[EvidenceOption] = field(default_factory=list)
    latest: StatusChange | None = None
    open_proposal: StatusProposal | None = None

    def chosen_evidence(self) -> list[EvidenceInput]:
        return [EvidenceInput(o.kind, o.id, o.passage) for o in self.options if o.checked]


def evidence_options(commitment: Commitment) -> list[EvidenceOption]:
    """The commitment's current links (decisions and projects) and its source, as evidence to choose."""
    links = db.session.scalars(
        select(Link).where(Link.commitment_id == commitment.id, Link.removed_dt.is_(None)).order_by(Link.id))
    options = []
    for link in links:
        if link.decision is not None:
            options.append(EvidenceOption(f"decision-{link.decision.id}", "decision", link.decision.id,
                                          f"Beslissing: {link.decision.title} ({link.relation.label})"))
        elif link.project is not None:
            options.append(EvidenceOption(f"project-{link.project.id}", "project", link.project.id,
                                          f"Project: {link.project.label} ({link.relation.label})"))
    source = commitment.source
    options.append(EvidenceOption(f"source-{source.id}", "source", source.id, f"Bron: {source.title}"))
    # One entry per target, even when a decision is linked twice.
    return list({o.key: o for o in options}.values())


def latest_change(commitment: Commitment) -> StatusChange | None:
    return db.session.scalar(
        select(StatusChange).where(StatusChange.commitment_id == commitment.id)
        .order_by(StatusChange.recorded_dt.desc(), StatusChange.id.desc()).limit(1))


def status_choices(commitment: Commitment, latest: StatusChange | None) -> list:
    """Statuses allowed from the current one, and for a correction those allowed from before the latest change."""
    allowed = set(ALLOWED_TRANSITIONS[commitment.status])
    if latest is not None:
        allowed |= ALLOWED_TRANSITIONS[latest.from_status]
    return choices([("", "— kies een status —")] + [(s.value, s.label) for s in Status if s in allowed])


def propose_panel(commitment: Commitment, form: ProposeForm | None = None) -> ProposePanel:
    """The panel for ``commitment``; with ``form``, the submitted values (and the chosen evidence)."""
    submitted = form is not None
    if form is None:
        form = ProposeForm(formdata=None, version=str(commitment.version), effective_date=brussels_today())
    latest = latest_change(commitment)
    form.to_status.choices = status_choices(commitment, latest)
    options = evidence_options(commitment)
    if submitted:
        chosen = set(request.form.getlist("bewijs"))
        for option in options:
            option.checked = option.key in chosen
            option.passage = request.form.get(f"passage-{option.key}", "")[:TEXT_MAX]
    open_proposal = db.session.scalar(select(StatusProposal).where(
        StatusProposal.commitment_id == commitment.id, StatusProposal.state == ProposalState.OPEN))
    return ProposePanel(commitment, form, options, latest, open_proposal)
