"""Running a search: parameters, hits with snippets, combinable facet counts, "Bedoelde u ...?"."""
from __future__ import annotations

import heapq
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Mapping

from flask import url_for
from markupsafe import Markup
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from whoosh import query as wq

from tracker.commitments.models import Level
from tracker.core.db import db
from tracker.decisions.models import DecisionKind
from tracker.projects.models import Programme, ProjectLevel
from tracker.search.documents import DOC_TYPES, parse_key
from tracker.search.highlight import snippet
from tracker.search.index import IndexView, SearchIndex
from tracker.search.query_language import (
    TYPE_LABELS,
    Compiler,
    Highlights,
    ParsedQuery,
    QueryError,
    parse,
    resolve_facet_value,
)
from tracker.search.schema import FACETS
from tracker.sources.models import Source, SourceKind
from tracker.workflow.status import Status

MAX_PAGE = 100
MAX_PER_PAGE = 50
MAX_VALUES = 20

FACET_TITLES = {
    "type": "Soort",
    "status": "Status",
    "source": "Brondocument",
    "domain": "Beleidsdomein",
    "programme": "Programma",
    "year": "Jaar",
}


@dataclass(frozen=True)
class ArgNames:
    """The names of the query-string arguments: Dutch on the page, English in the API."""

    q: str
    facets: Mapping[str, str]
    start: str
    end: str
    sort: str
    sorts: Mapping[str, str]  # argument value -> "relevance" | "date"
    page: str


PAGE_ARGS = ArgNames(
    q="q",
    facets={"type": "soort", "status": "status", "source": "bron", "domain": "beleidsdomein",
            "programme": "programma", "year": "jaar"},
    start="van", end="tot", sort="sorteer", sorts={"relevantie": "relevance", "datum": "date"},
    page="pagina",
)
API_ARGS = ArgNames(
    q="q",
    facets={f: f for f in FACETS},
    start="from", end="to", sort="sort", sorts={"relevance": "relevance", "date": "date"},
    page="page",
)


@dataclass
class SearchParams:
    q: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    start: date | None = None
    end: date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    @property
    def is_blank(self) -> bool:
        return not self.q.strip() and not any(self.filters.values()) and not self.start and not self.end


def params_from_args(args: MultiDict[str, str], names: ArgNames, per_page: int) -> SearchParams:
    """Read and check the query-string arguments. :raise QueryError: with a Dutch message."""
    params = SearchParams(q=args.get(names.q, ""), per_page=per_page)
    for facet, name in names.facets.items():
        values: list[str] = []
        for raw in args.getlist(name):
            values += [v.strip() for v in raw.split(",") if v.strip()]
        if len(values) > MAX_VALUES:
            raise QueryError(f"Kies hoogstens {MAX_VALUES} waarden voor “{name}”.")
        if values:
            params.filters[facet] = list(dict.fromkeys(
                resolve_facet_value(facet, v[:200]) if facet in ("type", "status", "year") else v[:200]
                for v in values))
    params.start = _date(args.get(names.start, ""), "begindatum")
    params.end = _date(args.get(names.end, ""), "einddatum")
    if params.start and params.end and params.start > params.end:
        raise QueryError("De begindatum ligt na de einddatum; draai ze om.")
    sort = args.get(names.sort, "").strip().lower()
    if sort:
        if sort not in names.sorts:
            raise QueryError(f"Sorteer op {' of '.join(names.sorts)}, niet op “{sort[:40]}”.")
        params.sort = names.sorts[sort]
    params.page = whole_number(args.get(names.page, "").strip() or "1", 1, MAX_PAGE,
                               f"Het paginanummer moet een geheel getal van 1 tot {MAX_PAGE} zijn.")
    return params


def whole_number(raw: str, low: int, high: int, message: str) -> int:
    """``raw`` as a whole number from ``low`` to ``high``. :raise QueryError: with ``message``.

    Only the digits 0-9: ``str.isdigit()`` also accepts "²" and other digits ``int()`` refuses, and
    a number thousands of digits long is refused before ``int()`` has to read it.
    """
    raw = raw.strip()
    if not _NUMBER.fullmatch(raw):
        raise QueryError(message)
    value = int(raw.lstrip("0") or "0")
    if not low <= value <= high:
        raise QueryError(message)
    return value


_NUMBER = re.compile(r"0*[0-9]{1,9}", re.ASCII)


def _date(raw: str, label: str) -> date | None:
    raw = raw.strip()
    if not raw:
        return None
    if re.fullmatch(r"[0-9]{4}", raw):
        raw = f"{raw}-01-01" if label == "begindatum" else f"{raw}-12-31"
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise QueryError(
            f"“{raw[:40]}” is geen geldige {label}. Gebruik de vorm JJJJ-MM-DD, bijvoorbeeld 2024-06-30.") from None


# --------------------------------------------------------------------------- results


@dataclass
class Hit:
    type: str
    id: int
    title: str
    url: str
    snippet: Markup
    score: float | None
    date: date | None
    status: Status | None
    detail: str

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.type, "id": self.id, "title": self.title, "url": self.url,
            "snippet": str(self.snippet), "score": None if self.score is None else round(self.score, 4),
            "date": self.date.isoformat() if self.date else None,
            "status": self.status.value if self.status else None, "detail": self.detail,
        }


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class SearchResult:
    params: SearchParams
    parsed: ParsedQuery | None = None
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestion: str | None = None
    notice: str = ""
    ranked: bool = True

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.params.per_page))

    @property
    def page(self) -> int:
        return self.params.page

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < min(self.pages, MAX_PAGE)

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.params.per_page + 1 if self.hits else 0

    @property
    def last_index(self) -> int:
        return self.first_index + len(self.hits) - 1 if self.hits else 0

    def as_json(self) -> dict[str, Any]:
        return {
            "query": self.params.q,
            "total": self.total,
            "page": self.page,
            "per_page": self.params.per_page,
            "pages": self.pages,
            "sort": "relevance" if self.ranked else "date",
            "results": [h.as_json() for h in self.hits],
            "facets": {name: [{"value": v.value, "label": v.label, "count": v.count,
                               "selected": v.selected} for v in values]
                       for name, values in self.facets.items()},
            "suggestion": self.suggestion,
            "notice": self.notice or None,
        }


class IndexDamaged(Exception):
    """Searching failed because files of the index are missing or damaged (a rebuild repairs it)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def search(idx: SearchIndex, params: SearchParams) -> SearchResult:
    """Run a search on the current index.

    :raise QueryError: when the query must be changed.
    :raise IndexDamaged: when the search failed and the index turns out to be unreadable; any other
        failure (a bug) is raised as it is.
    """
    try:
        return _search(idx, params)
    except QueryError:
        raise
    except Exception as exc:
        problems = idx.damage()
        if problems:
            raise IndexDamaged(problems) from exc
        raise


def _search(idx: SearchIndex, params: SearchParams) -> SearchResult:
    parsed = parse(params.q)
    result = SearchResult(params, parsed)
    if params.is_blank or (parsed.is_empty and params.q.strip() and not _has_filters(params)):
        if params.q.strip():
            result.notice = "Uw zoekvraag bevat geen woorden om op te zoeken; typ bijvoorbeeld een woord uit een titel of een documentnummer."
        return result
    with idx.reading() as view:
        # Titles change only through records that are reindexed, i.e. with a new generation.
        labels = view.memo("labels", _Labels)
        compiler = Compiler(view.searcher.reader())
        q: Any = wq.Every() if parsed.root is None else compiler.compile(parsed.root)
        if q is wq.NullQuery:
            if not _has_filters(params):
                result.notice = "Uw zoekvraag bevat alleen veelgebruikte woorden (zoals “de” of “van”); voeg een specifieker woord toe."
                return result
            q = wq.Every()
        result.ranked = parsed.has_text and params.sort == "relevance"
        params.filters = {f: list(dict.fromkeys(view.canonical(f, v) for v in values))
                          for f, values in params.filters.items()}
        scores = view.scorer_for(use_fast_scoring()).run(q)
        allowed, counts = _filter_and_count(view, list(scores), params)
        result.total = len(allowed)
        docs = _page_docs(view, scores, allowed, params, result.ranked)
        result.hits = [_hit(view, docnum, score, compiler.highlights, labels) for docnum, score in docs]
        result.suggestion = _suggestion(view, parsed)
    result.facets = _facets(counts, params, labels)
    return result


def use_fast_scoring() -> bool:
    """SEARCH_FAST_SCORING is on and the fast path passed its self-test in this process."""
    from tracker.search.engine import fast_scoring_works
    from tracker.search.settings import setting

    return bool(setting("SEARCH_FAST_SCORING")) and fast_scoring_works()


def _has_filters(params: SearchParams) -> bool:
    return any(params.filters.values()) or bool(params.start or params.end)


def _filter_and_count(view: IndexView, matched: list[int], params: SearchParams
                      ) -> tuple[list[int], dict[str, Counter[str]]]:
    """The hits passing every filter, and per facet the counts among hits passing the *other* filters.

    Counting a facet without its own filter is what lets a person tick a second value of it.
    """
    columns = view.columns
    docs = matched
    if params.start or params.end:
        low = params.start.toordinal() if params.start else 1
        high = params.end.toordinal() if params.end else date.max.toordinal()
        days = columns["day"]
        docs = [d for d in docs if low <= days[d] <= high]
    selected = {f: set(values) for f, values in params.filters.items() if values}

    def keep(items: list[int], facet: str) -> list[int]:
        column, wanted = columns[facet], selected[facet]
        return [d for d in items if not wanted.isdisjoint(column[d])]

    allowed = docs
    for facet in selected:
        allowed = keep(allowed, facet)
    counts: dict[str, Counter[str]] = {}
    for facet in FACETS:
        base = allowed
        if facet in selected:
            base = docs
            for other in selected:
                if other != facet:
                    base = keep(base, other)
        counts[facet] = _count(columns[facet], base)
    return allowed, counts


def _count(column: list[tuple[str, ...]], docs: list[int]) -> Counter[str]:
    per_combination = Counter(map(column.__getitem__, docs))
    counts: Counter[str] = Counter()
    for values, n in per_combination.items():
        for value in values:
            counts[value] += n
    return counts


def _page_docs(view: IndexView, scores: dict[int, float], allowed: list[int], params: SearchParams,
               ranked: bool) -> list[tuple[int, float | None]]:
    """The page's document numbers: by score, or by date (newest first); ties in a fixed order."""
    first = (params.page - 1) * params.per_page
    limit = params.page * params.per_page
    if first >= len(allowed):
        return []
    seq = view.columns["seq"]
    if ranked:
        best = heapq.nlargest(limit, allowed, key=lambda d: (scores[d], seq[d]))
        return [(d, scores[d]) for d in best[first:limit]]
    days = view.columns["day"]
    newest = heapq.nlargest(limit, allowed, key=lambda d: (days[d], seq[d]))
    return [(d, None) for d in newest[first:limit]]


class _Labels:
    """Titles of sources and names of programmes for facets and hit details, two queries at most.

    Kept per index generation: a changed title reaches the index (and a new generation) through
    the record's own document.
    """

    def __init__(self) -> None:
        self._sources: dict[str, str] | None = None
        self._programmes: dict[str, str] | None = None

    @property
    def sources(self) -> dict[str, str]:
        if self._sources is None:
            self._sources = dict(db.session.execute(select(Source.key, Source.title)).all())
        return self._sources

    @property
    def programmes(self) -> dict[str, str]:
        if self._programmes is None:
            self._programmes = dict(db.session.execute(select(Programme.key, Programme.name)).all())
        return self._programmes


_URLS = {
    "commitment": ("commitments.display", "commitment_id"),
    "decision": ("decisions.display", "decision_id"),
    "project": ("projects.display", "project_id"),
    "programme": ("projects.programme", "programme_id"),
    "organisation": ("projects.organisation", "organisation_id"),
    "source": ("sources.display", "source_id"),
}


def record_url(doc_type: str, doc_id: int) -> str:
    endpoint, arg = _URLS[doc_type]
    return url_for(endpoint, **{arg: doc_id})


def _hit(view: IndexView, docnum: int, score: float | None, highlights: Highlights,
         labels: _Labels) -> Hit:
    stored = view.searcher.stored_fields(docnum)
    doc_type, doc_id = parse_key(stored["id"]) or ("source", 0)
    status_values = view.columns["status"][docnum]
    day = date.fromisoformat(stored["date"]) if stored.get("date") else None
    text = stored.get("body") or ""
    return Hit(
        type=doc_type, id=doc_id, title=stored.get("title") or stored["id"],
        url=record_url(doc_type, doc_id), snippet=snippet(text, highlights), score=score, date=day,
        status=Status(status_values[0]) if status_values else None,
        detail=_detail(doc_type, stored, labels),
    )


def _detail(doc_type: str, stored: dict[str, Any], labels: _Labels) -> str:
    subkind, context = stored.get("subkind") or "", stored.get("context") or ""
    parts: list[str] = []
    try:
        if doc_type == "commitment":
            parts = [Level(subkind).label, labels.sources.get(context, "")]
        elif doc_type == "decision":
            parts = [DecisionKind(subkind).label, context]
        elif doc_type == "project":
            parts = [ProjectLevel(subkind).label, labels.programmes.get(context, "")]
        elif doc_type == "source":
            parts = [SourceKind(subkind).label]
    except ValueError:
        parts = []
    return " · ".join(p for p in parts if p)


def _suggestion(view: IndexView, parsed: ParsedQuery) -> str | None:
    """The query with unknown words replaced by the nearest words of the index, if any."""
    reader = view.searcher.reader()
    corrected = parsed.text
    changed = False
    corrector = None
    for word in parsed.words[:8]:
        # Very long "words" are not typos, and the edit-distance search would take long.
        if not 4 <= len(word.word) <= 30 or reader.doc_frequency("exact", word.word) > 0:
            continue
        if corrector is None:
            corrector = view.searcher.corrector("exact")
        found = corrector.suggest(word.word, limit=1, maxdist=2, prefix=1)
        if found and found[0] != word.word:
            pattern = re.compile(re.escape(word.raw), re.IGNORECASE)
            corrected, n = pattern.subn(found[0], corrected, count=1)
            changed = changed or n > 0
    return corrected if changed else None


def _facets(counts: dict[str, Counter[str]], params: SearchParams, labels: _Labels
            ) -> dict[str, list[FacetValue]]:
    result: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        selected = set(params.filters.get(facet, []))
        values = dict(counts.get(facet, Counter()))
        for value in selected:
            values.setdefault(value, 0)
        items = [FacetValue(v, _facet_label(facet, v, labels), n, v in selected) for v, n in values.items()]
        if facet == "type":
            items.sort(key=lambda i: DOC_TYPES.index(i.value) if i.value in DOC_TYPES else 99)
        elif facet == "status":
            order = [s.value for s in Status]
            items.sort(key=lambda i: order.index(i.value) if i.value in order else 99)
        elif facet == "year":
            items.sort(key=lambda i: i.value, reverse=True)
        else:
            items.sort(key=lambda i: (-i.count, i.label.lower()))
        if items:
            result[facet] = items
    return result


def _facet_label(facet: str, value: str, labels: _Labels) -> str:
    if facet == "type":
        return TYPE_LABELS.get(value, value)
    if facet == "status":
        try:
            return Status(value).label
        except ValueError:
            return value
    if facet == "source":
        return labels.sources.get(value, value)
    if facet == "programme":
        return labels.programmes.get(value, value)
    return value
