"""The database: declarative base, one engine and session factory per application (Flask-SQLAlchemy)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, TypeVar

from flask import Flask, abort
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
# Milliseconds a SQLite writer waits for another one before it gives up with "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 10_000


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


T = TypeVar("T")


class Database(SQLAlchemy):
    """Flask-SQLAlchemy with our declarative base: ``db.session`` and ``db.engine`` belong to the current app."""

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        with app.app_context():
            for engine in self.engines.values():
                if engine.dialect.name == "sqlite":
                    event.listen(engine, "connect", _sqlite_pragmas)
                    event.listen(engine, "begin", _sqlite_begin)

    def get_or_404(self, model: type[T], ident: Any, **_: Any) -> T:  # type: ignore[override]
        """Load a row by primary key.

        :raise 404: when no row has that key (or the key cannot name a row at all).
        """
        # Ids are 32-bit integers on PostgreSQL; a larger one cannot name a row.
        if not isinstance(ident, int) or isinstance(ident, bool) or not 1 <= ident <= 2**31 - 1:
            abort(404)
        obj = self.session.get(model, ident)
        if obj is None:
            abort(404)
        return obj


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that savepoints
    # and rollbacks behave as on PostgreSQL.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # Write-ahead logging: readers (pages, an index rebuild) never block a writer, nor it them.
    if cur.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


db = Database(model_class=Base, session_options={"expire_on_commit": False})
