"""The shape of the code that the rest relies on: core depends on no domain; one database per app."""
from __future__ import annotations

import ast
from pathlib import Path

from sqlalchemy import func, select

from tests.conftest import TestDatabases
from tracker import create_app
from tracker.config import TestConfig as AppTestConfig
from tracker.core.db import db
from tracker.sources.models import Source

PACKAGE = Path(__file__).resolve().parent.parent / "tracker"
DOMAINS = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - {"core", "parsing"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_core_imports_no_domain_package() -> None:
    assert {"commitments", "decisions", "search", "workflow"} <= DOMAINS
    offending = {}
    for path in (PACKAGE / "core").glob("*.py"):
        bad = {name for name in _imports(path) if name.split(".")[:2][-1] in DOMAINS and name.startswith("tracker.")}
        if bad:
            offending[path.name] = sorted(bad)
    assert offending == {}


def test_the_seed_loader_and_the_importers_import_no_models_to_write(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """They may read models; every write goes through the domains' operations (the guard checks that)."""
    for name in ("seeds.py", "agreement.py", "decisions.py"):
        imported = _imports(PACKAGE / "importers" / name)
        assert any(module.endswith(".operations") for module in imported), name


def test_two_apps_in_one_process_each_use_their_own_database(databases: TestDatabases, seeded_db: str,
                                                              empty_db: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    seeded = create_app(AppTestConfig(databases.clone("seeded", tmp_path / "a"), str(tmp_path / "a-index")))
    empty = create_app(AppTestConfig(databases.clone("empty", tmp_path / "b"), str(tmp_path / "b-index")))
    try:
        with empty.app_context():
            assert db.session.scalar(select(func.count()).select_from(Source)) == 0
        with seeded.app_context():
            assert db.session.scalar(select(func.count()).select_from(Source)) > 0
            with empty.app_context():  # a CLI command of one app inside another's request
                assert db.session.scalar(select(func.count()).select_from(Source)) == 0
            assert db.session.scalar(select(func.count()).select_from(Source)) > 0
    finally:
        for app in (seeded, empty):
            with app.app_context():
                url = str(db.engine.url.render_as_string(hide_password=False))
                db.engine.dispose()
            databases.drop(url)
