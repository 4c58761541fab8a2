"""Two writers at once: both finish, or the loser gets a Dutch message and nothing half-written."""
from __future__ import annotations

import sqlite3
import threading
from datetime import date

import click
import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from tests.conftest import TestDatabases
from tracker import create_app
from tracker.config import TestConfig as AppTestConfig
from tracker.core.cli import run_operation
from tracker.core.db import BUSY_MESSAGE, db
from tracker.decisions.models import Decision, DecisionKind
from tracker.decisions.operations import create_decision
from tracker.search.index import get_index
from tracker.search.outbox import rebuild


@pytest.fixture
def impatient_app(databases: TestDatabases, seeded_db: str, tmp_path):  # type: ignore[no-untyped-def]
    """The seeded database with a short SQLite busy timeout, so a lost lock shows quickly."""
    url = databases.clone("seeded", tmp_path)
    app = create_app(AppTestConfig(url, str(tmp_path / "index")), SQLITE_BUSY_TIMEOUT=0.3)
    yield app
    with app.app_context():
        db.engine.dispose()
    databases.drop(url)


def _decision(key: str) -> dict:  # type: ignore[type-arg]
    return {"key": key, "title": f"Beslissing {key}", "kind": DecisionKind.NOTA, "meeting_date": date(2024, 1, 5)}


def test_two_writers_both_finish_or_the_loser_is_told_in_dutch(impatient_app: Flask) -> None:
    first_has_written, second_done = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        with impatient_app.app_context():
            create_decision(_decision("eerste"), None)  # flushed: holds the write lock on SQLite
            first_has_written.set()
            second_done.wait(5)
            db.session.commit()
            outcome["first"] = "committed"

    def second() -> None:
        first_has_written.wait(5)
        with impatient_app.app_context():
            try:
                run_operation(lambda: create_decision(_decision("tweede"), None))
                outcome["second"] = "committed"
            except click.ClickException as exc:
                outcome["second"] = exc.message
            except Exception as exc:  # noqa: BLE001 - the test reports any other failure
                outcome["second"] = repr(exc)
            finally:
                second_done.set()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert outcome["first"] == "committed"
    assert outcome["second"] in ("committed", BUSY_MESSAGE), outcome
    with impatient_app.app_context():
        keys = set(db.session.scalars(select(Decision.key).where(Decision.key.in_(["eerste", "tweede"]))))
        assert keys == ({"eerste", "tweede"} if outcome["second"] == "committed" else {"eerste"})
    if db_dialect(impatient_app) == "sqlite":
        assert outcome["second"] == BUSY_MESSAGE  # SQLite has one writer at a time


def db_dialect(app: Flask) -> str:
    with app.app_context():
        return db.engine.dialect.name


def test_a_request_that_loses_the_lock_answers_a_dutch_503(impatient_app: Flask) -> None:
    if db_dialect(impatient_app) != "sqlite":
        pytest.skip("holds SQLite's database-wide write lock from a second connection")

    def write():  # type: ignore[no-untyped-def]
        create_decision(_decision("via-de-pagina"), None)
        return "opgeslagen"

    impatient_app.add_url_rule("/test-schrijven", "test_write", write)
    with impatient_app.app_context():
        path = make_url(str(db.engine.url)).database
    blocker = sqlite3.connect(path, timeout=0)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        response = impatient_app.test_client().get("/test-schrijven")
    finally:
        blocker.rollback()
        blocker.close()
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "niet opgeslagen" in response.get_data(as_text=True)
    with impatient_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Decision).where(Decision.key == "via-de-pagina")) == 0
    assert impatient_app.test_client().get("/test-schrijven").status_code == 200


def test_an_index_rebuild_does_not_block_writers(impatient_app: Flask) -> None:
    """The rebuild reads the whole database in one transaction; a writer commits meanwhile."""
    reading, written = threading.Event(), threading.Event()
    result: dict[str, object] = {}

    def paused(docs, total):  # type: ignore[no-untyped-def]
        for number, doc in enumerate(docs):
            if number == 10:
                reading.set()
                written.wait(10)
            yield doc

    def rebuild_in_thread() -> None:
        with impatient_app.app_context():
            result["documents"] = rebuild(get_index(impatient_app), db.engine, 5, progress=paused)

    thread = threading.Thread(target=rebuild_in_thread)
    thread.start()
    assert reading.wait(20)
    with impatient_app.app_context():
        create_decision(_decision("tijdens-herbouw"), None)
        db.session.commit()  # would time out after 0.3 s if the rebuild's reading blocked it
    written.set()
    thread.join(60)
    assert result["documents"] > 100
    with impatient_app.app_context():
        assert db.session.scalar(select(Decision.id).where(Decision.key == "tijdens-herbouw")) is not None
