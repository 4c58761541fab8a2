"""The seed data: what the five documents say, loaded idempotently and checked against their totals."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import SEEDS
from tracker.commitments.models import Commitment, Level, Link
from tracker.decisions.models import Decision, DecisionDocument
from tracker.importers.seeds import SeedError, load_seeds
from tracker.projects.models import BudgetKind, BudgetLine, Project, StatedTotal
from tracker.sources.models import Source


def _total(session, key: str) -> StatedTotal:  # type: ignore[no-untyped-def]
    return session.scalar(select(StatedTotal).where(StatedTotal.key == key))


def test_counts_match_the_documents(ctx) -> None:  # type: ignore[no-untyped-def]
    vds = ctx.scalar(select(Source).where(Source.key == "vds"))
    by_level = dict(ctx.execute(
        select(Commitment.level, func.count()).where(Commitment.source_id == vds.id)
        .group_by(Commitment.level)).all())
    assert by_level[Level.SPEERPUNT] == 9
    assert by_level[Level.PRINCIPE] == 10
    # Every action heading under 2.1.4 to 2.8.4 (the document claims 36; its headings number 45).
    assert by_level[Level.ACTIEPUNT] == 45
    analysis = ctx.scalar(select(Source).where(Source.key == "analyse-ra-2019-3.2.3"))
    assert len([d for d in ctx.scalars(select(Decision)) if analysis in d.sources]) == 35


def test_section_323_has_its_text_sub_commitment_and_35_decisions(ctx) -> None:  # type: ignore[no-untyped-def]
    section = ctx.scalar(select(Commitment).where(Commitment.key == "ra-2019/bestuurzaken/3.2.3"))
    assert section.title == "ICT en Informatie"
    assert "Vlaanderen Radicaal Digitaal" in section.text
    assert [c.title for c in section.children] == ["We stellen data maximaal en via API's open ter beschikking"]
    linked = ctx.scalars(select(Link).where(Link.commitment_id == section.id, Link.decision_id.is_not(None))).all()
    assert len(linked) == 35
    assert [a.title for a in (section.parent, section.parent.parent)] == ["Concrete voorstellen", "Bestuurzaken"]


def test_vrd2_2021_projects_and_totals(ctx) -> None:  # type: ignore[no-untyped-def]
    projects = ctx.scalars(select(Project).where(Project.key.like("vrd2/21.%")).order_by(Project.code)).all()
    # The note's "portfolio van acht projecten" is 21.1 to 21.8; 21.0 is portfolio management.
    assert [p.code for p in projects] == [f"21.{i}" for i in range(9)]
    portfolio = _total(ctx, "vrd2-2021-portfolio")
    assert portfolio.amount == 5_000_000
    assert portfolio.sum_of_parts == 5_000_000
    assert sum(line.amount for p in projects for line in p.budget_lines) == 5_000_000
    decision = ctx.scalar(select(DecisionDocument).where(
        DecisionDocument.canonical == "VR 2020 2711 DOC.1294/1")).decision
    assert decision.meeting_date.isoformat() == "2020-11-27"
    assert {p.decision for p in projects} == {decision}
    # The seeds' own summary counts them right: eight projects plus portfolio management, nine codes.
    assert "acht projecten (21.0 tot 21.8)" not in decision.summary
    assert "acht projecten (21.1 tot 21.8) en het portfoliobeheer (21.0)" in decision.summary


def test_payment_forecast_difference_is_kept_not_hidden(ctx) -> None:  # type: ignore[no-untyped-def]
    forecast = _total(ctx, "vrd2-2021-betaalprognose")
    assert forecast.amount == 5_000_000
    assert len(forecast.lines) == 12
    assert {line.month for line in forecast.lines} == set(range(1, 13))
    assert forecast.sum_of_parts == 4_999_998
    assert forecast.difference == 2


def test_vrd3_2026_totals(ctx) -> None:  # type: ignore[no-untyped-def]
    investment = _total(ctx, "vrd3-2026-investering")
    assert investment.amount == 39_500_000
    assert investment.sum_of_parts == 39_500_000
    assert len(investment.lines) == 6
    operating = _total(ctx, "vrd-exploitatie-2026")
    assert operating.amount == 15_000_000
    assert operating.sum_of_parts == 15_000_000
    assert len(operating.lines) == 15
    assert all(line.organisation is not None and line.kind is BudgetKind.EXPLOITATIE
               for line in operating.lines)


def test_vrd3_decision_date_is_unknown_not_invented(ctx) -> None:  # type: ignore[no-untyped-def]
    decision = ctx.scalar(select(Decision).where(Decision.key == "vrd3-2026"))
    assert decision.meeting_date is None
    assert {s.key for s in decision.sources} == {"nota-vrd3-2026", "nieuws-2026-01-13"}
    note = ctx.scalar(select(Source).where(Source.key == "nota-vrd3-2026"))
    assert note.date is None


def test_cited_decisions_have_canonical_numbers_and_dates(ctx) -> None:  # type: ignore[no-untyped-def]
    docs = {d.canonical: d for d in ctx.scalars(select(DecisionDocument))}
    for canonical, day in [("VR 2025 2103 DOC.0167/1TER", "2025-03-21"), ("VR 2021 0204 DOC.0330/1BIS", "2021-04-02"),
                           ("VR 2021 1712 DOC.1462/1", "2021-12-17"), ("VR 2021 1712 DOC.1462/2", "2021-12-17"),
                           ("VR 2020 2606 DOC.0643/1", "2020-06-26")]:
        assert canonical in docs, canonical
        assert docs[canonical].decision.meeting_date.isoformat() == day
    # "DOC 1462/1 en 2" names two documents of one decision.
    assert docs["VR 2021 1712 DOC.1462/1"].decision is docs["VR 2021 1712 DOC.1462/2"].decision


def test_every_link_and_line_points_at_existing_records(ctx) -> None:  # type: ignore[no-untyped-def]
    links = ctx.scalars(select(Link)).all()
    assert len(links) >= 70
    for link in links:
        ends = [e for e in (link.commitment, link.decision, link.project) if e is not None]
        assert len(ends) == 2, link
    for line in ctx.scalars(select(BudgetLine)):
        assert line.amount >= 0
        assert (line.project or line.organisation or line.programme) is not None


def test_second_load_changes_nothing(ctx) -> None:  # type: ignore[no-untyped-def]
    report = load_seeds(ctx, SEEDS)
    assert not report.changed, report.summary()


def test_malformed_seed_file_stops_the_load_and_writes_nothing(empty_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tracker.core.db import db

    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    bad = folder / "vrd2-2021.toml"
    bad.write_text(bad.read_text(encoding="utf-8").replace('amount = "€ 1.362.000"', 'amount = "€ 1.36.2000"', 1),
                   encoding="utf-8")
    with empty_app.app_context():
        with pytest.raises(SeedError) as info:
            load_seeds(db.session, folder)
        db.session.rollback()
        assert any("vrd2-2021.toml, budget_lines[" in p and "1.36.2000" in p for p in info.value.problems)
        assert db.session.scalar(select(func.count()).select_from(Source)) == 0


def test_unknown_reference_is_reported_with_file_and_record(empty_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tracker.core.db import db

    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    (folder / "extra.toml").write_text(
        '[[links]]\ncommitment = "vds/2.1"\ndecision = "bestaat-niet"\nrelation = "realiseert"\n', encoding="utf-8")
    with empty_app.app_context():
        with pytest.raises(SeedError) as info:
            load_seeds(db.session, folder)
        db.session.rollback()
    assert "extra.toml, links[0]: 'decision' verwijst naar 'bestaat-niet'" in str(info.value)


def test_seed_command_reports_and_is_idempotent(runner) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    assert "Niets gewijzigd" in result.output


def test_a_status_in_seed_data_is_refused_with_a_hint(empty_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tracker.core.db import db

    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    (folder / "extra.toml").write_text(
        '[[commitments]]\nkey = "x"\nsource = "vds"\nlevel = "engagement"\ntitle = "X"\nstatus = "gerealiseerd"\n',
        encoding="utf-8")
    with empty_app.app_context():
        with pytest.raises(SeedError) as info:
            load_seeds(db.session, folder)
        db.session.rollback()
    assert "extra.toml, commitments[0]: onbekend veld 'status'" in str(info.value)
    assert "[[assessments]]" in str(info.value)


def _edited_seeds(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(SEEDS, folder)
    path = folder / file
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")
    return folder


def test_renamed_budget_line_replaces_the_old_one(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = _edited_seeds(tmp_path, "vrd3-2026.toml", 'label = "Lambert 2008"', 'label = "Lambert 2008 (LiDAR)"')
    report = load_seeds(ctx, folder)
    assert report.created == {"budgetlijnen": 1} and report.removed == {"budgetlijnen": 1}
    ctx.flush()
    assert _total(ctx, "vrd3-2026-sp3").sum_of_parts == 3_910_000


def test_editing_a_loaded_assessment_does_not_stop_the_load(ctx, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = _edited_seeds(tmp_path, "beoordelingen.toml", "effective_date = 2022-11-18", "effective_date = 2022-11-19")
    assert not load_seeds(ctx, folder).changed


def test_wrongly_typed_references_name_file_and_record(empty_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tracker.core.db import db

    folder = _edited_seeds(tmp_path, "vds.toml", 'parent = "vds/2.3"', 'parent = ["vds/2.3"]')
    with empty_app.app_context():
        with pytest.raises(SeedError) as info:
            load_seeds(db.session, folder)
        db.session.rollback()
    assert "vds.toml, commitments[" in str(info.value) and "moet een sleutel" in str(info.value)


def test_titles_the_documents_do_not_print_are_marked_as_the_editors(ctx) -> None:  # type: ignore[no-untyped-def]
    """Sub-projects, decisions and commitments the documents describe only in running text."""
    marked = {model.__tablename__: set(ctx.scalars(select(model.key).where(model.title_by_editors.is_(True))))
              for model in (Source, Commitment, Decision, Project)}
    assert sum(len(keys) for keys in marked.values()) == 22
    assert "vrd3-2026/sp5/formulierentool" in marked["projects"]
    assert "ra-2024/vrd3" in marked["commitments"] and "nota-vrd2-2021/focusdomeinen" in marked["commitments"]
    assert "vr-2025-0502-doc-0328-1" in marked["decisions"]
    assert marked["sources"] == {"nota-vrd2-2021", "analyse-ra-2019-3.2.3"}
    # Titles the documents do print stay unmarked: the 35 decisions of the analysis, the strategy.
    assert not any(key.startswith("ana-") for key in marked["decisions"])
    assert not any(key.startswith("vds") for key in marked["commitments"])
