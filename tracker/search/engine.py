"""Scoring a query in one pass over the postings: every matching document with its BM25F score.

Whoosh's own search walks a tree of matcher objects per posting and, to give us the hit count and
facets, we would have to run the query twice (once for the documents, once for the top hits). At
20,000 decisions that cost 100-200 ms for queries on common words (measured with the benchmark in
benchmarks/search_bench.py; notes/whoosh.md has more of the same). This module
reads each term's postings block by block, looks the BM25F score up in a small table per
(weight, length) pair, and combines the terms with dictionary and set operations. It handles the
query classes our compiler produces (Term, Or, And, AndNot, Not, Every, ConstantScoreQuery, the
NullQuery, and phrases from the positions of the exact field) and leaves anything else to Whoosh's
matchers.

It reads Whoosh's private segment internals (``whoosh.codec.whoosh3``'s length column, the terms
reader's matcher and the matcher's block methods) for speed. ``fast_scoring_works()`` checks once per
process, on a small index in memory, that they are there and give Whoosh's own BM25F scores; when
they are not (another Whoosh release), or the setting SEARCH_FAST_SCORING is off, or an internal
fails later on, a Scorer hands the whole query to Whoosh's own ``searcher.search`` instead.
"""
from __future__ import annotations

import logging
import threading
from itertools import accumulate
from pickle import UnpicklingError, loads
from typing import Any, Callable, Iterator

from whoosh import query as wq
from whoosh.query.wrappers import ConstantScoreQuery
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

try:  # Whoosh 2.7's codec; the public API below works without it, only slower
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
except ImportError:  # pragma: no cover
    LENGTHS_COLUMN = _lenfield = None  # type: ignore[assignment]

K1 = 1.2
B = 0.75

logger = logging.getLogger("tracker.search")


class FastPathUnavailable(Exception):
    """A private Whoosh internal the fast path needs is missing or does not behave as expected."""

Scores = dict[int, float]


class Scorer:
    """Evaluates compiled queries against one searcher (one generation of the index)."""

    def __init__(self, searcher: Searcher,
                 per_document: Callable[[str, Callable[[Any], list[Any]]], list[Any]] | None = None,
                 fast: bool = True) -> None:
        self.searcher = searcher
        self.leaves = list(searcher.reader().leaf_readers())
        # Reads per-document data segment by segment; the index keeps it for unchanged segments.
        self.per_document = per_document or self._read_all
        self._lengths: dict[str, list[int] | None] = {}
        self._live: list[int] | None = None
        # False: every query goes to Whoosh's own search (set when an internal fails, for good).
        self.fast = fast

    def _read_all(self, name: str, read: Callable[[Any], list[Any]]) -> list[Any]:
        values: list[Any] = []
        for segment, _ in self.leaves:
            values.extend(read(segment))
        return values

    # ----------------------------------------------------------------------- evaluation

    def run(self, q: wq.Query, within: Any = None) -> Scores:
        """Every live document matching ``q`` (and in ``within``, when given), with its score.

        By the fast path, or by Whoosh's own search when the fast path is off or fails.
        """
        if self.fast:
            try:
                return self._run(q, within)
            except FastPathUnavailable as exc:
                logger.warning("Fast scoring failed (%s); this searcher uses Whoosh's own scoring", exc)
                self.fast = False
        return self._whoosh(q, within)

    def _run(self, q: wq.Query, within: Any = None) -> Scores:
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return {}
        if isinstance(q, wq.Term):
            return self._term(q.fieldname, q.text, q.boost, {}, within)
        if isinstance(q, wq.Or):
            acc: Scores = {}
            for sub in q.subqueries:
                if isinstance(sub, wq.Term):
                    self._term(sub.fieldname, sub.text, sub.boost * q.boost, acc, within)
                else:
                    _add(acc, self._run(sub, within), q.boost)
            return acc
        if isinstance(q, wq.AndNot):
            positive = self._run(q.a, within)
            for docnum in self._run(q.b, positive.keys()):
                positive.pop(docnum, None)
            return positive
        if isinstance(q, wq.And):
            return self._and(q, within)
        if isinstance(q, wq.Not):
            excluded = self._run(q.query, within)
            return {d: 0.0 for d in (self.live() if within is None else within) if d not in excluded}
        if isinstance(q, wq.Every):
            return dict.fromkeys(self.live() if within is None else within, 0.0)
        if isinstance(q, ConstantScoreQuery):
            return dict.fromkeys(self._run(q.child, within), float(q.score))
        if isinstance(q, wq.Phrase) and q.slop == 1:
            return self._phrase(q, within)
        return self._whoosh(q, within)

    def docs(self, q: wq.Query) -> set[int]:
        return set(self.run(q))

    def _and(self, q: wq.And, within: Any) -> Scores:
        """The smallest part first; each next part only looks at the documents still in the running."""
        parts = sorted(q.subqueries, key=self.estimate)
        result = self._run(parts[0], within)
        for sub in parts[1:]:
            if not result:
                return {}
            part = self._run(sub, result.keys())
            result = {d: s + part[d] for d, s in result.items() if d in part}
        if q.boost != 1.0:
            result = {d: s * q.boost for d, s in result.items()}
        return result

    def estimate(self, q: wq.Query) -> int:
        """About how many documents ``q`` matches, from term statistics alone."""
        if isinstance(q, wq.Term):
            return self.searcher.doc_frequency(q.fieldname, q.text)
        if isinstance(q, wq.Or):
            return sum(self.estimate(s) for s in q.subqueries)
        if isinstance(q, wq.And):
            return min((self.estimate(s) for s in q.subqueries), default=0)
        if isinstance(q, wq.Phrase):
            return min((self.searcher.doc_frequency(q.fieldname, w) for w in q.words), default=0)
        if isinstance(q, wq.AndNot):
            return self.estimate(q.a)
        if isinstance(q, ConstantScoreQuery):
            return self.estimate(q.child)
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return 0
        return self.searcher.doc_count_all()

    def _whoosh(self, q: wq.Query, within: Any = None) -> Scores:
        """Any other query: Whoosh's matchers, scores from its own BM25F."""
        mask = None if within is None else set(within)
        results = self.searcher.search(q, limit=None, filter=mask, optimize=False)
        return dict(results.items())

    # ----------------------------------------------------------------------- phrases

    def _phrase(self, q: wq.Phrase, within: Any = None) -> Scores:
        """Documents with the words side by side: the rarest word's documents first, then positions."""
        field, words = q.fieldname, list(q.words)
        if not words:
            return {}
        searcher = self.searcher
        order = sorted(range(len(words)), key=lambda i: searcher.doc_frequency(field, words[i]))
        values: list[dict[int, bytes]] = [{} for _ in words]
        allowed: Any = within
        for i in order:
            found = values[i]
            for offset, ids, vals in self._postings(field, words[i], with_values=True):
                if allowed is None:
                    found.update(zip([d + offset for d in ids] if offset else ids, vals))
                else:
                    for docnum, value in zip(ids, vals):
                        docnum += offset
                        if docnum in allowed:
                            found[docnum] = value
            if not found:
                return {}
            allowed = found.keys()
        idf = sum(searcher.idf(field, w) for w in words)
        avg = searcher.avg_field_length(field) or 1.0
        lengths = self.lengths(field)
        first, rest = values[0], values[1:]
        scores: Scores = {}
        for docnum in allowed:
            current = set(_positions(first[docnum]))
            for offset, following in enumerate(rest, start=1):
                current = current.intersection([p - 1 for p in _positions(following[docnum])])
                if not current:
                    break
                current = {p + 1 for p in current}
            if current:
                tf = len(current)
                length = byte_to_length(lengths[docnum]) if lengths else avg
                scores[docnum] = q.boost * idf * ((tf * (K1 + 1)) / (tf + K1 * ((1 - B) + B * length / avg)))
        return scores

    # ----------------------------------------------------------------------- terms

    def _term(self, field: str, text: Any, boost: float, acc: Scores, within: Any = None) -> Scores:
        searcher = self.searcher
        fieldobj = searcher.schema[field] if field in searcher.schema else None
        if fieldobj is None:
            return acc
        scorable = fieldobj.scorable
        idf = searcher.idf(field, text) if scorable else 1.0
        avg = (searcher.avg_field_length(field) or 1.0) if scorable else 1.0
        lengths = self.lengths(field) if scorable else None
        table: dict[float, float] = {}
        get = acc.get
        for offset, ids, weights in self._postings(field, text):
            for docnum, weight in zip(ids, weights):
                docnum += offset
                if within is not None and docnum not in within:
                    continue
                if lengths is None:
                    score = weight * boost
                else:
                    code = lengths[docnum]
                    key = weight * 256 + code
                    score = table.get(key)  # type: ignore[assignment]
                    if score is None:
                        length = byte_to_length(code)
                        score = table[key] = boost * idf * (
                            (weight * (K1 + 1)) / (weight + K1 * ((1 - B) + B * length / avg)))
                acc[docnum] = get(docnum, 0.0) + score
        return acc

    def _postings(self, field: str, text: Any, with_values: bool = False) -> Iterator[tuple[int, Any, Any]]:
        """(offset, docnums, weights or values) blocks of a term's live postings, segment by segment."""
        fieldobj = self.searcher.schema[field]
        btext = fieldobj.to_bytes(text) if not isinstance(text, bytes) else text
        for segment, offset in self.leaves:
            if (field, btext) not in segment:
                continue
            deleted = segment.deleted_docs_set if segment.has_deletions() else None
            try:
                matcher = segment._terms.matcher(field, btext, fieldobj.format, scorer=None)
            except AttributeError as exc:
                raise FastPathUnavailable(f"terms reader: {exc}") from exc
            for ids, weights in _raw_blocks(matcher, with_values):
                if deleted:
                    pairs = [(d, w) for d, w in zip(ids, weights) if d not in deleted]
                    ids, weights = [p[0] for p in pairs], [p[1] for p in pairs]
                yield offset, ids, weights

    def lengths(self, field: str) -> list[int] | None:
        """The stored length byte of ``field`` for every document number."""
        if field not in self._lengths:
            self._lengths[field] = self.per_document(f"length:{field}", lambda r: _segment_lengths(r, field))
        return self._lengths[field]

    def live(self) -> list[int]:
        """Every document number that is not deleted."""
        if self._live is None:
            live: list[int] = []
            for segment, offset in self.leaves:
                deleted = segment.deleted_docs_set if segment.has_deletions() else ()
                live.extend(d + offset for d in range(segment.doc_count_all()) if d not in deleted)
            self._live = live
        return self._live


def _segment_lengths(segment: Any, field: str) -> list[int]:
    if _lenfield is None or LENGTHS_COLUMN is None:
        raise FastPathUnavailable("whoosh.codec.whoosh3 has no LENGTHS_COLUMN/_lenfield")
    try:
        reader = segment._perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    except AttributeError as exc:
        raise FastPathUnavailable(f"length column reader: {exc}") from exc
    if reader is not None:
        return list(reader)
    if segment.field_length(field):
        # Documents of the segment have the field, so it must have a length column: without it
        # every length would read as 0 and change the scores.
        raise FastPathUnavailable(f"no length column for {field!r}")
    # No document of the segment has the field (so no posting will ask).
    return [0] * segment.doc_count_all()


def _raw_blocks(matcher: Any, with_values: bool) -> Iterator[tuple[Any, Any]]:
    try:
        while matcher.is_active():
            matcher._read_ids()
            if with_values:
                matcher._read_values()
                block = matcher._ids, matcher._values
            else:
                matcher._read_weights()
                block = matcher._ids, matcher._weights
            yield block
            matcher._next_block()
    except AttributeError as exc:
        raise FastPathUnavailable(f"posting matcher: {exc}") from exc


def _positions(value: bytes) -> Iterator[int]:
    """Decode a Positions posting value (whoosh.formats.Positions: length, then pickled deltas)."""
    try:
        return accumulate(loads(value[4:] if value[-1] == 46 else value[4:] + b"."))
    except (UnpicklingError, EOFError, ValueError, IndexError, TypeError) as exc:
        raise FastPathUnavailable(f"positions format: {type(exc).__name__}: {exc}") from exc


def _add(acc: Scores, scores: Scores, boost: float = 1.0) -> None:
    get = acc.get
    for docnum, score in scores.items():
        acc[docnum] = get(docnum, 0.0) + score * boost


# --------------------------------------------------------------------------- the start-up self-test

_SELF_TEST_DOCS = [
    {"title": "Digitale overheid in Vlaanderen", "body": "De Vlaamse overheid werkt digitaal en veilig.",
     "refs": "doc12941 21.4"},
    {"title": "Cyberveiligheid", "body": "Digitaal, digitaal en nog eens digitaal: veilige overheid."},
    {"title": "Een lange titel over de digitale overheid van morgen en overmorgen",
     "body": "Kort."},
    {"title": "Onderwijs", "body": "Scholen en leerlingen; geen enkel woord over de overheid."},
    {"title": "Zonder tekst"},
    {"title": "Verwijderd", "body": "digitaal digitaal overheid"},
]
_SELF_TEST_QUERIES = [  # terms as the analyzer stores them: "digital" for digitaal, "over" for overheid
    wq.Term("body", "digital"),
    wq.Or([wq.Term("title", "over"), wq.Term("body", "over", boost=2.0), wq.Term("refs", "doc12941")]),
    wq.And([wq.Term("body", "over"), wq.Or([wq.Term("title", "digital"), wq.Term("exact", "digitaal")])]),
    wq.AndNot(wq.Term("body", "over"), wq.Term("title", "cyberveil")),
    # Phrases: the same documents (scored by phrase frequency, where Whoosh sums span scores).
    wq.Phrase("exact", ["digitale", "overheid"]),
]
_self_test_lock = threading.Lock()
_self_test_result: tuple[bool, str] | None = None


def self_test() -> str:
    """Compare the fast path with Whoosh's own scoring on a small index in memory.

    Returns "" when they agree, else what failed. Two segments, one with a deletion, and a
    document without a body, so the length columns and deleted documents are exercised.
    """
    from whoosh.filedb.filestore import RamStorage

    from tracker.search.schema import SCHEMA

    try:
        return _compare_on_sample(RamStorage().create_index(SCHEMA))
    except FastPathUnavailable as exc:
        return str(exc)
    except Exception as exc:  # noqa: BLE001 - whatever changed inside Whoosh, do not rely on it
        return f"{type(exc).__name__}: {exc}"


def _compare_on_sample(ix: Any) -> str:
    for part in (_SELF_TEST_DOCS[:3], _SELF_TEST_DOCS[3:]):
        writer = ix.writer()
        for doc in part:
            writer.add_document(id=f"decision:{_SELF_TEST_DOCS.index(doc)}", type="decision",
                                exact=doc["title"] + " " + doc.get("body", ""), **doc)
        writer.commit(merge=False)
    writer = ix.writer()
    writer.delete_by_term("id", f"decision:{len(_SELF_TEST_DOCS) - 1}")
    writer.commit(merge=False)
    with ix.searcher() as searcher:
        scorer = Scorer(searcher)
        for q in _SELF_TEST_QUERIES:
            ours = scorer._run(q)
            theirs = dict(searcher.search(q, limit=None, optimize=False).items())
            if not theirs:
                return f"the self-test query {q} matches nothing"
            if ours.keys() != theirs.keys():
                return f"{q}: documents {sorted(ours)} instead of {sorted(theirs)}"
            if isinstance(q, wq.Phrase):
                continue
            for docnum, score in theirs.items():
                if abs(ours[docnum] - score) > 1e-6 * max(1.0, abs(score)):
                    return f"{q}: score {ours[docnum]:.6f} instead of {score:.6f} for document {docnum}"
    return ""


def fast_scoring_works() -> bool:
    """Whether the fast path agrees with Whoosh on this installation (checked once per process)."""
    global _self_test_result
    with _self_test_lock:
        if _self_test_result is None:
            problem = self_test()
            if problem:
                logger.warning("Fast scoring is off: Whoosh's internals changed (%s); "
                               "searches use Whoosh's own scoring", problem)
            _self_test_result = (not problem, problem)
        return _self_test_result[0]


def reset_self_test() -> None:
    """Forget the self-test's answer, so the next ``fast_scoring_works()`` runs it again (tests)."""
    global _self_test_result
    with _self_test_lock:
        _self_test_result = None
