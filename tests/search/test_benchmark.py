"""The benchmark's query mix and its FTS5 twin run on the seed data (so the script does not rot)."""
from __future__ import annotations

import random

from sqlalchemy.orm import Session

from benchmarks.search_bench import PER_TYPE, TYPES, build_fts, build_mix, run_fts
from tracker.core.db import db
from tracker.search.documents import iter_all_documents

# Query types whose words are drawn from the indexed documents: both engines find something.
FROM_THE_CORPUS = {"één woord", "meerdere woorden", "prefix", "markeren"}


def test_every_query_of_the_mix_answers_on_both_engines(app, client):
    with app.app_context(), Session(db.engine) as session:
        docs = list(iter_all_documents(session))
    mix = build_mix(docs, random.Random(1))
    assert len(mix) == PER_TYPE * len(TYPES) >= 200
    assert {q.kind for q in mix} == set(TYPES)
    fts = build_fts(docs)
    found: dict[str, list[tuple[int, int]]] = {kind: [] for kind in FROM_THE_CORPUS}
    for query in mix:
        response = client.get("/api/v1/search", query_string={**query.args, "per_page": 20})
        assert response.status_code == 200, (query, response.get_json())
        ours = response.get_json()["total"]
        theirs = run_fts(fts, query)
        if query.fts_match is None:
            # Filters only, no words: both engines count exactly the same records.
            assert theirs == ours > 0, query
        elif query.kind in FROM_THE_CORPUS:
            found[query.kind].append((theirs, ours))
    fts.close()
    # Stemming and tokenising make the counts differ, but words taken from the documents are nearly
    # always found by both (a word cut from a longer one, like "verst", may be found by neither).
    for kind, totals in found.items():
        assert sum(theirs > 0 for theirs, _ in totals) >= 0.8 * len(totals), (kind, totals)
        assert sum(ours > 0 for _, ours in totals) >= 0.8 * len(totals), (kind, totals)
