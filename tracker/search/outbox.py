"""Keeping the index in step with the database through an outbox table.

Every flush that touches a searchable record writes ``IndexQueueItem`` rows in the same transaction,
so a rollback leaves no trace and a crash after the commit loses nothing. After the commit,
``apply_pending`` takes the index lock (waiting a bounded time), reads the queued records as they
are *now* in the database, updates or deletes their documents, commits the index and only then
deletes the queue rows it handled. Reading the records while holding the lock means two processes
applying at once cannot write an older version over a newer one. If the lock stays taken, the rows
wait for the next request or ``tracker index sync``.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from flask import Flask
from sqlalchemy import delete, event, func, insert, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import get_history

from tracker.commitments.models import Commitment, Link
from tracker.decisions.models import DecisionDocument, decision_sources
from tracker.projects.models import Organisation, Programme, Project
from tracker.search import logger
from tracker.search.documents import (
    MODELS,
    build_documents,
    count_records,
    doc_key,
    iter_all_documents,
)
from tracker.search.index import LockError, SearchIndex
from tracker.search.models import IndexQueueItem
from tracker.sources.models import Source
from tracker.workflow.models import StatusChange

_TYPE_OF = {model: doc_type for doc_type, model in MODELS.items()}
BATCH = 1000  # the default of SEARCH_BATCH_SIZE
# Set in Session.info by a flush that queued updates; the after-commit hook looks for it.
QUEUED_FLAG = "search_index_queued"

# --------------------------------------------------------------------------- collecting changes


def register_listener() -> None:
    """Listen to every Session's flushes (once per process)."""
    if not event.contains(Session, "after_flush", _collect_changes):
        event.listen(Session, "after_flush", _collect_changes)


def _collect_changes(session: Session, flush_context: Any) -> None:
    """Queue an index update for each searchable record this flush created, changed or deleted.

    after_flush still sees the pre-flush new/dirty/deleted sets, and new rows already have their
    ids. The rows go in through the flush's own connection, so they share its transaction.
    """
    keys: set[tuple[str, int]] = set()
    connection = None

    def conn() -> Connection:
        nonlocal connection
        if connection is None:
            connection = session.connection(bind_arguments={"mapper": IndexQueueItem.__mapper__})
        return connection

    for obj in session.new:
        keys |= _affected(obj, conn, new=True)
    for obj in session.deleted:
        keys |= _affected(obj, conn, new=False)
    for obj in session.dirty:
        if session.is_modified(obj):
            keys |= _affected(obj, conn, new=False)
    if keys:
        conn().execute(insert(IndexQueueItem.__table__),
                       [{"doc_type": t, "doc_id": i} for t, i in sorted(keys)])
        session.info[QUEUED_FLAG] = True


def _values(obj: Any, attr: str) -> set[int]:
    """Every value an attribute had or has in this flush (old and new ends of a moved link)."""
    history = get_history(obj, attr)
    values = set(history.added or ()) | set(history.unchanged or ()) | set(history.deleted or ())
    current = getattr(obj, attr, None)
    if current is not None:
        values.add(current)
    return {v for v in values if v is not None}


def _changed(obj: Any, *attrs: str) -> bool:
    return any(get_history(obj, a).has_changes() for a in attrs)


def _affected(obj: Any, conn: Callable[[], Connection], new: bool) -> set[tuple[str, int]]:
    keys: set[tuple[str, int]] = set()
    doc_type = _TYPE_OF.get(type(obj))
    if doc_type is not None and obj.id is not None:
        keys.add((doc_type, obj.id))
    if isinstance(obj, Link):
        for attr, end in (("commitment_id", "commitment"), ("decision_id", "decision"),
                          ("project_id", "project")):
            keys |= {(end, v) for v in _values(obj, attr)}
    elif isinstance(obj, StatusChange):
        keys |= {("commitment", v) for v in _values(obj, "commitment_id")}
    elif isinstance(obj, DecisionDocument):
        keys |= {("decision", v) for v in _values(obj, "decision_id")}
    elif not new and obj.id is not None:
        # Documents that copy a field of this record into their own text or facets.
        if isinstance(obj, Organisation) and _changed(obj, "name", "abbreviation"):
            keys |= _rows(conn(), "project", select(Project.id).where(Project.organisation_id == obj.id))
        elif isinstance(obj, Programme) and _changed(obj, "key", "name", "short_name"):
            keys |= _rows(conn(), "project", select(Project.id).where(Project.programme_id == obj.id))
        elif isinstance(obj, Source) and _changed(obj, "key"):
            keys |= _rows(conn(), "commitment", select(Commitment.id).where(Commitment.source_id == obj.id))
            keys |= _rows(conn(), "decision", select(decision_sources.c.decision_id)
                          .where(decision_sources.c.source_id == obj.id))
    return keys


def _rows(conn: Connection, doc_type: str, stmt: Any) -> set[tuple[str, int]]:
    return {(doc_type, row_id) for row_id in conn.execute(stmt).scalars()}


# --------------------------------------------------------------------------- applying the queue


@dataclass
class SyncResult:
    updated: int = 0
    deleted: int = 0
    remaining: int = 0
    locked: bool = False
    missing_index: bool = False


def pending_count(engine: Engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(IndexQueueItem)) or 0


def has_pending(engine: Engine) -> bool:
    with Session(engine) as session:
        return session.scalar(select(IndexQueueItem.id).limit(1)) is not None


def apply_pending(idx: SearchIndex, engine: Engine, timeout: float, batches: int | None = 1,
                  batch: int = BATCH) -> SyncResult:
    """Apply queued updates to the index, ``batch`` queue rows at a time.

    Waits at most ``timeout`` seconds for the index lock; when it stays taken the queue is left as
    it is (``result.locked``). ``batches=None`` repeats until the queue is empty.
    """
    result = SyncResult()
    if not idx.usable():
        # Nothing to update, or built by other code: a rebuild (which empties the queue) is needed.
        result.missing_index = True
    else:
        rounds = 0
        while batches is None or rounds < batches:
            rounds += 1
            try:
                handled = _apply_batch(idx, engine, timeout, batch, result)
            except LockError:
                logger.info("Search index is locked by another writer; queued updates wait")
                result.locked = True
                break
            if handled < batch:
                break
    result.remaining = pending_count(engine)
    return result


def _apply_batch(idx: SearchIndex, engine: Engine, timeout: float, batch: int,
                 result: SyncResult) -> int:
    """Apply the oldest ``batch`` queue rows; return how many rows were handled."""
    writer = idx.writer(timeout)
    try:
        with Session(engine) as session:
            rows = session.execute(
                select(IndexQueueItem.id, IndexQueueItem.doc_type, IndexQueueItem.doc_id)
                .order_by(IndexQueueItem.id).limit(batch)).all()
            wanted: dict[str, set[int]] = {}
            for _, doc_type, doc_id in rows:
                if doc_type in MODELS:
                    wanted.setdefault(doc_type, set()).add(doc_id)
            for doc_type, ids in wanted.items():
                docs = build_documents(session, doc_type, ids)
                for doc_id in ids:
                    if doc_id in docs:
                        writer.update_document(**docs[doc_id])
                        result.updated += 1
                    else:
                        writer.delete_by_term("id", doc_key(doc_type, doc_id))
                        result.deleted += 1
        if rows:
            writer.commit()
        else:
            writer.cancel()
    except BaseException:
        writer.cancel()
        raise
    _delete_rows(engine, [row[0] for row in rows])
    return len(rows)


def _delete_rows(engine: Engine, ids: list[int]) -> None:
    with Session(engine) as session, session.begin():
        for start in range(0, len(ids), 500):
            session.execute(delete(IndexQueueItem).where(IndexQueueItem.id.in_(ids[start:start + 500])))


def safe_apply(app: Flask, timeout: float, batches: int | None = 1) -> SyncResult | None:
    """apply_pending for request hooks: a failure is logged, never shown to the user."""
    from tracker.core.db import db
    from tracker.search.index import get_index
    from tracker.search.settings import setting

    idx = get_index(app)
    try:
        return apply_pending(idx, db.engine, timeout, batches=batches,  # type: ignore[arg-type]
                             batch=setting("SEARCH_BATCH_SIZE", app))
    except Exception:  # noqa: BLE001 - the change is committed; the queue keeps it for later
        try:
            problems = idx.damage()
        except Exception:  # noqa: BLE001
            problems = []
        if problems:
            logger.error("The search index is damaged, queued updates wait for `tracker index rebuild`: %s",
                         "; ".join(problems))
        else:
            logger.exception("Applying queued search index updates failed; they stay queued")
        return None


# --------------------------------------------------------------------------- rebuilding


def rebuild(idx: SearchIndex, engine: Engine, timeout: float,
            progress: Callable[[Iterable[Any], int], Iterable[Any]] | None = None) -> int:
    """Build the whole index from the database and drop the queue rows it covers.

    Runs under the index lock and replaces all segments at commit, so searchers see either the old
    or the new index; the old segments are not read, so this also repairs a damaged index. An index
    that cannot be opened or has another schema is replaced by a new one first. One process does
    the work (see SearchIndex.writer). Queue rows written after the rebuild read the database stay
    queued.
    :raise LockError: when another writer keeps the lock longer than ``timeout`` seconds.
    """
    from whoosh.writing import CLEAR

    writer = idx.writer(timeout, create=not idx.usable(), limitmb=256)
    count = 0
    try:
        with Session(engine) as session:
            # Exactly the rows visible now: a transaction that commits later may hold a lower id.
            covered = list(session.scalars(select(IndexQueueItem.id)))
            total = count_records(session)
            docs: Iterable[Any] = iter_all_documents(session)
            if progress is not None:
                docs = progress(docs, total)
            for doc in docs:
                writer.add_document(**doc)
                count += 1
        started = time.monotonic()
        writer.commit(mergetype=CLEAR)
        logger.info("Search index rebuilt: %d documents (commit %.1f s)", count, time.monotonic() - started)
    except BaseException:
        writer.cancel()
        raise
    _delete_rows(engine, covered)
    return count
