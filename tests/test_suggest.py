"""Suggestions of the commitments a decision serves: ranked, explained, learning from links, measured."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from tests.conftest import ROOT, commitment
from tests.test_import import imported_app, imported_db, needs_real_data  # noqa: F401  (fixtures)
from tracker.commitments.models import Relation
from tracker.commitments.operations import create_link
from tracker.core.db import db
from tracker.core.errors import ValidationError
from tracker.decisions.models import Decision, DecisionKind
from tracker.decisions.operations import create_decision
from tracker.suggest.operations import dismiss_suggestion
from tracker.suggest.ranker import suggest

LABELS = ROOT / "tests" / "data" / "suggest-labels.jsonl"
MOTIVATION = "De beslissing voert dit engagement uit, zie de tekst van de nota."


def new_decision(title: str, text: str = "") -> Decision:
    return create_decision({"key": title[:40].lower().replace(" ", "-"), "title": title, "text": text,
                            "kind": DecisionKind.NOTA, "meeting_date": date(2023, 5, 5)}, None)


def test_the_labelled_set_is_real_decisions_and_sections() -> None:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) >= 60
    assert all(row["sections"] and row["why"] and row["site_id"] for row in rows)
    assert len({row["site_id"] for row in rows}) == len(rows)
    chapters = {key.split("/")[1] for row in rows for key in row["sections"]}
    assert len(chapters) >= 15  # spread over the agreement, not one policy field


def test_suggestions_rank_explain_and_leave_linked_commitments_out(ctx) -> None:  # type: ignore[no-untyped-def]
    decision = ctx.scalar(select(Decision).where(Decision.key == "ana-05"))
    ranked = suggest(decision, 10)
    assert ranked and ranked == sorted(ranked, key=lambda s: -s.score)
    assert all(s.commitment.level.value not in ("deel", "hoofdstuk") for s in ranked)
    linked = commitment(ctx, "ra-2019/bestuurzaken/3.2.3")
    assert linked.id not in {s.commitment.id for s in ranked}  # already linked: nothing to suggest
    assert ranked[0].reasons and ranked[0].reasons[0].startswith("gemeenschappelijke woorden: ")


def test_confirmed_links_teach_the_ranking_and_dismissals_are_remembered(ctx) -> None:  # type: ignore[no-untyped-def]
    target = commitment(ctx, "vds/2.3")
    first = new_decision("Zeppelinhangar in Kortrijk: bouw van een luchtschiphaven")
    second = new_decision("Zeppelinhangar in Kortrijk: tweede fase van de luchtschiphaven")
    ctx.commit()
    before = [s.commitment.id for s in suggest(second, 20)]
    assert target.id not in before[:3]
    create_link({"commitment": target, "decision": first, "relation": Relation.REALISEERT,
                 "rationale": MOTIVATION}, None)
    ctx.commit()
    after = suggest(second, 20)
    assert after[0].commitment.id == target.id
    assert any("gelijkaardige beslissingen zijn hier al gekoppeld" in r for r in after[0].reasons)
    with pytest.raises(ValidationError, match="minstens 10 tekens"):
        dismiss_suggestion(second, target, "nee", None)
    ctx.rollback()
    dismiss_suggestion(second, target, "Gaat over een andere hangar, niet over data.", None)
    ctx.commit()
    assert target.id not in {s.commitment.id for s in suggest(second, 50)}


def test_cli_json(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["suggest", "ana-05", "--limit", "3", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 3
    assert set(rows[0]) >= {"key", "reference", "title", "path", "score"}
    assert rows[0]["path"][-1].endswith(rows[0]["title"]) and rows[0]["score"] >= rows[1]["score"]
    missing = runner.invoke(args=["suggest", "bestaat-niet"])
    assert missing.exit_code != 0 and "bestaat niet" in missing.output


@pytest.mark.slow
@needs_real_data
def test_recall_on_the_labelled_real_decisions(imported_app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from tracker.suggest.cli import evaluate

    with imported_app.app_context():
        figures = evaluate(LABELS)
        db.session.rollback()
    assert figures["recall@3"] >= 0.70 and figures["recall@10"] >= 0.90, figures
