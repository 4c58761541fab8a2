"""The preview and the import: matching, what changes, one transaction, and idempotence."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import func, select

from tests.intake.conftest import FIXTURES
from tests.test_import import imported, imported_app, imported_db, needs_real_data  # noqa: F401 (fixtures)
from tests.conftest import REAL_DATA
from tracker.audit.models import LogEntry
from tracker.core.db import db
from tracker.decisions.models import Decision, DecisionDocument
from tracker.importers.decisions import DECISIONS_FILE
from tracker.intake import apply as apply_module
from tracker.intake.apply import apply_plan
from tracker.intake.formats import read_file
from tracker.intake.plan import CREATE, REFUSED, UNCHANGED, UPDATE, make_plan


def _plan(session, data: bytes, name: str = "test.csv"):  # type: ignore[no-untyped-def]
    return make_plan(session, read_file(data), name)


def _example(session):  # type: ignore[no-untyped-def]
    return _plan(session, (FIXTURES / "besluiten.csv").read_bytes(), "besluiten.csv")


def _count(session, model=Decision) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model))


def _by_key(session, key: str) -> Decision:  # type: ignore[no-untyped-def]
    return session.scalar(select(Decision).where(Decision.key == key))


def test_the_preview_lists_creates_updates_with_old_and_new_and_writes_nothing(ctx) -> None:  # type: ignore[no-untyped-def]
    before = _count(ctx)
    plan = _example(ctx)
    assert [i.action for i in plan.items] == [CREATE, CREATE, UPDATE]
    new, site, seeded = plan.items
    assert new.values["key"] == "imp-2024-03-01-proefproject-digitale-loketten-fase-2"
    assert new.changes["documentnummers"] == ("", "VR 2024 0103 DOC.0250/1, VR 2024 0103 DOC.0250/2")
    assert site.values["key"] == "vrb-65f0a1b2c3d4e5f6a7b8c9d0"
    # The seeded decision ana-05 is recognised by its document number and only completed: its empty text.
    assert seeded.decision.key == "ana-05" and seeded.matched_by == "documentnummer"
    assert list(seeded.changes) == ["tekst"] and seeded.changes["tekst"][0] == ""
    assert plan.counts == {"create": 2, "update": 1, "unchanged": 0, "refused": 0}
    assert _count(ctx) == before and not ctx.new and not ctx.dirty


def test_importing_the_same_file_again_changes_nothing(ctx) -> None:  # type: ignore[no-untyped-def]
    apply_plan(ctx, _example(ctx), None)
    ctx.commit()
    decisions, documents, entries = _count(ctx), _count(ctx, DecisionDocument), _count(ctx, LogEntry)
    again = _example(ctx)
    assert [i.action for i in again.items] == [UNCHANGED] * 3 and not again.changes_anything
    apply_plan(ctx, again, None)
    ctx.commit()
    assert (_count(ctx), _count(ctx, DecisionDocument), _count(ctx, LogEntry)) == (decisions, documents, entries)
    created = _by_key(ctx, "imp-2024-03-01-proefproject-digitale-loketten-fase-2")
    assert [d.canonical for d in created.documents] == ["VR 2024 0103 DOC.0250/1", "VR 2024 0103 DOC.0250/2"]
    assert created.cite == "besluiten.csv, regel 2"
    assert [s.key for s in _by_key(ctx, "vrb-65f0a1b2c3d4e5f6a7b8c9d0").sources] == ["vr-beslissingen"]


def test_a_failure_halfway_writes_nothing(ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    before = (_count(ctx), _count(ctx, DecisionDocument), _count(ctx, LogEntry))
    real = apply_module.update_decision

    def failing(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(apply_module, "update_decision", failing)  # the third row, after two creates
    with pytest.raises(RuntimeError):
        apply_plan(ctx, _example(ctx), None)
    ctx.rollback()
    monkeypatch.setattr(apply_module, "update_decision", real)
    assert (_count(ctx), _count(ctx, DecisionDocument), _count(ctx, LogEntry)) == before


def test_rows_match_by_site_id_then_document_number_then_date_and_title(ctx) -> None:  # type: ignore[no-untyped-def]
    apply_plan(ctx, _example(ctx), None)
    ctx.commit()
    seeded = _by_key(ctx, "ana-00")
    data = ("site_id,meeting_date,title,document_numbers,summary,kind\n"
            "65F0A1B2C3D4E5F6A7B8C9D0,2024-03-09,Nieuwe titel,,,\n"  # site id wins over date and title
            ",2024-01-01,Andere titel,VR 2024 0103 DOC.0250/2,Nieuwe samenvatting,\n"
            f",{seeded.meeting_date},{seeded.title},,,mededeling\n"
            ",2024-03-01,Nog nooit gezien,,,\n").encode()
    plan = _plan(ctx, data)
    by_site, by_number, by_title, new = plan.items
    assert (by_site.decision.key, by_site.matched_by) == ("vrb-65f0a1b2c3d4e5f6a7b8c9d0", "site-id")
    assert by_site.changes == {"datum": ("2024-03-08", "2024-03-09"), "titel": (
        "Voortgangsrapport Vlaanderen Radicaal Digitaal", "Nieuwe titel")}  # an imported decision follows the file
    assert by_number.matched_by == "documentnummer" and by_number.changes["samenvatting"][1] == "Nieuwe samenvatting"
    assert (by_title.decision, by_title.action) == (seeded, UNCHANGED)  # a seeded one is never overwritten
    assert by_title.kept == ["soort"] and "regel 4: soort" in plan.notes[0]
    assert new.action == CREATE


def test_conflicting_rows_are_refused_with_a_reason(ctx) -> None:  # type: ignore[no-untyped-def]
    data = ("site_id,meeting_date,title,document_numbers\n"
            "ABC1,2024-03-01,Een,\n"
            "ABC1,2024-03-01,Twee,\n"
            ",2024-03-02,Drie,VR 2021 1712 DOC.1462/1\n"  # ana-05 by number; a seeded one is kept
            ",2024-03-02,Vier,VR 2021 1712 DOC.1462/2\n"  # the same decision again
            "ABC2,2024-03-02,Vijf,VR 2020 2711 DOC.1294/1\n").encode()  # ana-00's number, another site id row
    plan = _plan(ctx, data)
    assert [i.action for i in plan.items] == [CREATE, REFUSED, UNCHANGED, REFUSED, UPDATE]
    assert "site_id ABC1 staat ook op regel 2" in plan.items[1].reason
    assert "dezelfde beslissing (ana-05) als regel 4" in plan.items[3].reason
    doubled = _plan(ctx, b"meeting_date,title,document_numbers\n2024-03-01,A,VR 2024 0103 DOC.0250/1\n"
                         b"2024-03-01,B,VR 2024 0103 DOC.0250/1\n")
    assert "documentnummer VR 2024 0103 DOC.0250/1 staat ook op regel 2" in doubled.items[1].reason
    plan.items[1].reason = ""
    apply_plan(ctx, plan, None)  # refused rows are left out, the rest is written
    ctx.commit()
    assert _by_key(ctx, "vrb-abc1").title == "Een"


@needs_real_data
def test_the_real_data_file_is_recognised_in_the_imported_database(imported) -> None:  # type: ignore[no-untyped-def]
    """Seeds plus the real-data import: the same file through the preview finds all 3,003 decisions."""
    started = time.perf_counter()
    plan = _plan(imported, (REAL_DATA / DECISIONS_FILE).read_bytes(), DECISIONS_FILE)
    seconds = time.perf_counter() - started
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 3003, "refused": 0}
    assert seconds < 30, seconds


@needs_real_data
def test_the_real_data_file_through_the_preview_agrees_with_the_real_data_importer(ctx) -> None:  # type: ignore[no-untyped-def]
    from tracker.importers.decisions import import_decisions

    plan = _plan(ctx, (REAL_DATA / DECISIONS_FILE).read_bytes(), DECISIONS_FILE)
    assert plan.counts == {"create": 2968, "update": 35, "unchanged": 0, "refused": 0}
    apply_plan(ctx, plan, None)
    ctx.commit()
    report = import_decisions(db.session, REAL_DATA / DECISIONS_FILE)
    assert report.ok and not report.changed, report.summary()
    ctx.rollback()
