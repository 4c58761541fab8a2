"""Models and migrations agree, and the migrations run both ways on a database holding data."""
from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, func, inspect, select

import tracker.models  # noqa: F401
from tests.conftest import SEEDS
from tracker.core.db import Base, db
from tracker.importers.seeds import load_seeds
from tracker.sources.models import Source


def test_autogenerate_finds_no_difference(empty_db: str) -> None:
    engine = create_engine(empty_db)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_upgrade_downgrade_upgrade_round_trip_with_seed_data(app) -> None:  # type: ignore[no-untyped-def]
    from tracker.core.cli import alembic_config

    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Source)) > 0
        db.session.remove()
        cfg = alembic_config()
        command.downgrade(cfg, "base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        command.upgrade(cfg, "head")
        assert "commitments" in inspect(db.engine).get_table_names()
        report = load_seeds(db.session, SEEDS)
        db.session.commit()
        assert report.created["engagementen"] > 50
