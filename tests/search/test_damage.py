"""A damaged index: search answers a Dutch 503, the rest of the site works, the CLI says what to do.

A bug while searching is not damage: it stays a 500.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.decisions.operations import update_decision
from tracker.search import service
from tracker.search.index import get_index
from tracker.search.integrity import find_damage
from tracker.search.outbox import pending_count

# Whoosh opens a truncated compound segment file and raises without closing it; CPython closes it
# when the exception is dropped, with a ResourceWarning. That is Whoosh's, not a failure of ours.
pytestmark = [pytest.mark.filterwarnings("ignore::ResourceWarning"),
              pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")]


def segment_files(app) -> list[Path]:  # type: ignore[no-untyped-def]
    return sorted(Path(app.config["INDEX_DIR"]).glob("MAIN_*.seg"))


def damage(app, how: str) -> Path:  # type: ignore[no-untyped-def]
    """Delete or truncate one segment file of the index (with no searcher open on it)."""
    get_index(app).close()
    target = segment_files(app)[0]
    if how == "delete":
        target.unlink()
    else:
        size = target.stat().st_size
        with target.open("r+b") as f:
            f.truncate(size // 2)
    return target


def rename_route(app):  # type: ignore[no-untyped-def]
    def view():  # type: ignore[no-untyped-def]
        update_decision(db.session.scalar(select(Decision).where(Decision.key == "ana-00")), {"title": "Onderzeeboot voor Vlaanderen"}, None)
        return "ok"

    app.add_url_rule("/_test/change", "test_change", view, methods=["POST"])


def test_an_intact_index_has_no_damage(app):
    assert segment_files(app)
    assert find_damage(app.config["INDEX_DIR"]) == []
    assert get_index(app).damage() == []


@pytest.mark.parametrize("how", ["delete", "truncate"])
def test_a_damaged_index_gives_a_503_and_the_rest_of_the_site_works(app, client, caplog, how):
    rename_route(app)
    target = damage(app, how)
    response = client.get("/zoeken", query_string={"q": "digitaal"})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "De zoekindex is beschadigd" in html and "tracker index rebuild" in html and 'role="alert"' in html
    response = client.get("/api/v1/search", query_string={"q": "digitaal"})
    assert response.status_code == 503
    assert response.get_json()["status"] == 503
    assert "beschadigd" in response.get_json()["error"] and "tracker index rebuild" in response.get_json()["error"]
    # Everything else keeps working, writes included (their index updates wait in the queue).
    assert client.get("/").status_code == 200
    with app.app_context():
        decision_id = db.session.scalar(select(Decision.id).where(Decision.key == "ana-00"))
    assert client.get(f"/beslissingen/{decision_id}").status_code == 200
    with caplog.at_level(logging.ERROR, "tracker.search"):
        assert client.post("/_test/change").status_code == 200
    with app.app_context():
        assert pending_count(db.engine) == 1
    # The failed index update is logged as the damage, in one line, not as a bug with a traceback.
    records = [r for r in caplog.records if "queued updates wait" in r.getMessage()]
    assert records and all(r.exc_info is None and target.name in r.getMessage() for r in records)
    problems = get_index(app).damage()
    assert len(problems) == 1 and target.name in problems[0]
    assert ("ontbreekt" if how == "delete" else "onvolledig of beschadigd") in problems[0]


@pytest.mark.parametrize("how", ["delete", "truncate"])
def test_verify_and_sync_report_the_damage_and_rebuild_repairs_it(app, client, runner, how):
    target = damage(app, how)
    result = runner.invoke(args=["index", "verify"])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)  # a message, no traceback
    assert "Traceback" not in result.output
    assert "De zoekindex is beschadigd:" in result.output and target.name in result.output
    assert "tracker index rebuild" in result.output
    result = runner.invoke(args=["index", "sync"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "De zoekindex is beschadigd:" in result.output and "tracker index rebuild" in result.output
    result = runner.invoke(args=["index", "rebuild"])
    assert result.exit_code == 0, result.output
    assert f"Zoekindex opgebouwd: {get_index(app).doc_count()} documenten in " in result.output
    assert runner.invoke(args=["index", "verify"]).exit_code == 0
    assert get_index(app).damage() == []
    data = client.get("/api/v1/search", query_string={"q": "digitaal"}).get_json()
    assert data["total"] > 0


def test_a_bug_while_searching_stays_a_500(app, client, monkeypatch):
    app.config["PROPAGATE_EXCEPTIONS"] = False  # answer as in production, instead of raising in the test

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug, not damage")

    checked = []
    real_damage = get_index(app).damage
    monkeypatch.setattr(get_index(app), "damage", lambda: checked.append(1) or real_damage())
    monkeypatch.setattr(service, "_suggestion", broken)
    assert client.get("/zoeken", query_string={"q": "digitaal"}).status_code == 500
    assert client.get("/api/v1/search", query_string={"q": "digitaal"}).status_code == 500
    assert checked  # the index was checked, found intact, and the error left alone
    # The same bug on a damaged index is reported as the damage.
    monkeypatch.undo()
    damage(app, "delete")
    assert client.get("/api/v1/search", query_string={"q": "digitaal"}).status_code == 503


def test_the_damage_check_is_cached_per_state_of_the_folder(app, monkeypatch):
    from tracker.search import integrity

    calls = []
    real = integrity.find_damage
    monkeypatch.setattr(integrity, "find_damage", lambda path: calls.append(path) or real(path))
    idx = get_index(app)
    assert idx.damage() == [] and idx.damage() == []
    assert len(calls) == 1
    damage(app, "truncate")
    assert idx.damage() and idx.damage()
    assert len(calls) == 2
