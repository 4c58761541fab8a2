"""The status workflow: transitions, evidence, four eyes, history, as-of dates, roll-ups, conflicts."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import commitment
from tracker.accounts.models import Role
from tracker.accounts.operations import create_user, update_user
from tracker.audit.models import LogEntry
from tracker.commitments.models import Commitment, Level
from tracker.commitments.operations import create_commitment, update_commitment
from tracker.commitments.queries import (
    changes_between,
    find_node,
    source_tree,
    statuses_on,
)
from tracker.core.clock import today as brussels_today
from tracker.core.db import db
from tracker.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationError
from tracker.core.writes import WriteOutsideOperation, operation
from tracker.decisions.models import Decision
from tracker.sources.models import Source, SourceKind
from tracker.sources.operations import create_source
from tracker.workflow.models import ProposalState, StatusChange, StatusProposal
from tracker.workflow.operations import (
    EvidenceInput,
    approve_proposal,
    propose_status,
    reject_proposal,
)
from tracker.workflow.status import ALLOWED_TRANSITIONS, NotRealisedReason, Status

MOTIVATION = "Gestaafd door de beslissing van de Vlaamse Regering die het uitvoert."


@pytest.fixture
def people(ctx):  # type: ignore[no-untyped-def]
    editor = create_user("els", "Els Redacteur", "editor")
    reviewer = create_user("bart", "Bart Beoordelaar", "reviewer")
    other_editor = create_user("jan", "Jan Redacteur", "editor")
    return editor, reviewer, other_editor


def set_status(ctx, c, status, people, evidence, day=date(2024, 1, 1), reason=None):  # type: ignore[no-untyped-def]
    editor, reviewer, _ = people
    proposal = propose_status(c, to_status=status, effective_date=day, motivation=MOTIVATION,
                              actor=editor, seen_version=c.version, evidence=evidence, reason=reason)
    return approve_proposal(proposal, reviewer)


def test_every_pair_of_statuses_is_allowed_or_refused_as_the_table_says(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    """For each (from, to) pair: bring a commitment to `from`, then propose `to`."""
    c = commitment(ctx)
    checked = 0
    for old in Status:
        for new in Status:
            ctx.rollback()
            c = commitment(ctx)
            if old is not Status.NIET_BEOORDEELD:
                # Force the starting state the only way there is: through the workflow,
                # via a route the table allows (niet beoordeeld can reach every status).
                set_status(ctx, c, old, people, evidence,
                           reason=NotRealisedReason.BUDGETTAIR if old is Status.NIET_GEREALISEERD else None)
            reason = NotRealisedReason.BUDGETTAIR if new is Status.NIET_GEREALISEERD else None
            def attempt():  # type: ignore[no-untyped-def]
                return propose_status(c, to_status=new, effective_date=date(2024, 6, 1), motivation=MOTIVATION,
                                      actor=people[0], seen_version=c.version, evidence=evidence, reason=reason)
            if new in ALLOWED_TRANSITIONS[old]:
                assert attempt().to_status is new
            else:
                with pytest.raises(InvalidTransition) as info:
                    attempt()
                assert old.label in str(info.value) and new.label in str(info.value)
            checked += 1
    assert checked == len(Status) ** 2


def test_final_statuses_need_motivation_and_evidence(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    editor = people[0]
    for status in (Status.GEDEELTELIJK, Status.GEREALISEERD, Status.NIET_GEREALISEERD):
        reason = NotRealisedReason.ANDERE if status is Status.NIET_GEREALISEERD else None
        with pytest.raises(ValidationError, match="motivering"):
            propose_status(c, to_status=status, effective_date=date(2024, 1, 1), motivation="kort",
                           actor=editor, seen_version=c.version, evidence=evidence, reason=reason)
        with pytest.raises(ValidationError, match="bewijsstuk"):
            propose_status(c, to_status=status, effective_date=date(2024, 1, 1), motivation=MOTIVATION,
                           actor=editor, seen_version=c.version, evidence=[], reason=reason)
    with pytest.raises(ValidationError, match="reden"):
        propose_status(c, to_status=Status.NIET_GEREALISEERD, effective_date=date(2024, 1, 1),
                       motivation=MOTIVATION, actor=editor, seen_version=c.version, evidence=evidence)
    # A status that needs no evidence goes through without.
    proposal = propose_status(c, to_status=Status.IN_VOORBEREIDING, effective_date=date(2024, 1, 1),
                              motivation="", actor=editor, seen_version=c.version)
    assert proposal.state is ProposalState.OPEN
    assert ctx.scalar(select(func.count()).select_from(StatusChange).where(StatusChange.commitment_id == c.id)) == 0


def test_future_effective_date_is_refused(ctx, people) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx)
    with pytest.raises(ValidationError, match="toekomst"):
        propose_status(c, to_status=Status.IN_UITVOERING, effective_date=date(2030, 1, 1), motivation=MOTIVATION,
                       actor=people[0], seen_version=c.version, today=date(2026, 11, 25))


def test_four_eyes(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    editor, reviewer, other_editor = people
    c = commitment(ctx)
    proposal = propose_status(c, to_status=Status.GEREALISEERD, effective_date=date(2022, 11, 18),
                              motivation=MOTIVATION, actor=editor, seen_version=c.version, evidence=evidence)
    assert c.status is Status.NIET_BEOORDEELD  # not public before review
    with pytest.raises(NotAllowed, match="eigen voorstel"):
        reviewer_as_author = proposal.author
        update_user(reviewer_as_author, {"role": Role.REVIEWER})
        approve_proposal(proposal, reviewer_as_author)
    update_user(editor, {"role": Role.EDITOR})
    with pytest.raises(NotAllowed, match="beoordelaar"):
        approve_proposal(proposal, other_editor)
    change = approve_proposal(proposal, reviewer, "Klopt met de beslissing.")
    assert c.status is Status.GEREALISEERD and c.status_since == date(2022, 11, 18)
    assert (change.author, change.reviewer) == (editor, reviewer)
    assert change.evidence[0].source.key == "analyse-ra-2019-3.2.3"
    with pytest.raises(Conflict, match="al beoordeeld"):
        approve_proposal(proposal, reviewer)


def test_rejection_keeps_the_old_status_and_records_why(ctx, people) -> None:  # type: ignore[no-untyped-def]
    editor, reviewer, _ = people
    c = commitment(ctx)
    proposal = propose_status(c, to_status=Status.IN_UITVOERING, effective_date=date(2024, 1, 1),
                              motivation=MOTIVATION, actor=editor, seen_version=c.version)
    with pytest.raises(ValidationError):
        reject_proposal(proposal, reviewer, "")
    reject_proposal(proposal, reviewer, "De beslissing gaat over een ander engagement.")
    assert c.status is Status.NIET_BEOORDEELD
    assert proposal.state is ProposalState.REJECTED and "ander engagement" in proposal.review_note
    assert ctx.scalar(select(func.count()).select_from(StatusChange).where(StatusChange.commitment_id == c.id)) == 0


def test_one_history_row_per_change_and_none_after_rollback(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    ctx.commit()
    before = ctx.scalar(select(func.count()).select_from(StatusChange))
    c = commitment(ctx, "vds/2.4")
    set_status(ctx, c, Status.IN_UITVOERING, people, evidence, date(2023, 1, 1))
    set_status(ctx, c, Status.GEREALISEERD, people, evidence, date(2024, 1, 1))
    ctx.commit()
    assert ctx.scalar(select(func.count()).select_from(StatusChange)) == before + 2
    c = commitment(ctx, "vds/2.5")
    set_status(ctx, c, Status.IN_UITVOERING, people, evidence, date(2023, 1, 1))
    ctx.rollback()
    assert ctx.scalar(select(func.count()).select_from(StatusChange)) == before + 2
    c = commitment(ctx, "vds/2.5")
    assert c.status is Status.NIET_BEOORDEELD and c.version == 1
    logged = ctx.scalar(select(func.count()).select_from(LogEntry).where(
        LogEntry.realm == "workflow", LogEntry.target_id == c.id))
    assert logged == 0


def test_as_of_reproduces_the_past(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx, "vds/2.6")
    set_status(ctx, c, Status.IN_VOORBEREIDING, people, evidence, date(2021, 3, 1))
    set_status(ctx, c, Status.IN_UITVOERING, people, evidence, date(2022, 6, 30))
    set_status(ctx, c, Status.GEREALISEERD, people, evidence, date(2023, 12, 17))
    assert statuses_on(date(2020, 1, 1), [c.id]).get(c.id) is None
    assert statuses_on(date(2021, 3, 1), [c.id])[c.id] is Status.IN_VOORBEREIDING
    assert statuses_on(date(2022, 12, 31), [c.id])[c.id] is Status.IN_UITVOERING
    assert statuses_on(date(2024, 6, 30), [c.id])[c.id] is Status.GEREALISEERD
    rows = changes_between(date(2022, 1, 1), date(2024, 1, 1))
    assert [(r[0].key, r[1], r[2]) for r in rows if r[0].key == "vds/2.6"] == [
        ("vds/2.6", Status.IN_VOORBEREIDING, Status.GEREALISEERD)]


def test_correction_is_a_new_row_that_replaces_the_corrected_one_in_the_past(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    editor, reviewer, _ = people
    c = commitment(ctx, "vds/2.7")
    wrong = set_status(ctx, c, Status.GEREALISEERD, people, evidence, date(2021, 1, 1))
    proposal = propose_status(c, to_status=Status.GEREALISEERD, effective_date=date(2021, 12, 17),
                              motivation=MOTIVATION + " De ingangsdatum was fout.", actor=editor,
                              seen_version=c.version, evidence=evidence, corrects=wrong)
    fixed = approve_proposal(proposal, reviewer)
    assert fixed.corrects is wrong and fixed.from_status is Status.NIET_BEOORDEELD
    assert ctx.scalar(select(func.count()).select_from(StatusChange).where(StatusChange.commitment_id == c.id)) == 2
    assert statuses_on(date(2021, 6, 1), [c.id]).get(c.id) is None
    assert statuses_on(date(2022, 1, 1), [c.id])[c.id] is Status.GEREALISEERD


def test_concurrent_edit_gets_a_conflict_with_what_changed(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    editor, reviewer, other_editor = people
    c = commitment(ctx, "vds/2.8")
    seen_by_both = c.version
    first = propose_status(c, to_status=Status.IN_UITVOERING, effective_date=date(2024, 1, 1),
                           motivation=MOTIVATION, actor=editor, seen_version=seen_by_both)
    approve_proposal(first, reviewer)
    with pytest.raises(Conflict) as info:
        propose_status(c, to_status=Status.IN_VOORBEREIDING, effective_date=date(2024, 1, 1),
                       motivation=MOTIVATION, actor=other_editor, seen_version=seen_by_both)
    assert info.value.status_code == 409
    assert any("In uitvoering" in line for line in info.value.changes)
    assert c.status is Status.IN_UITVOERING


def test_conflict_page_answers_409_in_dutch(app) -> None:  # type: ignore[no-untyped-def]
    @app.route("/_test_conflict")
    def _conflict():  # type: ignore[no-untyped-def]
        raise Conflict("Dit engagement is intussen gewijzigd.", changes=["Status: In uitvoering"])

    response = app.test_client().get("/_test_conflict")
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "intussen gewijzigd" in page and "Status: In uitvoering" in page


def test_roll_up_on_a_deep_tree(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    source = create_source({"key": "test-boom", "kind": SourceKind.STRATEGIE, "title": "Testboom"}, None)

    def node(key, parent=None, level=Level.AFDELING):  # type: ignore[no-untyped-def]
        return create_commitment({"key": key, "source": source, "parent": parent, "level": level, "title": key}, None)
    root = node("r", level=Level.HOOFDSTUK)
    a, b = node("a", root), node("b", root)
    a1, a2 = node("a1", a, Level.ENGAGEMENT), node("a2", a, Level.ENGAGEMENT)
    a2x, a2y = node("a2x", a2, Level.ACTIEPUNT), node("a2y", a2, Level.ACTIEPUNT)
    b1 = node("b1", b, Level.ENGAGEMENT)
    ctx.flush()
    set_status(ctx, a1, Status.GEREALISEERD, people, evidence)
    set_status(ctx, a2x, Status.GEDEELTELIJK, people, evidence)
    set_status(ctx, a2y, Status.NIET_TOETSBAAR, people, evidence)
    set_status(ctx, b1, Status.IN_UITVOERING, people, evidence)
    set_status(ctx, b, Status.VASTGELOPEN, people, evidence)  # an assessed inner node counts itself
    roots = source_tree(source.id)
    by_key = {k: find_node(roots, c.id) for k, c in {"r": root, "a": a, "a2": a2, "b": b}.items()}
    assert by_key["a2"].rollup.counts == {Status.GEDEELTELIJK: 1, Status.NIET_TOETSBAAR: 1}
    assert by_key["a2"].rollup.progress == 50
    assert by_key["a"].rollup.counts == {Status.GEREALISEERD: 1, Status.GEDEELTELIJK: 1, Status.NIET_TOETSBAAR: 1}
    assert by_key["a"].rollup.progress == 75  # (100 + 50) / 2; niet toetsbaar does not count
    assert by_key["b"].rollup.counts == {Status.IN_UITVOERING: 1, Status.VASTGELOPEN: 1}
    assert by_key["r"].rollup.total == 5 and by_key["r"].rollup.assessed == 5
    assert by_key["r"].rollup.progress == pytest.approx((100 + 50 + 40 + 20) / 4)
    # The past: on 2023-12-31 nothing was assessed yet.
    past = source_tree(source.id, date(2023, 12, 31))
    assert past[0].rollup.assessed == 0 and past[0].rollup.total == 4


def test_roll_up_counts_linked_project_euros_once(ctx) -> None:  # type: ignore[no-untyped-def]
    ra_2024 = ctx.scalar(select(Source).where(Source.key == "ra-2024"))
    roots = source_tree(ra_2024.id)
    vrd3 = find_node(roots, commitment(ctx, "ra-2024/vrd3").id)
    # Each of the six VRD 3 speerpunten is linked to this commitment: their lines total 39.5 million.
    assert vrd3.rollup.euro == 39_500_000


def test_seeded_assessment_went_through_the_workflow(ctx) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx, "ra-2019/bestuurzaken/3.2.3")
    assert c.status is Status.GEDEELTELIJK
    change = ctx.scalar(select(StatusChange).where(StatusChange.commitment_id == c.id))
    assert change.author.username == "seed-redacteur" and change.reviewer.username == "seed-beoordelaar"
    assert change.author != change.reviewer
    assert "overwegend" in change.motivation
    assert {e.target.key for e in change.evidence} >= {"analyse-ra-2019-3.2.3", "ana-00"}


def test_cli_acts_as_a_named_user(runner, app) -> None:  # type: ignore[no-untyped-def]
    assert runner.invoke(args=["user", "create", "piet@example.be", "--name", "Piet Peeters", "--role", "editor"],
                         input="lange zin als wachtwoord\n").exit_code == 0
    result = runner.invoke(args=["status", "propose", "vds/2.1", "in_uitvoering", "--as", "piet@example.be",
                                 "--motivation", MOTIVATION, "--effective", "2024-03-01"])
    assert result.exit_code == 0, result.output
    proposal_id = int(result.output.split()[1])
    refused = runner.invoke(args=["status", "approve", str(proposal_id), "--as", "piet@example.be"])
    assert refused.exit_code != 0 and "beoordelaar" in refused.output
    ok = runner.invoke(args=["status", "approve", str(proposal_id), "--as", "seed-beoordelaar"])
    assert ok.exit_code == 0, ok.output
    assert "status is nu In uitvoering" in ok.output
    with app.app_context():
        c = commitment(db.session, "vds/2.1")
        assert (c.status, c.status_since) == (Status.IN_UITVOERING, date(2024, 3, 1))
        change = db.session.scalar(select(StatusChange).where(StatusChange.commitment_id == c.id))
        assert (change.author.username, change.reviewer.username) == ("piet@example.be", "seed-beoordelaar")
        page_id = c.id
    page = app.test_client().get(f"/engagementen/{page_id}").get_data(as_text=True)
    assert 'class="status-line"><span class="status status-in_uitvoering"' in page


def test_source_total_counts_a_project_linked_twice_once(ctx) -> None:  # type: ignore[no-untyped-def]
    from tracker.commitments.queries import combined_rollup

    ra_2024 = ctx.scalar(select(Source).where(Source.key == "ra-2024"))
    roots = source_tree(ra_2024.id)
    # Speerpunten 1 and 6 are linked to two commitments each; the source total counts them once.
    assert sum(r.rollup.euro for r in roots) > 39_500_000
    assert combined_rollup(roots).euro == 39_500_000


def test_status_cannot_be_set_outside_the_workflow(ctx) -> None:  # type: ignore[no-untyped-def]
    """Not by a view or script (the write guard), and not by another operation (the status guard)."""
    c = commitment(ctx, "vds/2.9")
    c.status = Status.GEREALISEERD
    with pytest.raises(WriteOutsideOperation, match="Commitment"):
        ctx.flush()
    ctx.rollback()
    with pytest.raises(TypeError, match="status"):
        update_commitment(c, {"status": Status.GEREALISEERD}, None)
    ctx.rollback()

    @operation
    def sneaky(obj, **values):  # type: ignore[no-untyped-def]
        for name, value in values.items():
            setattr(obj, name, value)

    for values in ({"status": Status.GEREALISEERD}, {"status_since": date(2024, 1, 1)}):
        with pytest.raises(InvalidTransition, match="voorstel"):
            sneaky(commitment(ctx, "vds/2.9"), **values)
        ctx.rollback()

    @operation
    def add_fresh():  # type: ignore[no-untyped-def]
        ctx.add(Commitment(key="nieuw", source=c.source, level=Level.ENGAGEMENT, title="Nieuw",
                           status=Status.GEREALISEERD, status_since=date(2024, 1, 1)))

    with pytest.raises(InvalidTransition):
        add_fresh()


def test_history_rows_are_never_edited_or_deleted(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    change = set_status(ctx, commitment(ctx), Status.IN_UITVOERING, people, evidence)
    ctx.commit()

    @operation
    def tamper(action):  # type: ignore[no-untyped-def]
        action(change)

    for action, message in ((lambda row: setattr(row, "motivation", "Anders"), "nooit gewijzigd"),
                            (lambda row: setattr(row, "effective_date", date(2020, 1, 1)), "nooit gewijzigd"),
                            (ctx.delete, "nooit gewist")):
        with pytest.raises(InvalidTransition, match=message):
            tamper(action)
        ctx.rollback()
        change = ctx.scalar(select(StatusChange).where(StatusChange.commitment_id == commitment(ctx).id))

    @operation
    def forge():  # type: ignore[no-untyped-def]
        ctx.add(StatusChange(commitment=change.commitment, from_status=Status.IN_UITVOERING,
                             to_status=Status.GEREALISEERD, effective_date=date(2024, 2, 1),
                             author=people[0], reviewer=people[1], proposed_dt=change.proposed_dt))

    with pytest.raises(InvalidTransition, match="voorstel"):
        forge()


@pytest.mark.parametrize("status", [Status.VASTGELOPEN, Status.NIET_TOETSBAAR])
def test_stalled_and_untestable_need_a_motivation(ctx, people, status) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx, "vds/2.2")
    if status is Status.VASTGELOPEN:
        set_status(ctx, c, Status.IN_UITVOERING, people, [])
    with pytest.raises(ValidationError, match="motivering"):
        propose_status(c, to_status=status, effective_date=date(2024, 6, 1), motivation="",
                       actor=people[0], seen_version=c.version)
    assert propose_status(c, to_status=status, effective_date=date(2024, 6, 1), motivation=MOTIVATION,
                          actor=people[0], seen_version=c.version).to_status is status


def test_cli_reject_keeps_status(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["status", "propose", "vds/2.1", "In uitvoering", "--as", "seed-redacteur",
                                 "--motivation", MOTIVATION, "--effective", "2024-03-01"])
    assert result.exit_code == 0, result.output
    proposal_id = result.output.split()[1]
    assert runner.invoke(args=["status", "reject", "999", "--as", "seed-beoordelaar", "--note", "nee"]).exit_code != 0
    rejected = runner.invoke(args=["status", "reject", proposal_id, "--as", "seed-beoordelaar",
                                   "--note", "Er is nog geen beslissing die dit uitvoert."])
    assert rejected.exit_code == 0 and "afgewezen" in rejected.output
    with runner.app.app_context():
        c = commitment(db.session, "vds/2.1")
        assert (c.status, c.status_since) == (Status.NIET_BEOORDEELD, None)
        proposal = db.session.get(StatusProposal, int(proposal_id))
        assert proposal.state is ProposalState.REJECTED and proposal.review_note.startswith("Er is nog geen")


def test_evidence_must_be_linked_and_quoted(ctx, people) -> None:  # type: ignore[no-untyped-def]
    section = commitment(ctx, "ra-2019/bestuurzaken/3.2.3")
    other = commitment(ctx, "vds/2.2")
    linked = ctx.scalar(select(Decision).where(Decision.key == "ana-01"))
    def propose(c, passage):  # type: ignore[no-untyped-def]
        return propose_status(c, to_status=Status.GEREALISEERD, effective_date=date(2024, 1, 1),
                              motivation=MOTIVATION, actor=people[0], seen_version=c.version,
                              evidence=[EvidenceInput("decision", linked.id, passage)])
    with pytest.raises(ValidationError, match="niet aan dit engagement gekoppeld"):
        propose(other, "Programma VRD 2: uitvoeringsjaar 2022")
    with pytest.raises(ValidationError, match="passage"):
        propose(section, "  ")
    proposal = propose(section, "Programma VRD 2: uitvoeringsjaar 2022")
    assert proposal.evidence[0].decision == linked and other.version == 1


def test_a_new_status_cannot_start_before_the_current_one(ctx, people, evidence) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx, "vds/2.7")
    set_status(ctx, c, Status.IN_UITVOERING, people, evidence, date(2024, 6, 1))
    with pytest.raises(ValidationError, match="1 juni 2024"):
        propose_status(c, to_status=Status.GEREALISEERD, effective_date=date(2024, 3, 1), motivation=MOTIVATION,
                       actor=people[0], seen_version=c.version, evidence=evidence)
    set_status(ctx, c, Status.GEREALISEERD, people, evidence, date(2024, 6, 1))
    assert statuses_on(brussels_today(), [c.id])[c.id] is c.status is Status.GEREALISEERD


def test_a_correction_hides_the_corrected_row_on_every_date(ctx, people, evidence, client) -> None:  # type: ignore[no-untyped-def]
    editor, reviewer, _ = people
    c = commitment(ctx, "vds/2.8")
    set_status(ctx, c, Status.IN_UITVOERING, people, evidence, date(2024, 1, 1))
    stalled = propose_status(c, to_status=Status.VASTGELOPEN, effective_date=date(2024, 6, 1),
                             motivation="Vastgelopen want het budget ontbreekt volgens de nota.", actor=editor,
                             seen_version=c.version)
    wrong = approve_proposal(stalled, reviewer)
    fix = propose_status(c, to_status=Status.GEDEELTELIJK, effective_date=date(2024, 9, 1), motivation=MOTIVATION,
                         actor=editor, seen_version=c.version, evidence=evidence, corrects=wrong)
    approve_proposal(fix, reviewer)
    ctx.commit()
    page = client.get(f"/engagementen/{c.id}?op=2024-07-01").get_data(as_text=True)
    assert "budget ontbreekt" not in page.split("Statusgeschiedenis")[0]
    assert "In uitvoering" in page and "sinds <time datetime=\"2024-01-01\">" in page
    rows = changes_between(date(2024, 5, 1), date(2024, 10, 1))
    mine = [r for r in rows if r[0].id == c.id]
    assert [(old, new) for _, old, new, _ in mine] == [(Status.IN_UITVOERING, Status.GEDEELTELIJK)]
    assert all("budget ontbreekt" not in ch.motivation for ch in mine[0][3])


def test_changes_page_includes_its_first_day(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/wijzigingen?van=2022-11-18&tot=2022-11-30").get_data(as_text=True)
    assert "ICT en Informatie" in page


def test_cli_evidence_correction_and_duplicate_user(runner, app) -> None:  # type: ignore[no-untyped-def]
    dup = runner.invoke(args=["user", "create", "seed-redacteur", "--name", "X", "--role", "editor"],
                        input="lange zin als wachtwoord\n")
    assert dup.exit_code != 0 and "al in gebruik" in dup.output and "Traceback" not in dup.output
    args = ["status", "propose", "ra-2019/bestuurzaken/3.2.3/a", "gerealiseerd", "--as", "seed-redacteur",
            "--motivation", MOTIVATION, "--effective", "2021-01-01",
            "--source", "analyse-ra-2019-3.2.3", "--passage", "Daarnaast zijn er stappen ondernomen."]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    approve = runner.invoke(args=["status", "approve", result.output.split()[1], "--as", "seed-beoordelaar"])
    assert approve.exit_code == 0, approve.output
    from tracker.core.db import db

    with app.app_context():
        change_id = db.session.scalar(select(func.max(StatusChange.id)))
        db.session.remove()
    fix = runner.invoke(args=args[:8] + ["--effective", "2022-01-01", "--source", "analyse-ra-2019-3.2.3",
                                          "--passage", "Correctie van de datum.", "--corrects", str(change_id)])
    assert fix.exit_code == 0, fix.output
    fix_id = fix.output.split()[1]
    assert runner.invoke(args=["status", "approve", fix_id, "--as", "seed-beoordelaar"]).exit_code == 0
    with app.app_context():
        c = commitment(db.session, "ra-2019/bestuurzaken/3.2.3/a")
        assert (c.status, c.status_since) == (Status.GEREALISEERD, date(2022, 1, 1))
        # The corrected row no longer counts: in mid-2021 the sub-commitment was not yet assessed.
        assert statuses_on(date(2021, 6, 1), [c.id]).get(c.id) is None
        assert statuses_on(date(2022, 1, 1), [c.id])[c.id] is Status.GEREALISEERD
