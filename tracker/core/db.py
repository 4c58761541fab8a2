"""Database engine, session and declarative base; one transaction per request."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, TypeVar

from flask import Flask, abort, g
from sqlalchemy import MetaData, create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, scoped_session, sessionmaker

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


T = TypeVar("T")


class Database:
    """Holds the engine and a scoped session bound to the Flask app context."""

    def __init__(self) -> None:
        self.engine: Engine | None = None
        self.session = scoped_session(sessionmaker(expire_on_commit=False), scopefunc=_scope)

    def init_app(self, app: Flask) -> None:
        self.engine = make_engine(app.config["DATABASE_URL"])
        self.session.configure(bind=self.engine)
        app.extensions["tracker_db"] = self

        @app.teardown_appcontext
        def _remove_session(exc: BaseException | None) -> None:
            if exc is not None:
                self.session.rollback()
            self.session.remove()

    def get_or_404(self, model: type[T], ident: Any) -> T:
        """Load a row by primary key.

        :raise 404: when no row has that key.
        """
        # Ids are 32-bit integers on PostgreSQL; a larger one cannot name a row.
        if not isinstance(ident, int) or not 1 <= ident <= 2**31 - 1:
            abort(404)
        obj = self.session.get(model, ident)
        if obj is None:
            abort(404)
        return obj


def _scope() -> int:
    # One session per app context (a request, a CLI command, a test block).
    try:
        return id(g._get_current_object())
    except RuntimeError:
        return 0


def make_engine(url: str) -> Engine:
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # Let SQLAlchemy, not the sqlite3 module, decide when transactions
            # begin, so that savepoints and rollbacks behave as on PostgreSQL.
            dbapi_conn.isolation_level = None
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=10000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn):  # type: ignore[no-untyped-def]
            conn.exec_driver_sql("BEGIN")

    return engine


db = Database()

