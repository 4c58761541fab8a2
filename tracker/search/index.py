"""The index on disk: creating it, the writer lock with a bounded wait, and one searcher per process."""
from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from flask import Flask, current_app
from whoosh import index
from whoosh.index import FileIndex, LockError
from whoosh.searching import Searcher
from whoosh.writing import SegmentWriter

from tracker.search.engine import Scorer
from tracker.search.lock import LOCK_FILE, Holder, WriterLock
from tracker.search.schema import FACETS, SCHEMA, SCHEMA_VERSION

VERSION_FILE = "tracker-schema-version"

logger = logging.getLogger("tracker.search")

__all__ = ["IndexView", "LockError", "SearchIndex", "get_index"]


class SegmentCache:
    """Per-document data read from a segment's columns, kept while the segment is in the index.

    Segments never change once written (deletions are kept apart), so after a small update only
    the new segment is read: the first search after a change stays fast.
    """

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], list[Any]] = {}
        self._lock = threading.Lock()

    def get(self, segment_id: str, name: str, read: Callable[[], list[Any]]) -> list[Any]:
        key = (segment_id, name)
        with self._lock:
            cached = self._data.get(key)
        if cached is None:
            cached = read()
            with self._lock:
                self._data[key] = cached
        return cached

    def keep_only(self, segment_ids: set[str]) -> None:
        with self._lock:
            for key in [k for k in self._data if k[0] not in segment_ids]:
                del self._data[key]


class IndexView:
    """A searcher on one generation of the index, with its facet columns read once."""

    def __init__(self, searcher: Searcher, cache: SegmentCache | None = None) -> None:
        self.searcher = searcher
        self.generation = searcher.reader().generation()
        self.cache = cache or SegmentCache()
        self.leaves = [(reader, offset, reader.segment().segment_id())
                       for reader, offset in searcher.reader().leaf_readers()]
        self.cache.keep_only({segment_id for _, _, segment_id in self.leaves})
        self._columns: dict[str, list[Any]] | None = None
        self._distinct: dict[str, dict[str, str]] = {}
        self._scorers: dict[bool, Scorer] = {}
        self._memo: dict[str, Any] = {}

    def memo(self, name: str, make: Callable[[], Any]) -> Any:
        """A value computed once for this generation of the index."""
        if name not in self._memo:
            self._memo[name] = make()
        return self._memo[name]

    @property
    def scorer(self) -> Scorer:
        """Scores queries on this generation by the fast path; keeps its per-field length tables."""
        return self.scorer_for(fast=True)

    def scorer_for(self, fast: bool) -> Scorer:
        """The scorer of this generation by the fast path, or one that leaves it all to Whoosh."""
        if fast not in self._scorers:
            self._scorers[fast] = Scorer(self.searcher, self.per_document, fast=fast)
        return self._scorers[fast]

    def per_document(self, name: str, read: Callable[[Any], list[Any]]) -> list[Any]:
        """``read(segment_reader)`` for every segment, joined in document-number order (cached)."""
        values: list[Any] = []
        for reader, offset, segment_id in self.leaves:
            assert offset == len(values), "segments out of document-number order"
            values.extend(self.cache.get(segment_id, name, lambda r=reader: read(r)))
        return values

    @property
    def columns(self) -> dict[str, list[Any]]:
        """Per field, the value of every document number: facet values as tuples, ``day`` as int.

        Read from the sortable columns, so facet counts, filters and sorting by date cost a list
        lookup per hit instead of a stored-field read.
        """
        if self._columns is None:
            columns: dict[str, list[Any]] = {}
            for name in FACETS:
                columns[name] = self.per_document(f"column:{name}", lambda r, n=name: _split_column(r, n))
            for name in ("day", "seq"):
                columns[name] = self.per_document(f"column:{name}", lambda r, n=name: list(r.column_reader(n)))
            self._columns = columns
        return self._columns

    def canonical(self, facet: str, value: str) -> str:
        """The facet value as the index holds it, matched without regard to case."""
        if facet not in self._distinct:
            self._distinct[facet] = {v.lower(): v for values in set(self.columns[facet]) for v in values}
        return self._distinct[facet].get(value.lower(), value)

    def close(self) -> None:
        self.searcher.close()


class SearchIndex:
    """The index of one app in this process: opened lazily, one searcher shared by all requests.

    Whoosh searchers are not thread-safe, so ``reading()`` serialises searches within the process;
    the searcher is replaced when another process (or this one) commits a new generation, because
    ``Searcher.refresh()`` has been seen to return a deleted document next to its replacement.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._ix: FileIndex | None = None
        self._view: IndexView | None = None
        self._cache = SegmentCache()
        self._lock = threading.RLock()
        self.last_sync_check = 0.0
        self.stale_holder: Holder | None = None
        self._damage: tuple[tuple[tuple[str, int, int], ...], list[str]] | None = None

    # ----------------------------------------------------------------------- state

    def exists(self) -> bool:
        """Whether the folder holds an index (a table of contents), without opening it."""
        return self.path.is_dir() and any(self.path.glob("_MAIN_*.toc"))

    def schema_is_current(self) -> bool:
        """Whether the index on disk was built with this code's schema (else it needs a rebuild)."""
        version = self.path / VERSION_FILE
        if not self.exists() or not version.is_file() or version.read_text().strip() != SCHEMA_VERSION:
            return False
        try:
            return sorted(self.open().schema.names()) == sorted(SCHEMA.names())
        except Exception:  # noqa: BLE001 - an index pickled by older code may not even load
            self._ix = None
            return False

    def usable(self) -> bool:
        """Whether searches and incremental updates can use the index as it is."""
        return self.exists() and self.schema_is_current()

    def damage(self) -> list[str]:
        """What makes the index unreadable (Dutch descriptions), or [] when every file reads.

        Reads the whole index once per state of its folder (names, sizes and modification times of
        its files), so repeated failures of a damaged or of an intact index do not read it again.
        """
        state = self._folder_state()
        with self._lock:
            if self._damage is not None and self._damage[0] == state:
                return list(self._damage[1])
        from tracker.search.integrity import find_damage

        problems = find_damage(self.path)
        with self._lock:
            self._damage = (state, problems)
        return list(problems)

    def _folder_state(self) -> tuple[tuple[str, int, int], ...]:
        state = []
        try:
            entries = list(os.scandir(self.path))
        except OSError:
            return ()
        for entry in entries:
            if entry.name.startswith(LOCK_FILE):
                continue  # rewritten by every writer; says nothing about the index's content
            if entry.name.startswith(("_MAIN_", "MAIN_")) and entry.is_file():
                try:
                    info = entry.stat()
                except OSError:
                    continue
                state.append((entry.name, info.st_size, info.st_mtime_ns))
        return tuple(sorted(state))

    def doc_count(self) -> int:
        if not self.usable():
            return 0
        return self.open().doc_count()

    def open(self) -> FileIndex:
        if self._ix is None:
            self._ix = index.open_dir(str(self.path))
        return self._ix

    def create(self) -> FileIndex:
        """Create an empty index (removing any index files already in the folder)."""
        with self._lock:
            self._close_view()
            self.path.mkdir(parents=True, exist_ok=True)
            self._ix = index.create_in(str(self.path), SCHEMA)
            (self.path / VERSION_FILE).write_text(SCHEMA_VERSION + "\n")
            return self._ix

    # ----------------------------------------------------------------------- writing

    def writer(self, timeout: float, create: bool = False, **kwargs: Any) -> SegmentWriter:
        """Open a writer in this process, waiting at most ``timeout`` seconds for another writer's lock.

        Only ever one process: Whoosh's multiprocessing writer forks workers that inherit the lock
        and keep it when the parent is killed (tracker.search.lock). A lock left by a holder that no
        longer runs is broken, logged and kept in ``stale_holder`` for the CLI to report.
        ``create``: first replace the index by an empty one (under the lock).
        :raise LockError: when the lock stays taken.
        """
        lock = WriterLock(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        lock.acquire(timeout)
        if lock.broken is not None:
            self.stale_holder = lock.broken
            logger.warning("Broke the search index lock of process %s on %s, which no longer runs",
                           lock.broken.pid, lock.broken.host)
        try:
            ix = self.create() if create else self.open()
            writer = SegmentWriter(ix, _lk=False, **kwargs)
        except BaseException:
            lock.release()
            raise
        writer.writelock = lock  # released by Whoosh when the writer commits or cancels
        return writer

    # ----------------------------------------------------------------------- reading

    @contextmanager
    def reading(self) -> Iterator[IndexView]:
        """The current view of the index, held for the length of the ``with`` block."""
        with self._lock:
            ix = self.open()
            if self._view is None or self._view.generation != ix.latest_generation():
                self._close_view()
                self._view = IndexView(ix.searcher(), self._cache)
            yield self._view

    def _close_view(self) -> None:
        if self._view is not None:
            self._view.close()
            self._view = None

    def close(self) -> None:
        with self._lock:
            self._close_view()
            self._ix = None


def _split_column(reader: Any, name: str) -> list[tuple[str, ...]]:
    split: dict[str, tuple[str, ...]] = {}
    values = []
    for raw in reader.column_reader(name):
        value = split.get(raw)
        if value is None:
            value = split[raw] = tuple(v for v in raw.split(",") if v) if raw else ()
        values.append(value)
    return values


def get_index(app: Flask | None = None) -> SearchIndex:
    """The app's SearchIndex (created by init_app)."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    return app.extensions["search_index"]
