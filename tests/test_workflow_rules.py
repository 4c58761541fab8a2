"""Rules of the status workflow that mutation testing (mutmut, see [tool.mutmut]) found untested.

Each test goes through the operations (propose, approve, reject) and names the rule it holds.
"""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import commitment
from tracker.accounts.operations import create_user
from tracker.audit.models import LogEntry
from tracker.commitments.queries import statuses_on
from tracker.core.clock import today as brussels_today
from tracker.core.errors import Conflict, InvalidTransition, ValidationError
from tracker.decisions.models import Decision
from tracker.projects.models import Project
from tracker.sources.models import Source
from tracker.workflow.models import ProposalState
from tracker.workflow.operations import (
    EvidenceInput,
    approve_proposal,
    propose_status,
    reject_proposal,
)
from tracker.workflow.status import NotRealisedReason, Status

MOTIVATION = "Gestaafd door de beslissing van de Vlaamse Regering die het uitvoert."
PRIORITY = "nota-vrd2-2021/prioriteiten/1"  # linked to projects 21.1 and 21.2, not to 21.4


@pytest.fixture
def people(ctx):  # type: ignore[no-untyped-def]
    return create_user("els", "Els Redacteur", "editor"), create_user("bart", "Bart Beoordelaar", "reviewer")


def project(ctx, key: str) -> Project:  # type: ignore[no-untyped-def]
    return ctx.scalar(select(Project).where(Project.key == key))


def propose(c, people, status, day=date(2024, 1, 1), evidence=(), **extra):  # type: ignore[no-untyped-def]
    extra.setdefault("motivation", MOTIVATION)
    return propose_status(c, to_status=status, effective_date=day, actor=people[0], seen_version=c.version,
                          evidence=list(evidence), **extra)


def change(c, people, status, day=date(2024, 1, 1), evidence=(), **extra):  # type: ignore[no-untyped-def]
    return approve_proposal(propose(c, people, status, day, evidence, **extra), people[1])


# --------------------------------------------------------------------------- evidence


def test_a_linked_project_is_evidence_and_keeps_its_passage(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx, PRIORITY)
    linked = project(ctx, "vrd2/21.1")
    proposal = propose(c, people, Status.GEREALISEERD,
                       evidence=[EvidenceInput("project", linked.id, "  De generieke componenten zijn aangesloten.  ")])
    assert proposal.evidence[0].project == linked
    assert proposal.evidence[0].passage == "De generieke componenten zijn aangesloten."
    approved = approve_proposal(proposal, people[1])
    assert approved.evidence[0].passage == "De generieke componenten zijn aangesloten."


def test_a_project_not_linked_to_the_commitment_is_refused_and_named_by_code(ctx, people) -> None:  # type: ignore[no-untyped-def]
    """The commitment has other project links; only a link to this very project counts."""
    c = commitment(ctx, PRIORITY)
    unlinked = project(ctx, "vrd2/21.4")
    with pytest.raises(ValidationError, match="niet aan dit engagement gekoppeld") as info:
        propose(c, people, Status.GEREALISEERD, evidence=[EvidenceInput("project", unlinked.id, "Open data.")])
    assert f"“{unlinked.code} {unlinked.title}”" in str(info.value)
    assert c.version == 1


def test_a_decision_not_linked_is_named_by_its_title(ctx, people) -> None:  # type: ignore[no-untyped-def]
    decision = ctx.scalar(select(Decision).where(Decision.key == "ana-01"))
    c = commitment(ctx, "vds/2.2")
    with pytest.raises(ValidationError, match="niet aan dit engagement gekoppeld") as info:
        propose(c, people, Status.GEREALISEERD, evidence=[EvidenceInput("decision", decision.id, "VRD 2.")])
    assert f"“{decision.title}”" in str(info.value)


def test_evidence_without_any_passage_is_refused(ctx, people) -> None:  # type: ignore[no-untyped-def]
    analysis = ctx.scalar(select(Source).where(Source.key == "analyse-ra-2019-3.2.3"))
    c = commitment(ctx)
    with pytest.raises(ValidationError, match="de passage die de status staaft"):
        propose(c, people, Status.GEREALISEERD, evidence=[EvidenceInput("source", analysis.id)])


def test_evidence_of_an_unknown_kind_or_a_missing_record_is_refused_with_what_is_wrong(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    with pytest.raises(ValidationError, match='Onbekend soort bewijs "besluit"'):
        propose(c, people, Status.GEREALISEERD, evidence=[EvidenceInput("besluit", 1, "Een passage.")])
    with pytest.raises(ValidationError, match=r"\(decision 999999\) bestaat niet"):
        propose(c, people, Status.GEREALISEERD, evidence=[EvidenceInput("decision", 999999, "Een passage.")])


# --------------------------------------------------------------------------- requirements and transitions


def test_a_motivation_of_exactly_the_minimum_length_is_enough(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    twenty = "Te vaag om te meten."
    assert len(twenty) == 20
    with pytest.raises(ValidationError, match="minstens 20 tekens"):
        propose(c, people, Status.NIET_TOETSBAAR, motivation="  " + twenty[:19] + "  ")
    assert propose(c, people, Status.NIET_TOETSBAAR, motivation=twenty).motivation == twenty


def test_a_reason_belongs_only_to_niet_gerealiseerd(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    with pytest.raises(ValidationError, match="Een reden hoort alleen bij de status Niet gerealiseerd"):
        propose(c, people, Status.GEREALISEERD, evidence=evidence, reason=NotRealisedReason.BUDGETTAIR)


def test_a_refused_transition_lists_the_statuses_one_may_move_to(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    change(c, people, Status.NIET_GEREALISEERD, evidence=evidence, reason=NotRealisedReason.BUDGETTAIR)
    with pytest.raises(InvalidTransition) as info:
        propose(c, people, Status.NIET_GESTART, date(2024, 6, 1))
    assert str(info.value).endswith(
        "Vanuit Niet gerealiseerd kan: In uitvoering, Gedeeltelijk gerealiseerd, Gerealiseerd.")


# --------------------------------------------------------------------------- effective dates


def test_a_status_may_take_effect_today(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    today = brussels_today()
    change(c, people, Status.IN_UITVOERING, today)
    assert c.status is Status.IN_UITVOERING and c.status_since == today


def test_a_new_status_after_a_backdated_correction_follows_the_correction(ctx, people) -> None:  # type: ignore[no-untyped-def]
    """The corrected row no longer counts: a new status may start after the correction's date,
    even before the date of the row the correction replaced."""
    c = commitment(ctx)
    change(c, people, Status.IN_VOORBEREIDING, date(2022, 1, 1))
    wrong = change(c, people, Status.IN_UITVOERING, date(2023, 1, 1))
    change(c, people, Status.IN_UITVOERING, date(2022, 6, 1), corrects=wrong)
    change(c, people, Status.VASTGELOPEN, date(2022, 9, 1))
    assert c.status is Status.VASTGELOPEN and c.status_since == date(2022, 9, 1)
    assert statuses_on(date(2022, 10, 1), [c.id])[c.id] is Status.VASTGELOPEN
    with pytest.raises(ValidationError, match="Vastgelopen geldt sinds 1 september 2022"):
        propose(c, people, Status.IN_UITVOERING, date(2022, 8, 1))


def test_the_date_refusal_tells_a_new_status_from_a_correction(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    change(c, people, Status.IN_VOORBEREIDING, date(2022, 1, 1))
    second = change(c, people, Status.IN_UITVOERING, date(2023, 1, 1))
    with pytest.raises(ValidationError) as new_status:
        propose(c, people, Status.VASTGELOPEN, date(2022, 6, 1))
    message = str(new_status.value)
    assert "De status In uitvoering geldt sinds 1 januari 2023; een nieuwe status kan niet eerder ingaan." in message
    assert message.endswith("Kies 1 januari 2023 of later, of corrigeer de laatste statuswijziging.")
    with pytest.raises(ValidationError) as correction:
        propose(c, people, Status.IN_UITVOERING, date(2021, 6, 1), corrects=second)
    message = str(correction.value)
    assert ("De status In voorbereiding geldt sinds 1 januari 2022; "
            "de correctie kan niet ingaan vóór de wijziging die ze opvolgt.") in message
    assert message.endswith("Kies 1 januari 2022 of later.")


# --------------------------------------------------------------------------- corrections


def test_only_the_latest_change_can_be_corrected(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    first = change(c, people, Status.IN_VOORBEREIDING, date(2022, 1, 1))
    change(c, people, Status.IN_UITVOERING, date(2023, 1, 1))
    with pytest.raises(ValidationError, match="Alleen de laatste statuswijziging kan gecorrigeerd worden"):
        propose(c, people, Status.NIET_GESTART, date(2022, 1, 1), corrects=first)
    assert c.status is Status.IN_UITVOERING


def test_a_change_of_another_commitment_cannot_be_corrected(ctx, people) -> None:  # type: ignore[no-untyped-def]
    elsewhere = change(commitment(ctx, "vds/2.4"), people, Status.IN_UITVOERING)
    c = commitment(ctx)
    with pytest.raises(ValidationError, match="De gecorrigeerde statuswijziging hoort bij een ander engagement"):
        propose(c, people, Status.IN_VOORBEREIDING, corrects=elsewhere)
    assert c.status is Status.NIET_BEOORDEELD


# --------------------------------------------------------------------------- propose, approve, reject
# (written before mutmut reached these three functions; each test fails when its rule is removed.)


def test_back_to_niet_beoordeeld_clears_the_date(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    change(c, people, Status.NIET_TOETSBAAR, date(2023, 1, 1))
    assert c.status_since == date(2023, 1, 1)
    change(c, people, Status.NIET_BEOORDEELD, date(2024, 1, 1))
    assert c.status is Status.NIET_BEOORDEELD and c.status_since is None


def test_one_open_proposal_per_commitment(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    propose(c, people, Status.IN_VOORBEREIDING)
    with pytest.raises(Conflict, match="Er staat al een voorstel open"):
        propose(c, people, Status.IN_UITVOERING)


def test_a_rejection_needs_a_note_of_five_characters(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    proposal = propose(c, people, Status.IN_VOORBEREIDING)
    with pytest.raises(ValidationError, match="waarom"):
        reject_proposal(proposal, people[1], "  Nee.  ")
    reject_proposal(proposal, people[1], " Fout. ")
    assert proposal.state is ProposalState.REJECTED and proposal.review_note == "Fout."
    assert proposal.reviewer == people[1]


# --------------------------------------------------------------------------- mutation testing of the three operations
# (now that mutmut reaches their bodies: each test kills mutants that survived the rest of the suite.)


def test_a_missing_motivation_is_stored_as_empty(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    assert propose(c, people, Status.IN_VOORBEREIDING, motivation=None).motivation == ""


def test_an_open_proposal_elsewhere_does_not_block_this_commitment(ctx, people) -> None:  # type: ignore[no-untyped-def]
    """One open proposal per commitment, not one for the whole tracker."""
    propose(commitment(ctx, "vds/2.4"), people, Status.IN_UITVOERING)
    c = commitment(ctx)
    assert propose(c, people, Status.IN_VOORBEREIDING).state is ProposalState.OPEN


def test_the_open_proposal_conflict_shows_the_waiting_proposal(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    propose(c, people, Status.IN_VOORBEREIDING)
    with pytest.raises(Conflict) as info:
        propose(c, people, Status.IN_UITVOERING)
    assert str(info.value) == ("Er staat al een voorstel open voor dit engagement (In voorbereiding, "
                               "door Els Redacteur). Laat dat eerst beoordelen.")
    assert info.value.changes == ["Voorstel: Niet beoordeeld → In voorbereiding"]


def test_a_stale_proposal_lists_every_workflow_step_since_the_version_seen(ctx, people) -> None:  # type: ignore[no-untyped-def]
    """The conflict names each proposal, approval and rejection after the version the editor saw:
    those steps are logged on the commitment, with the version they produced."""
    editor, reviewer = people
    c = commitment(ctx)
    seen = c.version
    approve_proposal(propose(c, people, Status.IN_UITVOERING), reviewer)
    reject_proposal(propose(c, people, Status.VASTGELOPEN), reviewer, "Er is geen bron die dit staaft.")
    with pytest.raises(Conflict) as info:
        propose_status(c, to_status=Status.IN_VOORBEREIDING, effective_date=date(2024, 1, 1), motivation=MOTIVATION,
                       actor=editor, seen_version=seen)
    assert str(info.value) == ("Dit engagement is intussen gewijzigd door iemand anders. "
                               "Bekijk de wijzigingen en probeer opnieuw.")
    assert info.value.changes == [
        f"Els Redacteur stelde status In uitvoering voor bij {c.label}",
        f"Bart Beoordelaar keurde status In uitvoering goed bij {c.label}",
        f"Els Redacteur stelde status Vastgelopen voor bij {c.label}",
        f"Bart Beoordelaar wees het voorstel Vastgelopen af bij {c.label}",
    ]
    # Only what came after the version seen: from the rejection's version on, nothing is new.
    assert c.version == seen + 4
    with pytest.raises(Conflict) as info:
        propose_status(c, to_status=Status.IN_VOORBEREIDING, effective_date=date(2024, 1, 1), motivation=MOTIVATION,
                       actor=editor, seen_version=seen + 3)
    assert info.value.changes == [f"Bart Beoordelaar wees het voorstel Vastgelopen af bij {c.label}"]


def test_each_workflow_step_is_audited_with_who_what_and_the_version(ctx, people) -> None:  # type: ignore[no-untyped-def]
    editor, reviewer = people
    c = commitment(ctx)
    first = propose(c, people, Status.IN_UITVOERING)
    approved = approve_proposal(first, reviewer)
    second = propose(c, people, Status.VASTGELOPEN)
    reject_proposal(second, reviewer, "  Er is geen bron die dit staaft.  ")
    entries = ctx.scalars(select(LogEntry).where(LogEntry.target_id == c.id, LogEntry.realm == "workflow")
                          .order_by(LogEntry.id)).all()
    assert [(e.kind, e.actor_id, e.target_type, e.data) for e in entries] == [
        ("proposed", editor.id, "commitments",
         {"proposal": first.id, "from": "niet_beoordeeld", "to": "in_uitvoering", "version": 2}),
        ("approved", reviewer.id, "commitments",
         {"proposal": first.id, "change": approved.id, "from": "niet_beoordeeld", "to": "in_uitvoering",
          "version": 3}),
        ("proposed", editor.id, "commitments",
         {"proposal": second.id, "from": "in_uitvoering", "to": "vastgelopen", "version": 4}),
        ("rejected", reviewer.id, "commitments",
         {"proposal": second.id, "note": "Er is geen bron die dit staaft.", "version": 5}),
    ]


def test_the_history_row_keeps_the_motivation_and_the_moment_of_review(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    proposal = propose(c, people, Status.IN_UITVOERING)
    row = approve_proposal(proposal, people[1])
    assert row.motivation == MOTIVATION
    assert row.recorded_dt == proposal.reviewed_dt and row.proposed_dt == proposal.created_dt
    assert proposal.change is row and proposal.state is ProposalState.APPROVED


def test_an_approval_keeps_its_note_and_needs_none(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    without = propose(c, people, Status.IN_VOORBEREIDING)
    approve_proposal(without, people[1])
    assert without.review_note == ""
    with_note = propose(c, people, Status.IN_UITVOERING, date(2024, 2, 1))
    approve_proposal(with_note, people[1], "  Klopt met de beslissing.  ")
    assert with_note.review_note == "Klopt met de beslissing."


def test_a_rejection_without_a_note_says_what_to_write(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    proposal = propose(c, people, Status.IN_VOORBEREIDING)
    for note in (None, "", "Nee."):
        with pytest.raises(ValidationError) as info:
            reject_proposal(proposal, people[1], note)
        assert str(info.value) == "Schrijf waarom u het voorstel afwijst, zodat de redacteur het kan verbeteren."
    assert proposal.state is ProposalState.OPEN and c.version == 2
