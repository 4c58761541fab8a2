"""`tracker import besluiten FILE`: the preview, --dry-run, the confirmation question, --yes, --as, progress."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from tests.intake.conftest import FIXTURES
from tracker.audit.models import LogEntry
from tracker.core.db import db
from tracker.decisions.models import Decision

EXAMPLE = str(FIXTURES / "besluiten.csv")


def _decisions(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Decision))


def test_dry_run_shows_the_preview_and_writes_nothing(app, runner) -> None:  # type: ignore[no-untyped-def]
    before = _decisions(app)
    result = runner.invoke(args=["import", "besluiten", EXAMPLE, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "3 rijen; 2 nieuw, 1 bijgewerkt, 0 ongewijzigd, 0 geweigerd" in result.output
    assert "tekst: (leeg) → De Vlaamse Regering verdeelt" in result.output
    assert "Proefdraai" in result.output and _decisions(app) == before


def test_the_default_asks_and_no_writes_nothing(app, runner) -> None:  # type: ignore[no-untyped-def]
    before = _decisions(app)
    result = runner.invoke(args=["import", "besluiten", EXAMPLE], input="n\n")
    assert "Deze wijzigingen doorvoeren? [y/N]" in result.output and "Niet bevestigd" in result.output
    assert _decisions(app) == before
    result = runner.invoke(args=["import", "besluiten", EXAMPLE], input="y\n")
    assert result.exit_code == 0 and "Geïmporteerd: 2 nieuw, 1 bijgewerkt." in result.output
    assert _decisions(app) == before + 2


def test_yes_imports_as_the_given_account_and_a_second_run_changes_nothing(app, runner, accounts) -> None:  # type: ignore[no-untyped-def]
    result = runner.invoke(args=["import", "besluiten", EXAMPLE, "--yes", "--as", accounts["editor"]])
    assert result.exit_code == 0, result.output
    with app.app_context():
        entry = db.session.scalars(select(LogEntry).where(LogEntry.realm == "import")
                                   .order_by(LogEntry.id.desc())).first()
        assert entry.kind == "besluiten" and entry.actor.email == accounts["editor"]
        entries = db.session.scalar(select(func.count()).select_from(LogEntry))
    again = runner.invoke(args=["import", "besluiten", EXAMPLE, "--yes"])
    assert again.exit_code == 0 and "0 nieuw, 0 bijgewerkt, 3 ongewijzigd" in again.output
    assert "Niets te wijzigen" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LogEntry)) == entries


def test_a_refused_file_exits_with_its_reason(app, runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "excel.csv"
    path.write_bytes("meeting_date;title\n2024-03-01;Beslissing over één café\n".encode("cp1252"))
    result = runner.invoke(args=["import", "besluiten", str(path), "--yes"])
    assert result.exit_code == 1 and "excel.csv is niet geïmporteerd" in result.output
    assert "Latin-1" in result.output
    missing = runner.invoke(args=["import", "besluiten", str(tmp_path / "nergens.csv")])
    assert missing.exit_code == 1 and "bestaat niet" in missing.output
    nobody = runner.invoke(args=["import", "besluiten", EXAMPLE, "--as", "niemand@example.be"])
    assert nobody.exit_code == 1 and "Er is geen account" in nobody.output


def test_a_long_import_shows_progress(app, runner, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "veel.csv"
    path.write_text("meeting_date,title\n" + "".join(f"2024-03-01,Beslissing {n}\n" for n in range(600)),
                    encoding="utf-8")
    result = runner.invoke(args=["import", "besluiten", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert "Voorbeeld berekenen" in result.output and "Importeren" in result.output
    assert "600 nieuw" in result.output


def test_the_real_data_commands_still_work_beside_it(runner) -> None:  # type: ignore[no-untyped-def]
    listed = runner.invoke(args=["import", "--help"])
    for name in ("beslissingen", "regeerakkoord", "alles", "besluiten", "vr"):
        assert name in listed.output
