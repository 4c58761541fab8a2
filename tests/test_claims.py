"""The documents' own claims (counts, amounts), beside what the tracker counts in its own data."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tracker.claims.models import StatedClaim
from tracker.claims.operations import create_claim
from tracker.claims.queries import check
from tracker.commitments.models import Commitment, Level
from tracker.core.errors import ValidationError
from tracker.projects.models import (
    BudgetLine,
    Programme,
    Project,
    ProjectLevel,
    StatedTotal,
)
from tracker.sources.models import Source


def total(ctx, key: str) -> StatedTotal:  # type: ignore[no-untyped-def]
    return ctx.scalar(select(StatedTotal).where(StatedTotal.key == key))


def counted_directly(ctx) -> dict[str, int]:  # type: ignore[no-untyped-def]
    vds = ctx.scalar(select(Source.id).where(Source.key == "vds"))
    vrd2, vrd3 = (ctx.scalar(select(Programme.id).where(Programme.key == k)) for k in ("vrd2", "vrd3"))
    return {
        "000-exploitatie-18-projecten": ctx.scalar(select(func.count()).select_from(BudgetLine).where(
            BudgetLine.total_id == total(ctx, "vrd-exploitatie-2026").id)),
        "000-vrd3-20-5-meur": ctx.scalar(select(func.sum(BudgetLine.amount)).where(
            BudgetLine.total_id == total(ctx, "vrd3-2026-investering").id)),
        "001-vijf-speerpunten": ctx.scalar(select(func.count()).select_from(Project).where(
            Project.programme_id == vrd3, Project.execution_year == 2026, Project.level == ProjectLevel.SPEERPUNT)),
        "003-36-actiepunten": ctx.scalar(select(func.count()).select_from(Commitment).where(
            Commitment.source_id == vds, Commitment.level == Level.ACTIEPUNT)),
        "002-acht-projecten": ctx.scalar(select(func.count()).select_from(Project).where(
            Project.programme_id == vrd2, Project.execution_year == 2021)),
    }


def test_the_five_claims_of_the_seed_documents(ctx) -> None:  # type: ignore[no-untyped-def]
    checked = {c.claim.key: c for c in check(ctx.scalars(select(StatedClaim)))}
    direct = counted_directly(ctx)
    assert {key: c.counted for key, c in checked.items()} == direct
    # What the documents say against what they contain (issue #10).
    assert {key: (c.claim.claimed, c.counted) for key, c in checked.items()} == {
        "000-exploitatie-18-projecten": (18, 15),
        "000-vrd3-20-5-meur": (20_500_000, 39_500_000),
        "001-vijf-speerpunten": (5, 6),
        "003-36-actiepunten": (36, 45),
        "002-acht-projecten": (8, 9),
    }
    assert checked["000-vrd3-20-5-meur"].difference == 19_000_000


def test_each_source_lists_its_claims(client, ctx) -> None:  # type: ignore[no-untyped-def]
    pages = {}
    for key in ("nota-vrd3-2026", "vds", "nota-vrd2-2021", "nieuws-2026-01-13"):
        source = ctx.scalar(select(Source).where(Source.key == key))
        response = client.get(f"/bronnen/{source.id}/beweringen")
        assert response.status_code == 200
        pages[key] = response.get_data(as_text=True)
    page = pages["nota-vrd3-2026"]
    assert "verdeeld over 18 projecten of projectclusters" in page
    assert "<td>18</td>" in page and "<td>15</td>" in page and "⚠ verschil -3" in page
    assert "€ 20.500.000" in page and "€ 39.500.000" in page and "⚠ verschil € 19.000.000" in page
    assert "niet minder dan 36 actiepunten" in pages["vds"] and "⚠ verschil +9" in pages["vds"]
    assert "acht projecten" in pages["nota-vrd2-2021"] and "⚠ verschil +1" in pages["nota-vrd2-2021"]
    assert "Vijf speerpunten" in pages["nieuws-2026-01-13"] and "⚠ verschil +1" in pages["nieuws-2026-01-13"]
    analysis = ctx.scalar(select(Source).where(Source.key == "analyse-ra-2019-3.2.3"))
    assert "geen beweringen vastgelegd" in client.get(f"/bronnen/{analysis.id}/beweringen").get_data(as_text=True)


def test_a_claim_needs_what_its_measure_counts(ctx) -> None:  # type: ignore[no-untyped-def]
    source = ctx.scalar(select(Source).where(Source.key == "vds"))
    data = {"key": "x", "source": source, "quote": "drie punten", "claimed": 3, "measure": "projects",
            "counted_what": "projecten"}
    with pytest.raises(ValidationError, match="wat de tracker telt"):
        create_claim(data, None)
    from tracker.claims.models import Measure

    with pytest.raises(ValidationError, match="het programma nodig") as refused:
        create_claim({**data, "measure": Measure.PROJECTS}, None)
    assert refused.value.field == "programme"


def test_decision_and_programme_pages_show_their_claims(client, ctx) -> None:  # type: ignore[no-untyped-def]
    from tracker.decisions.models import Decision

    decision = ctx.scalar(select(Decision).where(Decision.key == "vrd3-2026"))
    page = client.get(f"/beslissingen/{decision.id}").get_data(as_text=True)
    assert "Wat het document zelf zegt, nagekeken" in page and "18 projecten of projectclusters" in page
    vrd3 = ctx.scalar(select(Programme).where(Programme.key == "vrd3"))
    page = client.get(f"/programmas/{vrd3.id}").get_data(as_text=True)
    assert "Vijf speerpunten" in page and "20.5 MEUR" in page


def test_titles_of_the_editors_are_marked_on_screen(client, ctx) -> None:  # type: ignore[no-untyped-def]
    marked = ctx.scalar(select(Project).where(Project.key == "vrd3-2026/sp5/formulierentool"))
    printed = ctx.scalar(select(Project).where(Project.key == "vrd3-2026/sp5"))
    assert "(titel van de redactie)" in client.get(f"/projecten/{marked.id}").get_data(as_text=True)
    assert "(titel van de redactie)" not in client.get(f"/projecten/{printed.id}").get_data(as_text=True)


def test_checking_many_claims_takes_one_query(app) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select as select_

    from tests.test_queries import counted
    from tracker.claims.models import StatedClaim
    from tracker.claims.queries import check
    from tracker.core.db import db as db_

    with app.app_context():
        claims = list(db_.session.scalars(select_(StatedClaim)))
        assert len(claims) >= 5  # every claim of the seeds, of every measure
        one_by_one = {c.key: check([c])[0].counted for c in claims}
        with counted(app) as statements:
            together = check(claims)
        assert len(statements) == 1
        assert {c.claim.key: c.counted for c in together} == one_by_one
