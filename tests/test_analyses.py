"""External analyses (fulfilment reports) become labelled sources and suggestions, never evidence."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import REAL_DATA, ROOT, commitment
from tests.test_import import imported_app, imported_db, needs_real_data  # noqa: F401  (fixtures)
from tracker.core.db import db
from tracker.sources.models import Source
from tracker.suggest.analyses import apply_import, plan_import, read_reports
from tracker.suggest.models import (
    ExternalAnalysis,
    SuggestedLink,
    SuggestionOrigin,
    SuggestionState,
)

SEED_REPORT = ROOT.parent / "shared" / "seed-documents" / "004_b8bd9ac194286389.txt"
KNOWN = ("**[\\[0\\]](https://example.invalid/a)** : **(2021-04-02)** Verdeling van 5 miljoen euro exploitatiebudget "
         "voor de begrotingsjaren 2021 tot en met 2024 aan de entiteiten die digitale oplossingen bouwden in het "
         "kader van Vlaanderen Radicaal Digitaal 1, en toewijzing van exploitatiebudget aan VRD 2-projecten")
UNKNOWN = "**[\\[1\\]](https://example.invalid/b)** : **(2022-02-02)** Een beslissing die niet bestaat"
REPORT = f"""# ICT en Informatie

<details>
        <summary>Regeerakkoord Sectie </summary>
        <p>3.2.3 ICT en Informatie Programma Vlaanderen Radicaal Digitaal II ...</p>
        </details>

De regering deed veel \\[0\\]\\[1\\].

<details>
        <summary> Referenties</summary>

{KNOWN}

{UNKNOWN}
</details>
"""


def write_jsonl(tmp_path: Path, *reports: tuple[str, str]) -> Path:
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps({"file": f, "markdown": m}) for f, m in reports) + "\n", encoding="utf-8")
    return path


def test_a_report_is_attached_and_its_references_become_suggestions(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl(tmp_path, ("Bestuurzaken/Concrete voorstellen/ICT en Informatie.md", REPORT))
    plan = plan_import(read_reports(path))
    section = commitment(ctx, "ra-2019/bestuurzaken/3.2.3")
    assert [r.commitment for r in plan.reports] == [section]
    assert [ref.number for ref in plan.reports[0].unmatched] == [1]  # listed, not guessed
    assert len(plan.new_suggestions) == 1
    assert any("1 niet herkend" in line for line in plan.summary())
    apply_import(plan, None)
    ctx.commit()
    analysis = ctx.scalar(select(ExternalAnalysis).where(ExternalAnalysis.commitment_id == section.id))
    assert analysis.machine_written and analysis.source.title.startswith("Machinale analyse")
    suggestion = ctx.scalar(select(SuggestedLink).where(SuggestedLink.commitment_id == section.id))
    assert (suggestion.origin, suggestion.state, suggestion.reference_number) == \
        (SuggestionOrigin.REPORT, SuggestionState.OPEN, 0)
    assert suggestion.decision.key == "vr-2021-0204-doc-0330-1bis"
    # Importing the same file again changes nothing.
    again = plan_import(read_reports(path))
    assert not again.new_suggestions and again.new_analyses == 0 and again.changed_analyses == 0


@pytest.mark.skipif(not SEED_REPORT.is_file(), reason="the seed documents are shared beside the repository")
def test_the_seed_analysis_cites_only_decisions_already_linked(ctx) -> None:  # type: ignore[no-untyped-def]
    plan = plan_import(read_reports(SEED_REPORT))
    assert plan.reports[0].commitment.key == "ra-2019/bestuurzaken/3.2.3"
    assert len(plan.reports[0].matched) == 35 and not plan.reports[0].unmatched
    assert not plan.new_suggestions and plan.already_linked == 35


def test_reports_without_a_section_are_refused_with_a_reason(ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl(tmp_path, ("x.md", "# Iets\nGeen afdeling hier."))
    plan = plan_import(read_reports(path))
    assert plan.refused and "geen afdeling van het regeerakkoord" in plan.refused[0].problem
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"file": "x"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="regel 1: verwacht een object met 'file' en 'markdown'"):
        read_reports(bad)


def test_cli_dry_run_confirmation_and_yes(runner, app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl(tmp_path, ("Bestuurzaken/Concrete voorstellen/ICT en Informatie.md", REPORT))
    dry = runner.invoke(args=["import", "analyses", str(path), "--dry-run"])
    assert dry.exit_code == 0 and "Nieuwe suggesties: 1" in dry.output and "niets gewijzigd" in dry.output
    declined = runner.invoke(args=["import", "analyses", str(path)], input="n\n")
    assert "Afgebroken" in declined.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SuggestedLink)) == 0
    done = runner.invoke(args=["import", "analyses", str(path), "--yes"])
    assert done.exit_code == 0, done.output
    again = runner.invoke(args=["import", "analyses", str(path), "--yes"])
    assert "Niets gewijzigd" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SuggestedLink)) == 1


def test_editors_see_report_suggestions_and_reports_leave_analyses_out(app, ctx, client, client_as, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = write_jsonl(tmp_path, ("Bestuurzaken/Concrete voorstellen/ICT en Informatie.md", REPORT))
    apply_import(plan_import(read_reports(path)), None)
    ctx.commit()
    section = commitment(ctx, "ra-2019/bestuurzaken/3.2.3")
    page = client_as("editor").get(f"/engagementen/{section.id}/suggesties").get_data(as_text=True)
    assert "machinaal geschreven, niet nagekeken" in page and "verwijzing [0]" in page
    report = client.get(f"/rapport/engagementen/{section.id}").get_data(as_text=True)
    assert "Machinale analyse" not in report


@pytest.mark.slow
@needs_real_data
def test_all_193_real_reports(imported_app) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    with imported_app.app_context():
        plan = plan_import(read_reports(REAL_DATA / "adherence-reports.jsonl"))
        assert len(plan.reports) == 193 and not plan.refused
        matched = sum(len(r.matched) for r in plan.reports)
        assert matched / sum(len(r.references) for r in plan.reports) > 0.95
        apply_import(plan, None)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(ExternalAnalysis)) == 193
        assert db.session.scalar(select(func.count()).select_from(Source).where(Source.key.like("analyse-ra-2019/%"))) == 193
        assert not plan_import(read_reports(REAL_DATA / "adherence-reports.jsonl")).new_suggestions
