"""Fixtures: template databases built once per run through the real migrations, cloned per test.

By default the databases are SQLite files. With TRACKER_TEST_POSTGRES_URL set (a URL of a
PostgreSQL server whose user may create databases, e.g.
``postgresql+psycopg://tracker:tracker@127.0.0.1/postgres``) the same tests run on PostgreSQL,
each test on its own database created from a template.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Callable, Iterator

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tracker import create_app
from tracker.config import TestConfig
from tracker.core.db import db

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
REAL_DATA = ROOT.parent / "shared" / "real-data"
POSTGRES_URL = os.environ.get("TRACKER_TEST_POSTGRES_URL", "")


def make_app(database: Path | str, index_dir: Path) -> Flask:
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    return create_app(TestConfig(url, str(index_dir)))


class TestDatabases:
    """Builds named template databases once and gives each test its own copy."""

    __test__ = False

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.templates: dict[str, str] = {}

    @property
    def on_postgres(self) -> bool:
        return bool(POSTGRES_URL)

    def template(self, name: str, build: Callable[[Flask], None]) -> str:
        """The URL of template ``name``, built on first use by migrating and calling ``build``."""
        if name not in self.templates:
            url = self._create(f"tpl_{name}")
            app = make_app(url, self.folder / f"index-{name}")
            with app.app_context():
                from tracker.core.cli import upgrade_database

                upgrade_database()
                build(app)
                db.session.remove()
                # Closing the last connection also folds SQLite's write-ahead log into the file we copy.
                db.engine.dispose()
            self.templates[name] = url
        return self.templates[name]

    def clone(self, name: str, tmp_path: Path) -> str:
        source = self.templates[name]
        if not self.on_postgres:
            target = tmp_path / f"{name}.db"
            shutil.copy(make_url(source).database, target)  # type: ignore[arg-type]
            return f"sqlite:///{target}"
        return self._create(f"t_{uuid.uuid4().hex[:12]}", template=make_url(source).database)

    def drop(self, url: str) -> None:
        if self.on_postgres:
            with self._admin() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))

    def _create(self, name: str, template: str | None = None) -> str:
        if not self.on_postgres:
            path = self.folder / f"{name}.db"
            path.unlink(missing_ok=True)
            return f"sqlite:///{path}"
        database = f"tracker_{name}"
        with self._admin() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.execute(text(f'CREATE DATABASE "{database}"{suffix}'))
        return make_url(POSTGRES_URL).set(database=database).render_as_string(hide_password=False)

    def _admin(self):  # type: ignore[no-untyped-def]
        engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        return _Disposing(engine)


class _Disposing:
    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.engine = engine

    def __enter__(self):  # type: ignore[no-untyped-def]
        self.conn = self.engine.connect()
        return self.conn

    def __exit__(self, *exc) -> None:  # type: ignore[no-untyped-def]
        self.conn.close()
        self.engine.dispose()


def load_seed_data(app: Flask) -> None:
    from tracker.importers.seeds import load_seeds

    load_seeds(db.session, SEEDS)
    db.session.commit()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestDatabases]:
    dbs = TestDatabases(tmp_path_factory.mktemp("databases"))
    yield dbs
    for url in dbs.templates.values():
        dbs.drop(url)


@pytest.fixture(scope="session")
def seeded_db(databases: TestDatabases) -> str:
    """The URL of the seeded template (clone it; never write to it)."""
    return databases.template("seeded", load_seed_data)


@pytest.fixture(scope="session")
def empty_db(databases: TestDatabases) -> str:
    """The URL of a migrated database without data (clone it; never write to it)."""
    return databases.template("empty", lambda app: None)


def app_on(databases: TestDatabases, name: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on a fresh copy of template ``name``; dropped afterwards."""
    url = databases.clone(name, tmp_path)
    application = make_app(url, tmp_path / "index")
    yield application
    with application.app_context():
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture
def app(databases: TestDatabases, seeded_db: str, tmp_path: Path) -> Iterator[Flask]:
    """An app on its own copy of the seeded database: tests commit for real and stay isolated."""
    yield from app_on(databases, "seeded", tmp_path)


@pytest.fixture
def empty_app(databases: TestDatabases, empty_db: str, tmp_path: Path) -> Iterator[Flask]:
    yield from app_on(databases, "empty", tmp_path)


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


@pytest.fixture
def evidence(ctx):  # type: ignore[no-untyped-def]
    """A source passage that evidences a status: the analysis's verdict on section 3.2.3."""
    from sqlalchemy import select

    from tracker.sources.models import Source
    from tracker.workflow.operations import EvidenceInput

    analysis = ctx.scalar(select(Source).where(Source.key == "analyse-ra-2019-3.2.3"))
    return [EvidenceInput("source", analysis.id, "De regering heeft haar beloften overwegend nagekomen.")]


def commitment(ctx, key: str = "vds/2.3"):  # type: ignore[no-untyped-def]
    """A seeded commitment by key."""
    from sqlalchemy import select

    from tracker.commitments.models import Commitment

    return ctx.scalar(select(Commitment).where(Commitment.key == key))


# --------------------------------------------------------------------------- accounts

PASSWORD = "een lange zin als wachtwoord"
ACCOUNTS = {"editor": "redacteur@example.be", "reviewer": "beoordelaar@example.be", "admin": "beheerder@example.be"}
NAMES = {"editor": "Eva Redacteur", "reviewer": "Rik Beoordelaar", "admin": "Ann Beheerder"}


@pytest.fixture
def accounts(app: Flask) -> dict[str, str]:
    """One account that can log in per role (created through the operations): role → e-mail address."""
    from tracker.accounts.operations import create_user

    with app.app_context():
        for role, email in ACCOUNTS.items():
            create_user(email, NAMES[role], role, email=email, password=PASSWORD)
            db.session.commit()
    return dict(ACCOUNTS)


def log_in(app: Flask, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    """A new test client logged in as ``email`` through the login page."""
    browser = app.test_client()
    response = browser.post("/aanmelden", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    return browser


@pytest.fixture
def client_as(app: Flask, accounts: dict[str, str]):  # type: ignore[no-untyped-def]
    """``client_as("editor")``: a test client logged in with that role (None: anonymous)."""

    def make(role: str | None):  # type: ignore[no-untyped-def]
        return app.test_client() if role is None else log_in(app, accounts[role])

    return make


@pytest.fixture(scope="session", autouse=True)
def private_temp_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Whoosh keeps scratch files under the temporary directory with fixed names (MAIN.tmp): give each
    test run its own, so two runs on one machine cannot delete each other's."""
    import tempfile

    previous = tempfile.tempdir
    tempfile.tempdir = str(tmp_path_factory.mktemp("tmp"))
    yield
    tempfile.tempdir = previous
