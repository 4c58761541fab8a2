"""Our one-pass scorer agrees with Whoosh's own search: the same documents, the same scores."""
from __future__ import annotations

import pytest
from whoosh import query as wq

from tracker.search.index import get_index
from tracker.search.query_language import Compiler, parse

QUERIES = ["digitaal", "digitale overheid", "cyber*", '"ICT en Informatie"', '"de Vlaamse Regering"',
           '"vlaamse regering" digitaal', 'titel:"digitale strategie"', "DOC.1294/1", "21.4",
           "digitalisering -onderwijs", "cybersecurity OF inburgering", "soort:beslissing jaar:2021",
           "(vlaamse OF federale) regering", "titel:stuurorgaan", "NIET digitaal"]


@pytest.mark.parametrize("text", QUERIES)
def test_same_documents_and_scores_as_whoosh(app, text):
    with get_index(app).reading() as view:
        q = Compiler(view.searcher.reader()).compile(parse(text).root)
        ours = view.scorer.run(q)
        theirs = {hit.docnum: hit.score for hit in view.searcher.search(q, limit=None, optimize=False)}
    assert ours.keys() == theirs.keys() and ours
    # Filters and "everything but" carry no ranking (such results are sorted by date); phrases are
    # scored by phrase frequency, where Whoosh sums its span scores.
    if parse(text).has_text and not isinstance(q, (wq.AndNot, wq.Not)) and '"' not in text:
        for docnum, score in theirs.items():
            assert ours[docnum] == pytest.approx(score, rel=1e-4), docnum


def test_deleted_documents_are_not_scored(app, commit_and_index):
    from sqlalchemy import select

    from tracker.core.db import db
    from tracker.decisions.models import Decision
    from tracker.decisions.operations import update_decision

    with app.app_context():
        decision = db.session.scalar(select(Decision).where(Decision.key == "ana-34"))
        update_decision(decision, {"title": "Een unieke titel: kwartelkoning"}, None)
        commit_and_index()  # the old document is deleted in its segment, the new one added
    with get_index(app).reading() as view:
        q = Compiler(view.searcher.reader()).compile(parse("kwartelkoning OF digitaal").root)
        ours = view.scorer.run(q)
        theirs = {hit.docnum for hit in view.searcher.search(q, limit=None)}
        assert view.searcher.reader().has_deletions()
    assert set(ours) == theirs
