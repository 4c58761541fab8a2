"""The benchmark's query mix and its FTS5 twin run on the seed data (so the script does not rot)."""
from __future__ import annotations

import random

from sqlalchemy.orm import Session

from benchmarks.search_bench import PER_TYPE, TYPES, build_fts, build_mix, run_fts
from tracker.core.db import db
from tracker.search.documents import iter_all_documents


def test_every_query_of_the_mix_answers_on_both_engines(app, client):
    with app.app_context(), Session(db.engine) as session:
        docs = list(iter_all_documents(session))
    mix = build_mix(docs, random.Random(1))
    assert len(mix) == PER_TYPE * len(TYPES) >= 200
    fts = build_fts(docs)
    for query in mix:
        response = client.get("/api/v1/search", query_string={**query.args, "per_page": 20})
        assert response.status_code == 200, (query, response.get_json())
        assert run_fts(fts, query) >= 0
    fts.close()
