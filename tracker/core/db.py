"""The database: declarative base, one engine and session factory per application (Flask-SQLAlchemy)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, TypeVar

from flask import Flask, abort
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import Integer, MetaData, event
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

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


class Versioned:
    """A record editors change in forms: its version is bumped by every change (compare-and-swap)."""

    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Database(SQLAlchemy):
    """Flask-SQLAlchemy with our declarative base: ``db.session`` and ``db.engine`` belong to the current app."""

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        busy_ms = int(float(app.config.get("SQLITE_BUSY_TIMEOUT", SQLITE_BUSY_TIMEOUT_MS / 1000)) * 1000)

        def pragmas(dbapi_conn: Any, record: Any) -> None:
            _sqlite_pragmas(dbapi_conn, record, busy_ms)

        with app.app_context():
            for engine in self.engines.values():
                if engine.dialect.name == "sqlite":
                    event.listen(engine, "connect", pragmas)
                    event.listen(engine, "begin", _sqlite_begin)
        app.register_error_handler(OperationalError, _database_busy)

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


def is_busy(exc: BaseException) -> bool:
    """Whether a database error means another writer holds the lock (try again), not a fault."""
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return True
    if "database is locked" in str(orig) or "database table is locked" in str(orig):
        return True
    # PostgreSQL: serialization failure, deadlock, lock not available.
    return getattr(orig, "sqlstate", None) in ("40001", "40P01", "55P03")


BUSY_MESSAGE = ("Iemand anders schrijft op dit moment in de databank; uw wijziging is niet opgeslagen. "
                "Probeer het over enkele seconden opnieuw.")


def _database_busy(exc: OperationalError) -> Any:
    """Another writer won the lock: a Dutch 503 and a rollback, not a traceback; other errors stay 500s."""
    from flask import jsonify, render_template, request

    db.session.rollback()
    if not is_busy(exc):
        raise exc
    if request.path.startswith("/api/"):
        return jsonify(error=BUSY_MESSAGE, status=503), 503, {"Retry-After": "5"}
    return (render_template("error.html", code=503, title="Even bezet", message=BUSY_MESSAGE), 503,
            {"Retry-After": "5"})


def _sqlite_pragmas(dbapi_conn: Any, _record: Any, busy_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that savepoints
    # and rollbacks behave as on PostgreSQL.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(busy_ms)}")
    # Write-ahead logging: readers (pages, an index rebuild) never block a writer, nor it them.
    if cur.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
        cur.execute("PRAGMA journal_mode=WAL")
    cur.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


db = Database(model_class=Base, session_options={"expire_on_commit": False})
