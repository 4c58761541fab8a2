"""Fixtures: a seeded database built once per run through the real migrations, copied per test."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask

from tracker import create_app
from tracker.config import TestConfig
from tracker.core.db import db

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REAL_DATA = ROOT.parent / "shared" / "real-data"


def make_app(db_path: Path, index_dir: Path) -> Flask:
    return create_app(TestConfig(f"sqlite:///{db_path}", str(index_dir)))


def build_database(path: Path, index_dir: Path, *, seed: bool = True) -> None:
    from tracker.core.cli import upgrade_database
    from tracker.importers.seeds import load_seeds

    app = make_app(path, index_dir)
    with app.app_context():
        upgrade_database()
        if seed:
            load_seeds(db.session, SEEDS)
            db.session.commit()
    db.engine.dispose()


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seeded")
    path = folder / "tracker.db"
    build_database(path, folder / "index")
    return path


@pytest.fixture(scope="session")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("empty")
    path = folder / "tracker.db"
    build_database(path, folder / "index", seed=False)
    return path


@pytest.fixture
def app(seeded_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """An app on its own copy of the seeded database: tests commit for real and stay isolated."""
    path = tmp_path / "tracker.db"
    shutil.copy(seeded_db, path)
    application = make_app(path, tmp_path / "index")
    yield application
    db.session.remove()
    db.engine.dispose()


@pytest.fixture
def empty_app(empty_db: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "tracker.db"
    shutil.copy(empty_db, path)
    application = make_app(path, tmp_path / "index")
    yield application
    db.session.remove()
    db.engine.dispose()


@pytest.fixture
def client(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def ctx(app: Flask):  # type: ignore[no-untyped-def]
    """An application context for calling operations and queries directly."""
    with app.app_context():
        yield db.session
        db.session.rollback()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()
