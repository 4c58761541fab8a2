"""The fast path checks Whoosh's private internals and falls back to Whoosh's own scoring without them.

A changed Whoosh is simulated two ways: the posting matcher loses its private block methods (it is
wrapped in Whoosh's public WrappingMatcher, so Whoosh's own search still works), and the length
column is not where the fast path looks for it. Either way search answers 200 with Whoosh's scores.
"""
from __future__ import annotations

import logging

import pytest
from whoosh.codec import whoosh3
from whoosh.matching import WrappingMatcher

from tracker.search import engine
from tracker.search.index import get_index
from tracker.search.query_language import Compiler, parse
from tracker.search.settings import setting

QUERIES = ["digitale overheid", "cybersecurity OF inburgering", "digitalisering -onderwijs", "21.4"]


@pytest.fixture(autouse=True)
def fresh_self_test():
    """Each test starts without a remembered self-test answer, and leaves none behind."""
    engine.reset_self_test()
    yield
    engine.reset_self_test()


def lose_block_methods(monkeypatch):  # type: ignore[no-untyped-def]
    """The terms reader hands out matchers without ``_read_ids`` and the other private methods."""
    original = whoosh3.W3TermsReader.matcher
    monkeypatch.setattr(whoosh3.W3TermsReader, "matcher",
                        lambda self, *args, **kwargs: WrappingMatcher(original(self, *args, **kwargs)))


def lose_length_column(monkeypatch):  # type: ignore[no-untyped-def]
    """The length columns are stored under another name than the fast path asks for."""
    monkeypatch.setattr(engine, "_lenfield", lambda fieldname: f"_moved_{fieldname}_L")


def whoosh_scores(app, text):  # type: ignore[no-untyped-def]
    """Whoosh's own BM25F scores for ``text``, by document key."""
    with get_index(app).reading() as view:
        q = Compiler(view.searcher.reader()).compile(parse(text).root)
        return {view.searcher.stored_fields(docnum)["id"]: score
                for docnum, score in view.searcher.search(q, limit=None, optimize=False).items()}


def assert_whoosh_scores(app, client, text):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/search", query_string={"q": text, "per_page": 50})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    expected = whoosh_scores(app, text)
    assert data["total"] == len(expected) > 0
    for hit in data["results"]:
        assert hit["score"] == pytest.approx(expected[f"{hit['type']}:{hit['id']}"], rel=1e-4, abs=1e-4), hit


def test_the_self_test_passes_on_the_installed_whoosh():
    assert engine.self_test() == ""
    assert engine.fast_scoring_works()


@pytest.mark.parametrize("lose", [lose_block_methods, lose_length_column])
def test_the_self_test_notices_missing_internals(monkeypatch, caplog, lose):
    lose(monkeypatch)
    problem = engine.self_test()
    assert problem
    with caplog.at_level(logging.WARNING, "tracker.search"):
        assert not engine.fast_scoring_works()
        assert not engine.fast_scoring_works()  # once per process: a single warning
    assert [r.getMessage() for r in caplog.records if "Fast scoring is off" in r.getMessage()] == [
        f"Fast scoring is off: Whoosh's internals changed ({problem}); searches use Whoosh's own scoring"]


def test_the_self_test_notices_a_missing_codec_constant(monkeypatch):
    monkeypatch.setattr(engine, "LENGTHS_COLUMN", None)
    assert "LENGTHS_COLUMN" in engine.self_test()


@pytest.mark.parametrize("lose", [lose_block_methods, lose_length_column])
@pytest.mark.parametrize("text", QUERIES)
def test_without_the_internals_at_start_up_search_uses_whoosh(app, client, monkeypatch, caplog, lose, text):
    lose(monkeypatch)
    engine.reset_self_test()  # as in a process started with this Whoosh: the self-test fails
    with caplog.at_level(logging.WARNING, "tracker.search"):
        assert_whoosh_scores(app, client, text)
    assert not engine.fast_scoring_works()
    assert not any("Fast scoring failed" in r.getMessage() for r in caplog.records)  # not even tried


@pytest.mark.parametrize("lose", [lose_block_methods, lose_length_column])
def test_internals_that_vanish_later_make_the_searcher_fall_back(app, client, monkeypatch, caplog, lose):
    app.config["SEARCH_FAST_SCORING"] = True  # also under `make test-search-whoosh-scoring`
    assert engine.fast_scoring_works()  # the self-test passed at start-up ...
    lose(monkeypatch)  # ... and then the internals went (another module patched them, say)
    with caplog.at_level(logging.WARNING, "tracker.search"):
        assert_whoosh_scores(app, client, "digitale overheid")
        assert_whoosh_scores(app, client, "cybersecurity OF inburgering")
    assert any("Fast scoring failed" in r.getMessage() for r in caplog.records)
    with get_index(app).reading() as view:
        assert view.scorer_for(True).fast is False  # this generation's scorer stays on Whoosh


def test_the_fast_path_gives_whoosh_scores(app, client):
    for text in QUERIES:
        assert_whoosh_scores(app, client, text)


def test_the_setting_switches_the_fast_path_off(app, client, monkeypatch):
    used = []
    real = engine.Scorer._run
    monkeypatch.setattr(engine.Scorer, "_run", lambda self, *a, **k: used.append(1) or real(self, *a, **k))
    app.config.pop("SEARCH_FAST_SCORING", None)
    monkeypatch.delenv("TRACKER_SEARCH_FAST_SCORING", raising=False)
    assert client.get("/api/v1/search?q=digitaal").status_code == 200
    assert used  # on by default
    used.clear()
    app.config["SEARCH_FAST_SCORING"] = False
    assert_whoosh_scores(app, client, "digitale overheid")
    assert not used


def test_the_environment_variable(app, monkeypatch):
    app.config.pop("SEARCH_FAST_SCORING", None)
    monkeypatch.delenv("TRACKER_SEARCH_FAST_SCORING", raising=False)
    assert setting("SEARCH_FAST_SCORING", app) is True
    for off in ("0", "false", "nee", " OFF "):
        monkeypatch.setenv("TRACKER_SEARCH_FAST_SCORING", off)
        assert setting("SEARCH_FAST_SCORING", app) is False
    monkeypatch.setenv("TRACKER_SEARCH_FAST_SCORING", "1")
    assert setting("SEARCH_FAST_SCORING", app) is True
    monkeypatch.setenv("TRACKER_SEARCH_FAST_SCORING", "0")
    app.config["SEARCH_FAST_SCORING"] = True  # the app config wins
    assert setting("SEARCH_FAST_SCORING", app) is True


def test_a_changed_positions_format_falls_back_for_phrases(app, client, monkeypatch):
    app.config["SEARCH_FAST_SCORING"] = True
    assert engine.fast_scoring_works()

    def unreadable(value):  # type: ignore[no-untyped-def]
        raise ValueError("not the format we know")

    monkeypatch.setattr(engine, "loads", unreadable)
    assert "positions format" in engine.self_test()
    response = client.get("/api/v1/search", query_string={"q": '"de Vlaamse Regering"', "per_page": 50})
    assert response.status_code == 200
    data = response.get_json()
    assert data["total"] == len(whoosh_scores(app, '"de Vlaamse Regering"')) > 0
