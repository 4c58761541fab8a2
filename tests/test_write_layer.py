"""Every write goes through its domain's operations, with one audit entry per changed record."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tracker.audit.models import LogEntry
from tracker.commitments.models import Commitment, Level, Link, Relation
from tracker.commitments.operations import (
    create_commitment,
    create_link,
    delete_commitment,
    remove_link,
    update_commitment,
)
from tracker.core.db import Base, db
from tracker.core.errors import Conflict, ValidationError
from tracker.core.writes import WriteOutsideOperation
from tracker.decisions.models import Decision, DecisionKind
from tracker.decisions.operations import create_decision, update_decision
from tracker.projects.models import (
    BudgetKind,
    BudgetLine,
    Organisation,
    Programme,
    Project,
)
from tracker.projects.operations import (
    create_budget_line,
    update_organisation,
    update_programme,
)
from tracker.sources.models import Source


def entries(ctx, target) -> list[LogEntry]:  # type: ignore[no-untyped-def]
    return list(ctx.scalars(select(LogEntry).where(LogEntry.target_type == target.__tablename__,
                                                   LogEntry.target_id == target.id).order_by(LogEntry.id)))


@pytest.mark.parametrize("model", sorted((m.class_ for m in Base.registry.mappers if m.class_.__tablename__ != "index_queue"), key=lambda m: m.__name__),
                         ids=lambda m: m.__name__)
def test_every_model_refuses_changes_outside_its_operations(ctx, model) -> None:  # type: ignore[no-untyped-def]
    """A row of every table: changing or deleting it directly fails at the flush."""
    if model.__tablename__ in ("login_sessions", "login_attempts"):
        # Logins leave no rows in the seed data; make one of each through the operations.
        from tracker.accounts.models import User
        from tracker.accounts.operations import record_login_attempt, start_session

        start_session(ctx.scalar(select(User).limit(1)), "127.0.0.1")
        record_login_attempt("iemand@example.be", "127.0.0.1", False)
    if model.__tablename__ == "suggested_links":
        # The seed holds no suggestions; dismiss one through the operations.
        from tracker.suggest.operations import dismiss_suggestion

        dismiss_suggestion(ctx.scalar(select(Decision).limit(1)), ctx.scalar(select(Commitment).limit(1)),
                           "Hoort hier niet bij.", None)
    if model.__tablename__ == "external_analyses":
        # Nor external analyses; import one report through the operations.
        from tracker.suggest.analyses import apply_import, parse_report, plan_import

        report = ("# ICT\n<details><summary>Regeerakkoord Sectie </summary><p>3.2.3 ICT en Informatie</p>"
                  "</details>\nTekst.")
        apply_import(plan_import([parse_report(report, "test")]), None)
    row = ctx.scalar(select(model).limit(1))
    assert row is not None, f"the seed data has no {model.__name__}"
    column = next(c.key for c in model.__mapper__.column_attrs if c.key not in ("id",) and not c.columns[0].foreign_keys)
    setattr(row, column, getattr(row, column))  # a no-op assignment is no change
    ctx.flush()
    ctx.delete(row)
    with pytest.raises(WriteOutsideOperation, match=model.__name__):
        ctx.flush()


def test_adding_outside_an_operation_fails_and_an_operation_refuses_earlier_direct_writes(ctx) -> None:  # type: ignore[no-untyped-def]
    ctx.add(Decision(key="direct", title="Rechtstreeks", kind=DecisionKind.NOTA))
    with pytest.raises(WriteOutsideOperation, match="Decision"):
        ctx.flush()
    ctx.rollback()
    source = ctx.scalar(select(Source).where(Source.key == "vds"))
    source.title = "Rechtstreeks gewijzigd"
    # The operation would otherwise flush (and so launder) a change it did not make.
    with pytest.raises(WriteOutsideOperation, match="Source"):
        create_decision({"key": "via-operatie", "title": "Via de operatie", "kind": DecisionKind.NOTA}, None)


def test_update_writes_one_audit_entry_with_before_and_after(ctx) -> None:  # type: ignore[no-untyped-def]
    decision = ctx.scalar(select(Decision).where(Decision.key == "ana-00"))
    old_title = decision.title
    before = len(entries(ctx, decision))
    changes = update_decision(decision, {"title": "Nieuwe titel", "policy_domain": decision.policy_domain}, None)
    assert changes == {"title": (old_title, "Nieuwe titel")}
    logged = entries(ctx, decision)
    assert len(logged) == before + 1
    assert logged[-1].kind == "updated"
    # The version the change made (compare-and-swap) is recorded too, so a conflict can list it.
    assert logged[-1].data == {"before": {"title": old_title}, "after": {"title": "Nieuwe titel"},
                               "version": decision.version}
    # Nothing changed, nothing logged.
    assert update_decision(decision, {"title": "Nieuwe titel"}, None) == {}
    assert len(entries(ctx, decision)) == before + 1


def test_create_and_delete_are_audited_with_the_record(ctx) -> None:  # type: ignore[no-untyped-def]
    commitment = ctx.scalar(select(Commitment).where(Commitment.key == "vds/2.9"))
    decision = create_decision({"key": "test-dec", "title": "Testbeslissing", "kind": DecisionKind.NOTA,
                                "meeting_date": date(2024, 3, 1)}, None)
    assert entries(ctx, decision)[0].data["after"]["meeting_date"] == "2024-03-01"
    link = create_link({"commitment": commitment, "decision": decision, "relation": Relation.BEREIDT_VOOR,
                        "rationale": "Bereidt de uitvoering voor."}, None)
    assert entries(ctx, link)[0].data["after"]["commitment"] == "vds/2.9"
    link_id = link.id
    # A removed link is kept as history, with who removed it and why; the audit entry says so too.
    remove_link(link, "Verkeerd gekoppeld: een andere beslissing.", None)
    kept = ctx.get(Link, link_id)
    assert kept is not None and kept.removed_dt is not None and not kept.is_current
    assert kept.removal_reason == "Verkeerd gekoppeld: een andere beslissing."
    removed = ctx.scalar(select(LogEntry).where(LogEntry.target_type == "links", LogEntry.target_id == link_id,
                                                LogEntry.kind == "removed"))
    assert removed.data["before"]["removed_dt"] is None
    assert removed.data["after"]["removal_reason"] == "Verkeerd gekoppeld: een andere beslissing."
    # A commitment that nothing points to is deleted; its audit entry keeps it as it was.
    leaf = ctx.scalar(select(Commitment).where(Commitment.key == "vds/2.9.1/10"))
    leaf_id, title = leaf.id, leaf.title
    delete_commitment(leaf, None)
    assert ctx.get(Commitment, leaf_id) is None
    deleted = ctx.scalar(select(LogEntry).where(LogEntry.target_type == "commitments", LogEntry.target_id == leaf_id,
                                                LogEntry.kind == "deleted"))
    assert deleted.data["before"]["title"] == title


def test_refused_input_writes_nothing(ctx) -> None:  # type: ignore[no-untyped-def]
    count = ctx.scalar(select(func.count()).select_from(LogEntry))
    source = ctx.scalar(select(Source).where(Source.key == "vds"))
    cases = [
        (lambda: create_decision({"key": "ana-00", "title": "Dubbel", "kind": DecisionKind.NOTA}, None), "al een beslissing"),
        (lambda: create_decision({"key": "x", "title": "t" * 1001, "kind": DecisionKind.NOTA}, None), "te lang"),
        (lambda: create_decision({"key": "x", "title": "a\x00b", "kind": DecisionKind.NOTA}, None), "NUL"),
        (lambda: create_decision({"key": "x", "title": " ", "kind": DecisionKind.NOTA}, None), "verplicht"),
        (lambda: create_commitment({"key": "vds/2.9", "source": source, "level": Level.ENGAGEMENT, "title": "x"}, None),
         "al een engagement"),
        (lambda: create_budget_line({"year": 2024, "kind": BudgetKind.INVESTERING, "amount": 5}, None), "precies één"),
        (lambda: create_budget_line({"year": 2024, "month": 13, "kind": BudgetKind.INVESTERING, "amount": 5,
                                     "programme": ctx.scalar(select(Programme).limit(1))}, None), "Maand 13"),
    ]
    for attempt, message in cases:
        with pytest.raises(ValidationError, match=message):
            attempt()
        ctx.rollback()
    assert ctx.scalar(select(func.count()).select_from(LogEntry)) == count


def test_a_commitment_cannot_move_under_its_own_subtree(ctx) -> None:  # type: ignore[no-untyped-def]
    parent = ctx.scalar(select(Commitment).where(Commitment.key == "vds/2.3"))
    child = next(iter(parent.children))
    with pytest.raises(ValidationError, match="onder zichzelf"):
        update_commitment(parent, {"parent": child}, None)


def test_compare_and_swap_on_the_version_with_two_sessions(app) -> None:  # type: ignore[no-untyped-def]
    """Two editors load version N; the first to save wins, the second gets Conflict and writes nothing."""
    with app.app_context():
        commitment_id = db.session.scalar(select(Commitment.id).where(Commitment.key == "vds/2.9"))
    with app.app_context():  # the second editor's request, in its own session and transaction
        theirs = db.session.get(Commitment, commitment_id)
        seen = theirs.version
        with app.app_context():  # meanwhile, the first editor's request commits
            mine = db.session.get(Commitment, commitment_id)
            assert mine is not theirs
            update_commitment(mine, {"title": "Eerste redacteur"}, None, seen_version=seen)
            db.session.commit()
        assert theirs.version == seen  # the second editor's session still holds version N
        with pytest.raises(Conflict):
            update_commitment(theirs, {"title": "Tweede redacteur"}, None, seen_version=seen)
        db.session.rollback()
    with app.app_context():
        # The second editor's page was served (its transaction ended) before the first editor saved;
        # the compare-and-swap in the database, not the copy in memory, refuses the stale version.
        stale = db.session.get(Commitment, commitment_id)
        seen = stale.version
        db.session.commit()
        with app.app_context():
            update_commitment(db.session.get(Commitment, commitment_id), {"title": "Derde versie"}, None,
                              seen_version=seen)
            db.session.commit()
        assert stale.version == seen
        with pytest.raises(Conflict) as info:
            update_commitment(stale, {"title": "Tweede redacteur"}, None, seen_version=seen)
        assert info.value.changes == ["Het systeem: engagement vds/2.9 bijgewerkt"]
        db.session.rollback()
        assert db.session.get(Commitment, commitment_id).title == "Derde versie"


def test_renaming_dependants_goes_through_operations(ctx) -> None:  # type: ignore[no-untyped-def]
    organisation = ctx.scalar(select(Organisation).limit(1))
    programme = ctx.scalar(select(Programme).where(Programme.key == "vrd3"))
    assert update_organisation(organisation, {"name": organisation.name + " (nieuw)"}, None)
    assert update_programme(programme, {"name": "Vlaanderen Radicaal Digitaal III"}, None)
    assert entries(ctx, programme)[-1].data["after"] == {"name": "Vlaanderen Radicaal Digitaal III"}
    assert ctx.scalar(select(func.count()).select_from(Project).where(Project.programme_id == programme.id)) > 0
    assert ctx.scalar(select(func.count()).select_from(BudgetLine)) > 0
