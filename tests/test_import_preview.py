"""The real-data imports' preview: `--dry-run` shows what would change, the default asks, `--yes` imports."""
from __future__ import annotations

import json
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import func, select

from tracker.audit.models import LogEntry
from tracker.commitments.models import Commitment
from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.decisions.operations import update_decision


def _decisions_file(tmp_path: Path, titles: list[str]) -> Path:
    rows = [{"id": f"PREVIEW-{i:04d}", "meeting_date": f"2023-03-{i + 1:02d}", "kind": "nota", "title": title,
             "text": f"Tekst {i} over vuurtorens.",
             "source_url": f"https://beslissingenvlaamseregering.vlaanderen.be/?search=preview-{i}"}
            for i, title in enumerate(titles)]
    path = tmp_path / "beslissingen.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def _counts(app: Flask) -> tuple[int, int]:
    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Decision)) or 0,
                db.session.scalar(select(func.count()).select_from(LogEntry)) or 0)


def _title(app: Flask, key: str) -> str | None:
    with app.app_context():
        return db.session.scalar(select(Decision.title).where(Decision.key == key))


TITLES = ["Vuurtoren van Nieuwpoort", "Vuurtoren van Oostende", "Vuurtoren van Zeebrugge"]


def test_dry_run_lists_what_would_be_created_and_writes_nothing(app: Flask, tmp_path: Path) -> None:
    path = _decisions_file(tmp_path, TITLES)
    before = _counts(app)
    result = app.test_cli_runner().invoke(args=["import", "beslissingen", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "beslissingen: 3 nieuw, 0 bijgewerkt, 0 ongewijzigd" in result.output
    assert "nieuw       beslissing vrb-preview-0001: Vuurtoren van Oostende" in result.output
    assert "Proefdraai (--dry-run): er is niets gewijzigd." in result.output
    assert _counts(app) == before


def test_the_default_asks_and_a_no_writes_nothing(app: Flask, tmp_path: Path) -> None:
    path = _decisions_file(tmp_path, TITLES)
    before = _counts(app)
    result = app.test_cli_runner().invoke(args=["import", "beslissingen", str(path)], input="n\n")
    assert result.exit_code == 0, result.output
    assert "Deze wijzigingen doorvoeren?" in result.output
    assert "Niet bevestigd: er is niets gewijzigd." in result.output
    assert _counts(app) == before


def test_a_yes_imports_what_the_preview_showed_and_a_change_shows_old_and_new(app: Flask, tmp_path: Path) -> None:
    runner = app.test_cli_runner()
    path = _decisions_file(tmp_path, TITLES)
    result = runner.invoke(args=["import", "beslissingen", str(path)], input="y\n")
    assert result.exit_code == 0, result.output
    assert "beslissingen.jsonl: geïmporteerd." in result.output
    assert _title(app, "vrb-preview-0002") == "Vuurtoren van Zeebrugge"

    path = _decisions_file(tmp_path, [*TITLES[:2], "Vuurtoren van Knokke"])
    result = runner.invoke(args=["import", "beslissingen", str(path), "--dry-run"])
    assert "beslissingen: 0 nieuw, 1 bijgewerkt, 2 ongewijzigd" in result.output
    assert "bijgewerkt  beslissing vrb-preview-0002:" in result.output
    assert "title: Vuurtoren van Zeebrugge → Vuurtoren van Knokke" in result.output
    assert _title(app, "vrb-preview-0002") == "Vuurtoren van Zeebrugge"

    result = runner.invoke(args=["import", "beslissingen", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert _title(app, "vrb-preview-0002") == "Vuurtoren van Knokke"
    # The same file again: nothing to confirm.
    result = runner.invoke(args=["import", "beslissingen", str(path)])
    assert result.exit_code == 0 and "Niets gewijzigd: alles stond al in de database." in result.output
    assert "doorvoeren?" not in result.output


def test_a_database_changed_during_the_question_writes_nothing(app: Flask, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    runner = app.test_cli_runner()
    runner.invoke(args=["import", "beslissingen", str(_decisions_file(tmp_path, TITLES)), "--yes"])
    path = _decisions_file(tmp_path, ["Vuurtoren van De Panne", *TITLES[1:]])

    def someone_edits_while_we_ask(*args, **kwargs):  # type: ignore[no-untyped-def]
        decision = db.session.scalar(select(Decision).where(Decision.key == "vrb-preview-0000"))
        update_decision(decision, {"title": "Vuurtoren van Heist"}, None)
        db.session.commit()
        return True

    monkeypatch.setattr(click, "confirm", someone_edits_while_we_ask)
    result = runner.invoke(args=["import", "beslissingen", str(path)])
    assert result.exit_code == 1
    assert "de database is veranderd sinds het voorbeeld" in result.output
    assert _title(app, "vrb-preview-0000") == "Vuurtoren van Heist"


def test_the_agreement_preview_lists_new_commitments(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "secties.jsonl"
    path.write_text(json.dumps({"part": 1, "path": ["Zeevaart", "1.1 Vuurtorens"], "number": "1.1",
                                "title": "Vuurtorens", "text": "We onderhouden de vuurtorens."}) + "\n",
                    encoding="utf-8")
    with app.app_context():
        before = db.session.scalar(select(func.count()).select_from(Commitment))
    result = app.test_cli_runner().invoke(args=["import", "regeerakkoord", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "nieuw       engagement ra-2019/zeevaart/1.1: Vuurtorens" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Commitment)) == before
