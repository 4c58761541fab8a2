"""The one as-of rule, on every page that takes ?op= and in every roll-up (tracker.asof)."""
from __future__ import annotations

import random
import re
from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import select

from tracker.accounts.operations import create_user
from tracker.commitments.models import Commitment, Link, Relation
from tracker.commitments.operations import create_link
from tracker.commitments.queries import combined_rollup, source_tree, statuses_on
from tracker.core.clock import today as brussels_today
from tracker.core.db import db
from tracker.core.errors import InvalidTransition, ValidationError
from tracker.decisions.models import Decision
from tracker.projects.models import Project
from tracker.projects.queries import project_euros
from tracker.sources.models import Source
from tracker.workflow.models import StatusChange
from tracker.workflow.operations import EvidenceInput, approve_proposal, propose_status
from tracker.workflow.status import NotRealisedReason, Status

SECTION = "ra-2019/bestuurzaken/3.2.3"


def ids(app, model, key):  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(model.id).where(model.key == key))


def test_home_in_2019_shows_neither_the_later_agreement_nor_its_budgets(app, client) -> None:  # type: ignore[no-untyped-def]
    today = client.get("/").get_data(as_text=True)
    assert "Regeerakkoord Vlaamse Regering 2024-2029" in today and "€ 39.500.000" in today
    before = client.get("/?op=2019-01-01").get_data(as_text=True)
    assert "Regeerakkoord Vlaamse Regering 2024-2029" not in before
    assert "€ 39.500.000" not in before
    assert "Vlaamse Digitale Strategie" not in before
    # The 2019-2024 agreement counts from the day its government took office.
    assert "Regeerakkoord Vlaamse Regering 2019-2024" not in client.get("/?op=2019-10-01").get_data(as_text=True)
    assert "Regeerakkoord Vlaamse Regering 2019-2024" in client.get("/?op=2019-10-02").get_data(as_text=True)


def test_budget_lines_of_later_years_do_not_count(ctx) -> None:  # type: ignore[no-untyped-def]
    ra_2024 = ctx.scalar(select(Source).where(Source.key == "ra-2024"))
    assert combined_rollup(source_tree(ra_2024.id)).euro == 39_500_000
    # The agreement existed at the end of 2025, the VRD 3 budgets of 2026 did not count yet.
    end_2025 = source_tree(ra_2024.id, date(2025, 12, 31))
    assert end_2025 and combined_rollup(end_2025).euro == 0
    assert combined_rollup(source_tree(ra_2024.id, date(2026, 1, 13))).euro == 39_500_000
    assert source_tree(ra_2024.id, date(2024, 9, 29)) == []
    # VRD 2's projects were approved on 27 November 2020, their budget is for 2021.
    project = ctx.scalar(select(Project).where(Project.key == "vrd2/21.4"))
    section = ctx.scalar(select(Commitment).where(Commitment.key == SECTION))
    create_link({"commitment": section, "project": project, "relation": Relation.FINANCIERT}, None)
    ra_2019 = ctx.scalar(select(Source).where(Source.key == "ra-2019"))
    euros = project_euros([project.id])[project.id]
    assert euros > 0
    assert combined_rollup(source_tree(ra_2019.id, date(2020, 11, 26))).euro == 0
    assert combined_rollup(source_tree(ra_2019.id, date(2020, 12, 31))).euro == 0
    assert combined_rollup(source_tree(ra_2019.id, date(2021, 1, 1))).euro == euros


def test_source_page_as_of_lists_only_decisions_met_by_then(app, client) -> None:  # type: ignore[no-untyped-def]
    analysis = ids(app, Source, "analyse-ra-2019-3.2.3")
    page = client.get(f"/bronnen/{analysis}?op=2020-12-31").get_data(as_text=True)
    with app.app_context():
        expected = db.session.scalars(
            select(Decision.title).join(Decision.sources).where(Source.id == analysis,
                                                                Decision.meeting_date <= date(2020, 12, 31))).all()
        later = db.session.scalars(
            select(Decision.title).join(Decision.sources).where(Source.id == analysis,
                                                                Decision.meeting_date > date(2020, 12, 31))).all()
    assert expected and later
    assert f"{len(expected)} beslissingen" in page
    for title in later:
        assert f">{title}<" not in page
    assert len(re.findall(r'href="/beslissingen/[0-9]+"', page)) == len(expected)
    early = client.get(f"/bronnen/{analysis}?op=2019-06-30").get_data(as_text=True)
    assert "bestond deze bron nog niet" in early
    assert re.findall(r'href="/beslissingen/[0-9]+"', early) == []


def test_commitment_page_as_of_counts_only_links_whose_decisions_existed(app, client) -> None:  # type: ignore[no-untyped-def]
    section = ids(app, Commitment, SECTION)
    day = date(2021, 6, 30)
    with app.app_context():
        linked = db.session.execute(select(Decision.title, Decision.meeting_date).join(Link, Link.decision_id == Decision.id)
                                    .where(Link.commitment_id == section)).all()
    before = [t for t, d in linked if d <= day]
    after = [t for t, d in linked if d > day]
    assert before and after
    page = client.get(f"/engagementen/{section}?op={day.isoformat()}").get_data(as_text=True)
    for title in after:
        assert str(escape(title)) not in page
    assert sum(str(escape(title)) in page for title in before) == len(before)


def test_every_page_with_op_answers_for_extreme_dates(app, client) -> None:  # type: ignore[no-untyped-def]
    section = ids(app, Commitment, SECTION)
    source = ids(app, Source, "ra-2019")
    for url in ("/", f"/bronnen/{source}", f"/engagementen/{section}"):
        for day in ("0001-01-01", "1970-01-01", "9999-12-31"):
            response = client.get(f"{url}?op={day}")
            assert response.status_code == 200, (url, day)
            assert response.headers["Content-Type"].startswith("text/html")


def _random_history(ctx, rng: random.Random, steps: int) -> Commitment:  # type: ignore[no-untyped-def]
    """Proposals and corrections with random statuses and dates, some refused, all through the workflow."""
    editor = create_user(f"e{rng.random()}", "Redacteur", "editor")
    reviewer = create_user(f"r{rng.random()}", "Beoordelaar", "reviewer")
    c = ctx.scalar(select(Commitment).where(Commitment.key == "vds/2.3"))
    analysis = ctx.scalar(select(Source).where(Source.key == "analyse-ra-2019-3.2.3"))
    evidence = [EvidenceInput("source", analysis.id, "De regering heeft haar beloften overwegend nagekomen.")]
    today = brussels_today()
    for _ in range(steps):
        latest = ctx.scalar(select(StatusChange).where(StatusChange.commitment_id == c.id)
                            .order_by(StatusChange.id.desc()).limit(1))
        corrects = latest if latest is not None and rng.random() < 0.4 else None
        status = rng.choice([s for s in Status if s is not Status.NIET_BEOORDEELD])
        day = date(2020, 1, 1) + timedelta(days=rng.randrange((today - date(2020, 1, 1)).days + 30))
        try:
            proposal = propose_status(
                c, to_status=status, effective_date=day, motivation="Een motivering die lang genoeg is.",
                actor=editor, seen_version=c.version, evidence=evidence, corrects=corrects,
                reason=NotRealisedReason.ANDERE if status is Status.NIET_GEREALISEERD else None)
            approve_proposal(proposal, reviewer)
        except (ValidationError, InvalidTransition):
            ctx.rollback()
            c = ctx.scalar(select(Commitment).where(Commitment.key == "vds/2.3"))
            continue
        ctx.commit()
        # The rule that holds whatever the history: the current status is the status as of today.
        assert statuses_on(today, [c.id]).get(c.id, Status.NIET_BEOORDEELD) is c.status
    return c


@pytest.mark.parametrize("seed", range(4))
def test_current_status_equals_the_status_as_of_today_whatever_the_history(app, seed) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        c = _random_history(db.session, random.Random(seed), 25)
        assert db.session.scalar(select(StatusChange.id).where(StatusChange.commitment_id == c.id)) is not None
        commitment_id, status = c.id, c.status
    client = app.test_client()
    page = client.get(f"/engagementen/{commitment_id}").get_data(as_text=True)
    as_of_today = client.get(f"/engagementen/{commitment_id}?op={brussels_today().isoformat()}").get_data(as_text=True)

    def shown(html: str) -> str:
        return re.search(r'class="status-line"><span class="status status-([a-z_]+)"', html).group(1)

    assert shown(page) == shown(as_of_today) == status.value


def test_a_correction_cannot_be_dated_before_the_change_it_follows(ctx) -> None:  # type: ignore[no-untyped-def]
    editor = create_user("els", "Els", "editor")
    reviewer = create_user("bart", "Bart", "reviewer")
    c = ctx.scalar(select(Commitment).where(Commitment.key == "vds/2.3"))
    analysis = ctx.scalar(select(Source).where(Source.key == "analyse-ra-2019-3.2.3"))
    evidence = [EvidenceInput("source", analysis.id, "De regering heeft haar beloften overwegend nagekomen.")]

    def change(status, day, corrects=None):  # type: ignore[no-untyped-def]
        proposal = propose_status(c, to_status=status, effective_date=day, motivation="Motivering van de wijziging.",
                                  actor=editor, seen_version=c.version, evidence=evidence, corrects=corrects)
        return approve_proposal(proposal, reviewer)

    change(Status.IN_VOORBEREIDING, date(2022, 1, 1))
    second = change(Status.IN_UITVOERING, date(2023, 1, 1))
    ctx.commit()
    with pytest.raises(ValidationError, match="1 januari 2022 of later"):
        change(Status.GEDEELTELIJK, date(2021, 6, 1), corrects=second)
    ctx.rollback()
    c = ctx.scalar(select(Commitment).where(Commitment.key == "vds/2.3"))
    second = ctx.get(StatusChange, second.id)
    # On or after the change it follows is fine, even before the corrected row's own date.
    correction = change(Status.GEDEELTELIJK, date(2022, 6, 1), corrects=second)
    assert c.status is Status.GEDEELTELIJK and c.status_since == date(2022, 6, 1)
    assert statuses_on(brussels_today(), [c.id])[c.id] is Status.GEDEELTELIJK
    assert statuses_on(date(2022, 3, 1), [c.id])[c.id] is Status.IN_VOORBEREIDING
    assert correction.corrects_id == second.id
