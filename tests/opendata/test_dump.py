"""The full dump: it validates against its JSON Schema, and an import into an empty database gives back
the same dump, record for record."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from tracker.opendata.dump import RECORDING_TIMES, SCHEMA_FILE, TABLES


def without_recording_times(dump: dict) -> dict:  # type: ignore[type-arg]
    """The dump minus what an import records anew (the moment of recording) and the export's own time."""
    result = {k: v for k, v in dump.items() if k != "exported_dt"}
    for table, names in RECORDING_TIMES.items():
        result[table] = [{k: v for k, v in row.items() if k not in names} for row in dump[table]]
    return result


def test_the_schema_file_is_the_one_the_code_builds() -> None:
    from tracker.opendata.dump_schema import build

    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == build(), \
        "regenerate it: python -m tracker.opendata.dump_schema"


def fill_every_field(app) -> None:  # type: ignore[no-untyped-def]
    """Give the fields the seed leaves empty a value (through the operations), so the round trip covers them."""
    from datetime import date

    from sqlalchemy import select

    from tracker.commitments.models import Commitment
    from tracker.core.db import db
    from tracker.decisions.models import Decision
    from tracker.decisions.operations import update_decision
    from tracker.projects.models import Organisation
    from tracker.projects.operations import update_organisation
    from tracker.sources.models import Source
    from tracker.sources.operations import update_source
    from tracker.workflow.models import StatusChange
    from tracker.workflow.operations import EvidenceInput, approve_proposal, propose_status
    from tracker.workflow.status import NotRealisedReason, Status

    with app.app_context():
        first = lambda model: db.session.scalar(select(model).order_by(model.id))  # noqa: E731
        update_source(first(Source), {"url": "https://example.org/bron"}, None)
        update_organisation(first(Organisation), {"abbreviation": "ORG"}, None)
        update_decision(first(Decision), {"site_id": "site-1", "text": "De volledige tekst."}, None)
        change = first(StatusChange)
        commitment = db.session.get(Commitment, change.commitment_id)
        author, reviewer = change.author, change.reviewer
        proposal = propose_status(
            commitment, to_status=Status.NIET_GEREALISEERD, effective_date=date(2023, 1, 1),
            motivation="Correctie: toch niet gerealiseerd.", actor=author, seen_version=commitment.version,
            evidence=[EvidenceInput("decision", first(Decision).id, "passage")],
            reason=NotRealisedReason.BUDGETTAIR, corrects=change)
        approve_proposal(proposal, reviewer, "akkoord")
        db.session.commit()


def test_export_then_import_into_an_empty_database_round_trips(app, empty_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fill_every_field(app)
    first = tmp_path / "dump.json"
    result = app.test_cli_runner().invoke(args=["export", str(first)])
    assert result.exit_code == 0, result.output
    dump = json.loads(first.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert not list(Draft202012Validator(schema).iter_errors(dump))
    assert dump["version"] == 1 and all(dump[t] for t in TABLES), [t for t in TABLES if not dump[t]]
    assert dump["status_changes"][0]["evidence"]
    # Every field holds a value somewhere, so the comparison below covers each of them (removals:
    # tests/opendata/test_dump.py::test_removed_links_stay_in_the_dump_with_their_removal).
    for table in TABLES:
        for name in dump[table][0]:
            if name not in ("removed_dt", "removal_reason"):
                assert any(row[name] not in (None, "", [], False) for row in dump[table]), f"{table}.{name}"

    result = empty_app.test_cli_runner().invoke(args=["import", "dump", str(first), "--yes"])
    assert result.exit_code == 0, result.output
    second = tmp_path / "again.json"
    assert empty_app.test_cli_runner().invoke(args=["export", str(second)]).exit_code == 0
    again = json.loads(second.read_text(encoding="utf-8"))
    for table in TABLES:
        before, after = without_recording_times(dump)[table], without_recording_times(again)[table]
        assert len(before) == len(after), table
        for old, new in zip(before, after):
            assert old == new, f"{table}: {old} != {new}"
    assert without_recording_times(dump) == without_recording_times(again)
    # The statuses follow from the replayed history.
    statuses = {c["key"]: c["status"] for c in again["commitments"]}
    assert statuses["ra-2019/bestuurzaken/3.2.3"] == "niet_gerealiseerd"  # the correction replaced it


def test_removed_links_stay_in_the_dump_with_their_removal(app, empty_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from tracker.commitments.models import Link
    from tracker.commitments.operations import remove_link
    from tracker.core.db import db

    with app.app_context():
        link = db.session.scalar(select(Link).where(Link.project_id.is_not(None)).order_by(Link.id))
        remove_link(link, "Verkeerd gekoppeld door de redactie", None)
        db.session.commit()
    first = tmp_path / "dump.json"
    assert app.test_cli_runner().invoke(args=["export", str(first)]).exit_code == 0
    removed = [row for row in json.loads(first.read_text(encoding="utf-8"))["links"] if row["removed_dt"]]
    assert len(removed) == 1 and removed[0]["removal_reason"] == "Verkeerd gekoppeld door de redactie"
    result = empty_app.test_cli_runner().invoke(args=["import", "dump", str(first), "--yes"])
    assert result.exit_code == 0, result.output
    with empty_app.app_context():
        again = db.session.scalars(select(Link).where(Link.removed_dt.is_not(None))).all()
        assert [(l.removal_reason, l.project.key) for l in again] == \
            [("Verkeerd gekoppeld door de redactie", removed[0]["project"])]


def test_the_import_refuses_a_database_with_data_and_a_broken_dump(app, empty_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dump = tmp_path / "dump.json"
    assert app.test_cli_runner().invoke(args=["export", str(dump)]).exit_code == 0
    full = app.test_cli_runner().invoke(args=["import", "dump", str(dump), "--yes"])
    assert full.exit_code != 0 and "lege database" in full.output

    data = json.loads(dump.read_text(encoding="utf-8"))
    data["decisions"][0]["kind"] = "wet"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    refused = empty_app.test_cli_runner().invoke(args=["import", "dump", str(broken), "--yes"])
    assert refused.exit_code != 0 and "schema" in refused.output and "decisions/0/kind" in refused.output

    data = json.loads(dump.read_text(encoding="utf-8"))
    data["projects"][0]["programme"] = "bestaat-niet"
    broken.write_text(json.dumps(data), encoding="utf-8")
    refused = empty_app.test_cli_runner().invoke(args=["import", "dump", str(broken), "--yes"])
    assert refused.exit_code != 0 and "bestaat-niet" in refused.output
    # A record the operations refuse (the same key twice): the preview says so as the import does.
    doubled = json.loads(dump.read_text(encoding="utf-8"))
    doubled["decisions"].append(dict(doubled["decisions"][0]))
    broken.write_text(json.dumps(doubled), encoding="utf-8")
    for preview in (["--yes"], ["--dry-run"], []):
        refused = empty_app.test_cli_runner().invoke(args=["import", "dump", str(broken), *preview], input="y\n")
        assert refused.exit_code == 1 and "Error:" in refused.output, refused.output
        assert isinstance(refused.exception, SystemExit)
    with empty_app.app_context():
        from sqlalchemy import func, select

        from tracker.core.db import db
        from tracker.sources.models import Source

        assert db.session.scalar(select(func.count()).select_from(Source)) == 0  # one transaction: nothing kept
    data["version"] = 2
    broken.write_text(json.dumps(data), encoding="utf-8")
    assert "formaatversie 2" in empty_app.test_cli_runner().invoke(args=["import", "dump", str(broken), "--yes"]).output


@pytest.mark.parametrize("text", ["{", "[]"])
def test_the_import_explains_a_file_that_is_no_dump(empty_app, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    result = empty_app.test_cli_runner().invoke(args=["import", "dump", str(path), "--yes"])
    assert result.exit_code != 0 and ("JSON" in result.output or "geen dump" in result.output)


def test_the_dump_import_previews_and_asks_first(app, empty_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from tracker.core.db import db
    from tracker.decisions.models import Decision

    dump = tmp_path / "dump.json"
    assert app.test_cli_runner().invoke(args=["export", str(dump)]).exit_code == 0
    decisions = len(json.loads(dump.read_text(encoding="utf-8"))["decisions"])

    def stored() -> int:
        with empty_app.app_context():
            return db.session.scalar(select(func.count()).select_from(Decision)) or 0

    runner = empty_app.test_cli_runner()
    dry = runner.invoke(args=["import", "dump", str(dump), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert f"{decisions} beslissingen" in dry.output and "Proefdraai (--dry-run): er is niets gewijzigd." in dry.output
    declined = runner.invoke(args=["import", "dump", str(dump)], input="n\n")
    assert "Deze gegevens laden?" in declined.output and "Niet bevestigd" in declined.output
    assert stored() == 0
    confirmed = runner.invoke(args=["import", "dump", str(dump)], input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert stored() == decisions
