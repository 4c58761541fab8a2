"""Search fixtures: a seeded database with its index built once per run, copied for each test."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import TestDatabases, load_seed_data, make_app
from tracker.core.cli import committed
from tracker.core.db import db
from tracker.search.index import get_index
from tracker.search.outbox import pending_count, rebuild

SEARCH_SETTINGS = {
    "SEARCH_SYNC_INTERVAL": 0,  # check the queue at every request
    "SEARCH_LOCK_TIMEOUT": 0.3,
    "SEARCH_REQUEST_LOCK_TIMEOUT": 0.05,
    "SEARCH_CLI_LOCK_TIMEOUT": 2.0,
}


def _seed_and_index(app: Flask) -> None:
    load_seed_data(app)
    rebuild(get_index(app), db.engine, timeout=5)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def search_db(databases: TestDatabases) -> tuple[str, Path]:
    """The seeded template database and the index built from it (copy both; never write to them)."""
    url = databases.template("search", _seed_and_index)
    return url, databases.folder / "index-search"


def _search_app(databases: TestDatabases, search_db: tuple[str, Path], folder: Path) -> Iterator[Flask]:
    _, index_dir = search_db
    url = databases.clone("search", folder)
    shutil.copytree(index_dir, folder / "index")
    application = make_app(url, folder / "index")
    application.config.update(SEARCH_SETTINGS)
    yield application
    get_index(application).close()
    with application.app_context():
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture
def app(databases: TestDatabases, search_db: tuple[str, Path], tmp_path: Path) -> Iterator[Flask]:
    """Overrides tests/conftest.py's app: the seeded database plus an up-to-date index of it."""
    yield from _search_app(databases, search_db, tmp_path)


@pytest.fixture(scope="module")
def readonly_app(databases: TestDatabases, search_db: tuple[str, Path],
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for a whole module of tests that only read (property tests)."""
    yield from _search_app(databases, search_db, tmp_path_factory.mktemp("readonly"))


@pytest.fixture
def api(client: FlaskClient):  # type: ignore[no-untyped-def]
    """GET /api/v1/search with these arguments; returns the JSON (asserting a 200)."""

    def get(**args: Any) -> dict[str, Any]:
        response = client.get("/api/v1/search", query_string=args)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    return get


@pytest.fixture
def commit_and_index(app: Flask):  # type: ignore[no-untyped-def]
    """Commit the current session and run the after-commit hooks, as the CLI does."""

    def run() -> None:
        db.session.commit()
        committed()

    return run


@pytest.fixture
def queue_size(app: Flask):  # type: ignore[no-untyped-def]
    def size() -> int:
        with app.app_context():
            return pending_count(db.engine)

    return size
