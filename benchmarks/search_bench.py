"""Search benchmark: index build, query latency through the JSON endpoint, and SQLite FTS5 beside it.

Run ``python -m benchmarks.search_bench`` (or ``make bench``). In one run, for each size:

* a full index build (``tracker index rebuild``'s code) from a fresh database: seconds and documents/s;
* p50/p95 latency of a fixed mix of 240 queries (single words, several words, phrases, prefixes,
  facet filters, date ranges, facet counts without words, highlighting) through
  ``GET /api/v1/search`` with the Flask test client and a warm searcher;
* the same rows in an SQLite FTS5 table built in the same run, and the same queries on it doing the
  same work (hit count, top 20 by bm25 with a highlighted snippet, counts for the six facets), with
  the ratio Whoosh/FTS5 beside each figure.

Sizes: ``real`` is the seed data plus the real data in ../shared/real-data (the coalition agreement
and 3,003 decisions); ``20k`` is the seed data plus 20,000 decisions generated from the real
decisions' vocabulary (about twenty years of decisions). Results are printed as a table and written
to bench-results/ (JSON and text).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import sqlite3
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tracker import create_app
from tracker.config import ROOT, TestConfig
from tracker.core.db import db

REAL_DATA = Path(os.environ.get("TRACKER_REAL_DATA", ROOT.parent / "shared" / "real-data"))
DECISIONS_FILE = "vr-decisions-2019-2024.jsonl"
AGREEMENT_FILE = "regeerakkoord-2019-2024-sections.jsonl"
RESULTS_DIR = ROOT / "bench-results"
PER_TYPE = 30
PER_PAGE = 20
SEED = 20261125

TYPES = ["één woord", "meerdere woorden", "woordgroep", "prefix", "facetfilter", "datumbereik",
         "facettellingen", "markeren"]
TARGETS = {"real": {"mix_p95_ms": 30.0}, "20k": {"type_p95_ms": 100.0, "rebuild_s": 60.0}}


# --------------------------------------------------------------------------- data


def load_real_data(session: Session) -> str:
    """The coalition agreement and the decisions, through the importer when it exists."""
    try:
        from tracker.importers.agreement import import_agreement
        from tracker.importers.decisions import import_decisions
    except ImportError:
        return _load_decisions_raw(session)
    for importer, name in ((import_agreement, AGREEMENT_FILE), (import_decisions, DECISIONS_FILE)):
        report = importer(session, REAL_DATA / name)
        if not report.ok:
            raise SystemExit(f"Import van {name} mislukt:\n{report.summary()}")
    return "importer"


def _load_decisions_raw(session: Session) -> str:
    from tracker.decisions.models import Decision, DecisionKind

    rows = []
    for line in (REAL_DATA / DECISIONS_FILE).read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        rows.append({"key": f"vrb-{item['id'].lower()}", "site_id": item["id"],
                     "meeting_date": date.fromisoformat(item["meeting_date"]),
                     "kind": DecisionKind(item["kind"]), "title": item["title"] or item["text"][:120],
                     "text": item["text"], "url": item["source_url"]})
    session.execute(insert(Decision), rows)
    return "raw"


def real_texts() -> list[dict[str, Any]]:
    return [json.loads(line) for line in (REAL_DATA / DECISIONS_FILE).read_text(encoding="utf-8").splitlines()]


def generate_decisions(session: Session, n: int, rng: random.Random) -> None:
    """``n`` decisions over twenty years, their words drawn from a bigram chain of the real decisions."""
    from tracker.decisions.models import Decision, DecisionDocument, DecisionKind

    texts = real_texts()
    chain: dict[str, list[str]] = defaultdict(list)
    starts: list[str] = []
    title_starts: list[str] = []
    lengths = []
    for item in texts:
        words = item["text"].split()
        lengths.append(len(words))
        if words:
            starts.append(words[0])
        if item["title"].split():
            title_starts.append(item["title"].split()[0])
        for a, b in zip(words, words[1:]):
            chain[a].append(b)

    def walk(start: str, length: int) -> str:
        out, word = [start], start
        for _ in range(length - 1):
            followers = chain.get(word)
            word = rng.choice(followers) if followers else rng.choice(starts)
            out.append(word)
        return " ".join(out)

    first = date(2004, 1, 2)
    rows, documents = [], []
    for i in range(n):
        meeting = first + timedelta(weeks=rng.randrange(21 * 52))
        title = walk(rng.choice(title_starts), rng.randint(5, 16)).rstrip(".,;:")
        text = title + " " + walk(rng.choice(starts), rng.choice(lengths))
        rows.append({"key": f"gen-{i:05d}", "meeting_date": meeting, "title": title[:1000], "text": text,
                     "kind": DecisionKind.MEDEDELING if rng.random() < 0.09 else DecisionKind.NOTA})
    session.execute(insert(Decision), rows)
    ids = dict(session.execute(select(Decision.key, Decision.id).where(Decision.key.like("gen-%"))).all())
    taken = set(session.scalars(select(DecisionDocument.canonical)))
    for i, row in enumerate(rows):
        if i % 10 == 0:  # a tenth cite their document number
            d, case = row["meeting_date"], rng.randint(1, 1999)
            canonical = f"VR {d.year} {d.day:02d}{d.month:02d} DOC.{case:04d}/{rng.randint(1, 3)}"
            if canonical in taken:
                continue
            taken.add(canonical)
            documents.append({"decision_id": ids[row["key"]], "canonical": canonical, "printed": canonical,
                              "case_key": f"{d.year}-{case:04d}", "version": 1})
    session.execute(insert(DecisionDocument), documents)


# --------------------------------------------------------------------------- query mix


@dataclass
class Query:
    kind: str
    args: dict[str, str]  # arguments of /api/v1/search
    fts_match: str | None  # FTS5 MATCH expression; None: filters only
    filters: dict[str, str] = field(default_factory=dict)  # meta column -> value
    day_range: tuple[int, int] | None = None


_WORD = re.compile(r"[^\W\d_]{4,}")


def build_mix(docs: list[dict[str, Any]], rng: random.Random) -> list[Query]:
    """A fixed mix: PER_TYPE queries of each type, drawn from the indexed documents' own words."""
    from tracker.search.query_language import STOP_WORDS

    df: Counter[str] = Counter()
    titles: list[list[str]] = []
    decisions = [d for d in docs if d["type"] == "decision"]
    for doc in docs:
        df.update({w.lower() for w in _WORD.findall(doc["title"] + " " + doc["body"][:3000])})
    for doc in decisions:
        words = [w for w in _WORD.findall(doc["title"]) if w.lower() not in STOP_WORDS]
        if len(words) >= 3:
            titles.append(words)
    ranked = [w for w, _ in df.most_common() if w not in STOP_WORDS]
    common, middle, rare = ranked[:300], ranked[300:3000], ranked[3000:]
    # Years drawn as often as decisions fall in them, so filters mostly pick busy years.
    years = [d["year"] for d in decisions if d["year"]]
    domains = [v for v, _ in Counter(d["domain"] for d in docs if d["domain"]).most_common(5)]
    longest = sorted(decisions, key=lambda d: -len(d["body"]))[:200]

    def word() -> str:
        band = rng.random()
        pool = common if band < 0.4 else middle if band < 0.8 or not rare else rare
        return rng.choice(pool)

    def ftsq(*words: str) -> str:
        return " ".join(f'"{w}"' for w in words)

    mix: list[Query] = []
    for _ in range(PER_TYPE):
        w = word()
        mix.append(Query("één woord", {"q": w}, ftsq(w)))
    for _ in range(PER_TYPE):
        ws = rng.sample(rng.choice(titles), rng.choice((2, 3)))
        mix.append(Query("meerdere woorden", {"q": " ".join(ws)}, ftsq(*ws)))
    while sum(q.kind == "woordgroep" for q in mix) < PER_TYPE:
        # Two neighbouring words of a decision's title, stop words included, as people quote them.
        words = re.findall(r"[^\W_]+", rng.choice(decisions)["title"])
        pairs = [(a, b) for a, b in zip(words, words[1:]) if len(a) + len(b) >= 8 and not (a + b).isdigit()]
        if pairs:
            phrase = " ".join(rng.choice(pairs))
            mix.append(Query("woordgroep", {"q": f'"{phrase}"'}, f'"{phrase}"'))
    for _ in range(PER_TYPE):
        stem = rng.choice(common)[:rng.randint(4, 6)].lower()
        mix.append(Query("prefix", {"q": stem + "*"}, f'"{stem}"*'))
    for _ in range(PER_TYPE):
        w, year = word(), rng.choice(years)
        mix.append(Query("facetfilter", {"q": w, "type": "decision", "year": year}, ftsq(w),
                         {"type": "decision", "year": year}))
    for _ in range(PER_TYPE):
        w, year = word(), int(rng.choice(years))
        start, end = date(year, 1, 1), date(year, 12, 31)
        mix.append(Query("datumbereik", {"q": w, "from": start.isoformat(), "to": end.isoformat()}, ftsq(w),
                         day_range=(start.toordinal(), end.toordinal())))
    for i in range(PER_TYPE):
        args: dict[str, str] = {"type": "decision"}
        filters = {"type": "decision"}
        if i % 3 == 1:
            args["year"] = filters["year"] = rng.choice(years)
        elif i % 3 == 2 and domains:
            args = {"domain": rng.choice(domains)}
            filters = {"domain": args["domain"]}
        mix.append(Query("facettellingen", args, None, filters))
    for _ in range(PER_TYPE):
        doc = rng.choice(longest)
        ws = [w for w in _WORD.findall(doc["body"]) if w.lower() not in STOP_WORDS]
        pair = rng.sample(ws, 2) if len(ws) >= 2 else [word(), word()]
        mix.append(Query("markeren", {"q": " OF ".join(pair)}, " OR ".join(f'"{w}"' for w in pair)))
    return mix


# --------------------------------------------------------------------------- FTS5


FACET_COLUMNS = ("type", "status", "source", "domain", "programme", "year")


def build_fts(docs: list[dict[str, Any]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("CREATE TABLE meta (rowid INTEGER PRIMARY KEY, key TEXT, type TEXT, status TEXT, source TEXT,"
                 " domain TEXT, programme TEXT, year TEXT, day INTEGER)")
    for i, doc in enumerate(docs, start=1):
        conn.execute("INSERT INTO fts (rowid, title, body) VALUES (?, ?, ?)", (i, doc["title"], doc["body"]))
        conn.execute("INSERT INTO meta VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (i, doc["id"], doc["type"], doc["status"], doc["source"], doc["domain"],
                      doc["programme"], doc["year"], doc["day"]))
    conn.execute("CREATE INDEX meta_day ON meta (day)")
    conn.commit()
    return conn


def run_fts(conn: sqlite3.Connection, query: Query) -> int:
    """The same work as the endpoint: count, facet counts, top 20 with a highlighted snippet."""
    where, params = [], []
    if query.fts_match is not None:
        where.append("fts MATCH ?")
        params.append(query.fts_match)
    for column, value in query.filters.items():
        where.append(f"meta.{column} = ?")
        params.append(value)
    if query.day_range:
        where.append("meta.day BETWEEN ? AND ?")
        params += list(query.day_range)
    clause = " AND ".join(where) or "1"
    source = "fts JOIN meta ON meta.rowid = fts.rowid" if query.fts_match else "meta"
    facets = {c: Counter() for c in FACET_COLUMNS}
    total = 0
    for row in conn.execute(f"SELECT {', '.join('meta.' + c for c in FACET_COLUMNS)} FROM {source} WHERE {clause}",
                            params):
        total += 1
        for column, value in zip(FACET_COLUMNS, row):
            for v in (value or "").split(","):
                if v:
                    facets[column][v] += 1
    if query.fts_match:
        conn.execute(f"SELECT meta.key, fts.title, snippet(fts, 1, '<mark>', '</mark>', '…', 30), bm25(fts) "
                     f"FROM {source} WHERE {clause} ORDER BY bm25(fts) LIMIT {PER_PAGE}", params).fetchall()
    else:
        conn.execute(f"SELECT meta.key, fts.title, substr(fts.body, 1, 240) FROM meta JOIN fts ON fts.rowid = meta.rowid "
                     f"WHERE {clause} ORDER BY meta.day DESC LIMIT {PER_PAGE}", params).fetchall()
    return total


# --------------------------------------------------------------------------- measuring


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


@dataclass
class Row:
    kind: str
    n: int
    p50: float
    p95: float
    fts_p50: float
    fts_p95: float

    @property
    def ratio_p50(self) -> float:
        return self.p50 / self.fts_p50 if self.fts_p50 else float("inf")

    @property
    def ratio_p95(self) -> float:
        return self.p95 / self.fts_p95 if self.fts_p95 else float("inf")


@dataclass
class SizeResult:
    name: str
    label: str
    documents: int
    decisions: int
    build_s: float
    fts_build_s: float
    rows: list[Row]
    zero_hits: dict[str, int]
    loaded_with: str

    @property
    def docs_per_s(self) -> float:
        return self.documents / self.build_s


def run_size(name: str, folder: Path, rounds: int) -> SizeResult:
    from tracker.core.cli import upgrade_database
    from tracker.decisions.models import Decision
    from tracker.importers.seeds import load_seeds
    from tracker.search.documents import iter_all_documents
    from tracker.search.index import get_index
    from tracker.search.models import IndexQueueItem
    from tracker.search.outbox import rebuild

    rng = random.Random(SEED)
    app = create_app(TestConfig(f"sqlite:///{folder / name}.db", str(folder / f"{name}-index")))
    app.config.update(SEARCH_SYNC_INTERVAL=10**9)
    with app.app_context():
        upgrade_database()
        load_seeds(db.session, ROOT / "seeds")
        db.session.commit()
        if name == "real":
            loaded_with = load_real_data(db.session)
            label = "echte data + seeddata"
        else:
            generate_decisions(db.session, 20_000, rng)
            loaded_with = "generated"
            label = "20.000 gegenereerde beslissingen + seeddata"
        db.session.execute(delete(IndexQueueItem))
        db.session.commit()
        decisions = db.session.query(Decision).count()

        print(f"[{name}] volledige indexopbouw …", flush=True)
        started = time.perf_counter()
        documents = rebuild(get_index(), db.engine, 60)  # type: ignore[arg-type]
        build_s = time.perf_counter() - started

        print(f"[{name}] FTS5-tabel opbouwen …", flush=True)
        started = time.perf_counter()
        with Session(db.engine) as session:
            docs = list(iter_all_documents(session))
        fts = build_fts(docs)
        fts_build_s = time.perf_counter() - started

    mix = build_mix(docs, rng)
    client = app.test_client()
    print(f"[{name}] {len(mix)} zoekvragen × {rounds} rondes …", flush=True)
    zero: Counter[str] = Counter()
    for query in mix:  # warm-up: opens the searcher, fills caches, checks every query answers
        response = client.get("/api/v1/search", query_string={**query.args, "per_page": PER_PAGE})
        assert response.status_code == 200, (query, response.get_json())
        if response.get_json()["total"] == 0:
            zero[query.kind] += 1
        run_fts(fts, query)
    ours: dict[str, list[float]] = defaultdict(list)
    theirs: dict[str, list[float]] = defaultdict(list)
    for _ in range(rounds):
        for query in mix:
            args = {**query.args, "per_page": PER_PAGE}
            ours[query.kind].append(timed(lambda: client.get("/api/v1/search", query_string=args)))
            theirs[query.kind].append(timed(lambda: run_fts(fts, query)))
    rows = [Row(kind, len(ours[kind]), percentile(ours[kind], 50), percentile(ours[kind], 95),
                percentile(theirs[kind], 50), percentile(theirs[kind], 95)) for kind in TYPES]
    everything, fts_everything = sum(ours.values(), []), sum(theirs.values(), [])
    rows.append(Row("hele mix", len(everything), percentile(everything, 50), percentile(everything, 95),
                    percentile(fts_everything, 50), percentile(fts_everything, 95)))
    fts.close()
    get_index(app).close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()  # type: ignore[union-attr]
    return SizeResult(name, label, documents, decisions, build_s, fts_build_s, rows, dict(zero), loaded_with)


# --------------------------------------------------------------------------- report


def render(results: list[SizeResult], rounds: int) -> str:
    lines = [f"Zoekbenchmark {datetime.now():%Y-%m-%d %H:%M} · {platform.python_version()} · "
             f"{os.cpu_count()} cores · {rounds} rondes na een opwarmronde · {PER_PAGE} treffers per vraag",
             "Latentie in ms via GET /api/v1/search (Flask-testclient, warme searcher); FTS5: dezelfde rijen,"
             " telling + 6 facetten + top 20 met snippet; x = Whoosh/FTS5.", ""]
    for r in results:
        lines.append(f"== {r.label}: {r.documents} documenten ({r.decisions} beslissingen; geladen via {r.loaded_with})")
        lines.append(f"   volledige opbouw: {r.build_s:.1f} s, {r.docs_per_s:.0f} documenten/s"
                     f" | FTS5 {r.fts_build_s:.1f} s | {r.build_s / r.fts_build_s:.1f}x")
        lines.append(f"   {'soort vraag':<18}{'n':>5}{'p50':>9}{'p95':>9}  |{'FTS5 p50':>10}{'FTS5 p95':>10}  |{'x p50':>8}{'x p95':>8}")
        for row in r.rows:
            lines.append(f"   {row.kind:<18}{row.n:>5}{row.p50:>9.1f}{row.p95:>9.1f}  |{row.fts_p50:>10.2f}"
                         f"{row.fts_p95:>10.2f}  |{row.ratio_p50:>7.1f}x{row.ratio_p95:>7.1f}x")
        if r.zero_hits:
            detail = ", ".join(f"{kind} {n}" for kind, n in r.zero_hits.items())
            lines.append(f"   vragen zonder treffers: {detail}")
        lines += _targets(r) + [""]
    return "\n".join(lines)


def _targets(r: SizeResult) -> list[str]:
    out = []
    target = TARGETS.get(r.name, {})
    if "mix_p95_ms" in target:
        p95 = r.rows[-1].p95
        out.append(f"   doel p95 hele mix < {target['mix_p95_ms']:.0f} ms: {p95:.1f} ms "
                   f"{'GEHAALD' if p95 < target['mix_p95_ms'] else 'NIET GEHAALD'}")
    if "type_p95_ms" in target:
        worst = max(r.rows[:-1], key=lambda row: row.p95)
        out.append(f"   doel p95 < {target['type_p95_ms']:.0f} ms per soort: slechtste {worst.kind} {worst.p95:.1f} ms "
                   f"{'GEHAALD' if worst.p95 < target['type_p95_ms'] else 'NIET GEHAALD'}")
    if "rebuild_s" in target:
        out.append(f"   doel opbouw < {target['rebuild_s']:.0f} s: {r.build_s:.1f} s "
                   f"{'GEHAALD' if r.build_s < target['rebuild_s'] else 'NIET GEHAALD'}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Zoekbenchmark: Whoosh via de API naast SQLite FTS5.")
    parser.add_argument("--sizes", default="real,20k", help="real, 20k of beide (komma's)")
    parser.add_argument("--rounds", type=int, default=3, help="meetrondes over de hele mix")
    args = parser.parse_args()
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    if "real" in sizes and not (REAL_DATA / DECISIONS_FILE).exists():
        raise SystemExit(f"Geen echte data in {REAL_DATA}; zet TRACKER_REAL_DATA of kies --sizes 20k.")
    import logging

    logging.disable(logging.INFO)
    results = []
    with tempfile.TemporaryDirectory(prefix="search-bench-") as tmp:
        for size in sizes:
            results.append(run_size(size, Path(tmp), args.rounds))
    text = render(results, args.rounds)
    print(text)
    RESULTS_DIR.mkdir(exist_ok=True)
    stamp = f"{datetime.now():%Y%m%d-%H%M%S}"
    (RESULTS_DIR / f"search-{stamp}.txt").write_text(text + "\n", encoding="utf-8")
    (RESULTS_DIR / f"search-{stamp}.json").write_text(json.dumps(
        [{**{k: v for k, v in asdict(r).items() if k != "rows"}, "docs_per_s": r.docs_per_s,
          "rows": [{**asdict(row), "ratio_p50": row.ratio_p50, "ratio_p95": row.ratio_p95} for row in r.rows]}
         for r in results], indent=2), encoding="utf-8")
    print(f"Resultaten geschreven naar {RESULTS_DIR}/search-{stamp}.txt en .json")


if __name__ == "__main__":
    main()
