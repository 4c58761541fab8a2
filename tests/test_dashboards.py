"""The staff's dashboards: every number equals the one computed directly from the database."""
from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.conftest import commitment
from tests.test_import import imported_app, imported_db, needs_real_data  # noqa: F401  (fixtures)
from tracker.commitments.models import Commitment, Link
from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.projects.models import (
    BudgetKind,
    BudgetLine,
    Programme,
    Project,
    StatedTotal,
)
from tracker.sources.models import Source
from tracker.workflow.models import StatusChange
from tracker.workflow.status import Status

SECTION = "ra-2019/bestuurzaken/3.2.3"


def source(ctx, key: str) -> Source:  # type: ignore[no-untyped-def]
    return ctx.scalar(select(Source).where(Source.key == key))


def counted_statuses(ctx, source_id: int, under: int | None = None) -> Counter:  # type: ignore[no-untyped-def]
    """Directly: the commitments that count in a roll-up (leaves, and assessed nodes) by status."""
    rows = ctx.execute(select(Commitment.id, Commitment.parent_id, Commitment.status)
                       .where(Commitment.source_id == source_id)).all()
    parents = {parent for _, parent, _ in rows if parent is not None}
    parent_of = {cid: parent for cid, parent, _ in rows}

    def inside(cid: int) -> bool:
        while cid is not None:
            if cid == under:
                return True
            cid = parent_of.get(cid)
        return under is None

    return Counter(status for cid, _, status in rows
                   if inside(cid) and (cid not in parents or status is not Status.NIET_BEOORDEELD))


def table_counts(page: str) -> Counter:
    table = page.split("<caption>Aantal engagementen per status</caption>")[1].split("</table>")[0]
    found = re.findall(r'status-(\w+)".*?</th><td class="n">(\d+)</td>', table)
    return Counter({Status(value): int(n) for value, n in found})


@pytest.mark.parametrize("key", ["vds", "ra-2019", "nota-vrd2-2021"])
def test_status_distribution_equals_the_database(client, ctx, key: str) -> None:  # type: ignore[no-untyped-def]
    s = source(ctx, key)
    page = client.get(f"/voortgang/{s.id}").get_data(as_text=True)
    assert table_counts(page) == counted_statuses(ctx, s.id)
    assert '<svg role="img"' in page and "<desc id=" in page  # a chart with its text alternative


def test_progress_per_child_and_the_list_filters(client, ctx) -> None:  # type: ignore[no-untyped-def]
    s = source(ctx, "vds")
    children = list(ctx.scalars(select(Commitment).where(Commitment.source_id == s.id, Commitment.parent_id.is_(None))))
    page = client.get(f"/voortgang/{s.id}").get_data(as_text=True)
    for child in children:
        expected = sum(counted_statuses(ctx, s.id, child.id).values())
        assert re.search(rf">{re.escape(child.label)}</a></th>\s*<td class=\"n\">{expected}</td>", page), child.label
    one = children[0]
    sub = client.get(f"/voortgang/{s.id}?knoop={one.id}").get_data(as_text=True)
    assert table_counts(sub) == counted_statuses(ctx, s.id, one.id)
    total = sum(counted_statuses(ctx, s.id).values())
    assert f"Engagementen ({total})" in page
    domain = ctx.scalar(select(Commitment.policy_domain).where(Commitment.source_id == s.id,
                                                              Commitment.policy_domain != "").limit(1))
    filtered = client.get(f"/voortgang/{s.id}?domein={domain}").get_data(as_text=True)
    shown = int(re.search(r"Engagementen \((\d+)\)", filtered).group(1))
    assert 0 < shown <= total
    with_budget = client.get(f"/voortgang/{s.id}?budget=met").get_data(as_text=True)
    without = client.get(f"/voortgang/{s.id}?budget=zonder").get_data(as_text=True)
    counts = [int(re.search(r"Engagementen \((\d+)\)", p).group(1)) for p in (with_budget, without)]
    linked = ctx.scalar(select(func.count(func.distinct(Link.commitment_id))).join(
        Commitment, Commitment.id == Link.commitment_id).where(Commitment.source_id == s.id,
                                                             Link.project_id.is_not(None)))
    assert sum(counts) == total and counts[0] <= linked
    old = client.get(f"/voortgang/{s.id}?bewijs_voor=1990-01-01").get_data(as_text=True)
    never = int(re.search(r"Engagementen \((\d+)\)", old).group(1))
    # Only commitments without any evidence are older than 1990; the first page shows up to 50.
    assert min(never, 50) == sum(1 for _ in re.finditer(r"<td>nog geen</td>", old)) > 0
    bad = client.get(f"/voortgang/{s.id}?sorteer=kleur")
    assert bad.status_code == 400 and "Onbekende sortering" in bad.get_data(as_text=True)
    assert client.get(f"/voortgang/{s.id}?status=blauw").status_code == 400
    assert client.get(f"/voortgang/{s.id}?knoop=999999").status_code == 404


def test_last_evidence_and_sorting(client, ctx) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx, SECTION)
    latest_decision = ctx.scalar(select(func.max(Decision.meeting_date)).join(Link, Link.decision_id == Decision.id)
                                 .where(Link.commitment_id == c.id))
    latest_change = ctx.scalar(select(func.max(StatusChange.effective_date)).where(StatusChange.commitment_id == c.id))
    expected = max(d for d in (latest_decision, latest_change) if d)
    s = c.source
    page = client.get(f"/voortgang/{s.id}?sorteer=bewijs").get_data(as_text=True)
    rows = re.findall(r'<tr><td><a href="/engagementen/(\d+)[^"]*">.*?</td>\s*<td>.*?</td><td>(.*?)</td>', page, re.S)
    assert rows[0][0] == str(c.id)  # the most recent evidence first
    from tracker.parsing import format_dutch_date

    assert rows[0][1] == format_dutch_date(expected)


def test_money_per_programme_counts_each_line_once(client, ctx) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/geld").get_data(as_text=True)
    # The VRD 3 2026 investment equals the total the note states: speerpunt lines count, not also
    # the project lines they include.
    stated = ctx.scalar(select(StatedTotal.amount).where(StatedTotal.key == "vrd3-2026-investering"))
    vrd3 = ctx.scalar(select(Programme).where(Programme.key == "vrd3"))
    top_level = ctx.scalar(select(func.sum(BudgetLine.amount)).join(Project, Project.id == BudgetLine.project_id)
                           .where(Project.programme_id == vrd3.id, Project.parent_id.is_(None),
                                  BudgetLine.kind == BudgetKind.INVESTERING))
    assert stated == top_level == 39_500_000
    table = page.split("<caption>Beslist budget per programma</caption>")[1].split("</table>")[0]
    assert re.search(r"Vlaanderen Radicaal Digitaal 3</th><td class=\"n\">€ 39\.500\.000</td>", table)
    everything = ctx.scalar(select(func.sum(BudgetLine.amount)).where(
        BudgetLine.kind.in_((BudgetKind.INVESTERING, BudgetKind.EXPLOITATIE))))
    parts = ctx.scalar(select(func.sum(BudgetLine.amount)).join(Project, Project.id == BudgetLine.project_id)
                       .where(Project.parent_id.is_not(None), BudgetLine.kind == BudgetKind.INVESTERING))
    # Every line once, but for the parts of a line that counts itself.
    total = int(re.search(r"Totaal</th><td class=\"n\">[^<]*</td><td class=\"n\">[^<]*</td>"
                          r"<td class=\"n\">€ ([\d.]+)</td>", table).group(1).replace(".", ""))
    assert total == everything - parts
    assert "⚠" in page and "Betaalprognose" not in table


def test_decisions_per_month_of_a_chapter(client, ctx) -> None:  # type: ignore[no-untyped-def]
    c = commitment(ctx, SECTION)
    page = client.get(f"/tijd/{c.source_id}?knoop={c.id}").get_data(as_text=True)
    months = Counter(f"{d:%Y-%m}" for _, d in ctx.execute(
        select(Decision.id, Decision.meeting_date).join(Link, Link.decision_id == Decision.id).where(
            Link.commitment_id.in_([c.id] + [k.id for k in c.children])).distinct()))
    shown = dict(re.findall(r'<time datetime="(\d{4}-\d\d)">\d{4}-\d\d</time></th><td class="n">(\d+)</td>', page))
    assert {m: int(n) for m, n in shown.items() if int(n)} == dict(months)
    assert sum(months.values()) == 35


def test_term_elapsed_beside_progress_as_of_a_date(client, ctx) -> None:  # type: ignore[no-untyped-def]
    s = source(ctx, "ra-2019")
    page = client.get(f"/tijd/{s.id}?op=2022-04-01").get_data(as_text=True)
    start, end, day = date(2019, 10, 2), date(2024, 9, 30), date(2022, 4, 1)
    elapsed = round(100 * (day - start).days / (end - start).days)
    assert f"Regeertermijn verstreken (2 oktober 2019 tot 30 september 2024)</th><td class=\"n\">{elapsed} %" in page
    # On 1 April 2022 nothing was assessed yet (the assessment took effect in November 2022).
    assert "Engagementen nagekomen, gewogen naar status</th><td class=\"n\">–" in page
    later = client.get(f"/tijd/{s.id}?op=2023-01-01").get_data(as_text=True)
    assert "gewogen naar status</th><td class=\"n\">–" not in later


def test_stalled_commitments(client, ctx) -> None:  # type: ignore[no-untyped-def]
    s = source(ctx, "ra-2019")
    page = client.get(f"/stilgevallen?bron={s.id}&maanden=12&op=2024-06-30").get_data(as_text=True)
    section = commitment(ctx, SECTION)
    # 3.2.3 had decisions within the year before 30 June 2024? Compute it directly.
    latest = ctx.scalar(select(func.max(Decision.meeting_date)).join(Link, Link.decision_id == Decision.id)
                        .where(Link.commitment_id == section.id, Decision.meeting_date <= date(2024, 6, 30)))
    quiet = (2024 - latest.year) * 12 + 6 - latest.month - (30 < latest.day)
    listed = f'/engagementen/{section.id}?op=2024-06-30">{section.label}</a>' in page
    assert listed == (quiet >= 12)
    never = sum(1 for _ in re.finditer(r"<td>nooit</td>", page))
    assert never > 0 and "Stilgevallen engagementen" in page
    assert client.get("/stilgevallen?maanden=0").status_code == 400
    assert client.get("/stilgevallen?maanden=veel").status_code == 400


@pytest.mark.slow
@needs_real_data
def test_real_data_distribution_and_pages_stay_fast(imported_app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from sqlalchemy import event

    client = imported_app.test_client()
    with imported_app.app_context():
        s = db.session.scalar(select(Source).where(Source.key == "ra-2019"))
        expected = counted_statuses(db.session, s.id)
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            page = client.get(f"/voortgang/{s.id}").get_data(as_text=True)
            progress_queries = len(statements)
            statements.clear()
            client.get(f"/stilgevallen?bron={s.id}")
            stalled_queries = len(statements)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
    assert table_counts(page) == expected and sum(expected.values()) > 200
    assert progress_queries < 15 and stalled_queries < 15  # no query per commitment
