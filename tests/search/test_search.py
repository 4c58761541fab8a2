"""What search finds: Dutch analysis, document numbers and codes, operators, facets, sorting, paging."""
from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from tracker.commitments.models import Commitment
from tracker.core.db import db
from tracker.decisions.models import Decision, DecisionKind
from tracker.decisions.operations import create_decision
from tracker.projects.models import Project


def keys(data):
    return [f"{r['type']}:{r['id']}" for r in data["results"]]


def record_id(app, model, key):
    with app.app_context():
        return db.session.scalar(select(model.id).where(model.key == key))


# --------------------------------------------------------------------------- Dutch analysis


def test_accents_are_folded(api):
    with_accent = api(q="Artificiële intelligentie")
    without = api(q="artificiele INTELLIGENTIE")
    assert with_accent["total"] > 0
    assert keys(with_accent) == keys(without)
    assert any("rtificiële" in r["title"] for r in without["results"])


def test_stemming_finds_other_forms(app, api):
    results = api(q="digitaliseren", per_page=50)
    titles = " ".join(r["title"] for r in results["results"]).lower()
    assert "digitalisering" in titles  # e.g. "Plan Vlaamse Veerkracht: Digitalisering ..."
    assert "digitaliseren" not in titles


def test_exact_word_ranks_above_a_stemmed_one(app, api, commit_and_index):
    with app.app_context():
        for key, word in (("test-stem", "digitalisering"), ("test-exact", "digitaliseren")):
            create_decision({"key": key, "title": f"Proefproject {word} van gemeentearchieven",
                             "kind": DecisionKind.NOTA, "meeting_date": date(2022, 3, 4)}, None)
        commit_and_index()
    exact_id = record_id(app, Decision, "test-exact")
    stem_id = record_id(app, Decision, "test-stem")
    found = keys(api(q="digitaliseren gemeentearchieven"))
    assert found[:2] == [f"decision:{exact_id}", f"decision:{stem_id}"]
    found = keys(api(q="digitalisering gemeentearchieven"))
    assert found[:2] == [f"decision:{stem_id}", f"decision:{exact_id}"]


def test_stop_words_alone_explain_themselves(api):
    data = api(q="de het van")
    assert data["total"] == 0 and "veelgebruikte woorden" in data["notice"]


def test_stop_words_do_not_narrow_a_query(api):
    assert api(q="de digitalisering")["total"] == api(q="digitalisering")["total"]


# --------------------------------------------------------------------------- references


@pytest.mark.parametrize("spelling", [
    "DOC.1294/1", "VR 2020 2711 DOC.1294/1", "VR20202711 DOC.1294/1", "vr 2020 2711 doc 1294/1",
    "doc.1294", "1294/1",
])
def test_document_number_in_any_spelling(app, api, spelling):
    decision_id = record_id(app, Decision, "ana-00")
    assert keys(api(q=spelling))[0] == f"decision:{decision_id}"


def test_project_code_finds_the_project_in_its_programme(app, api):
    project_id = record_id(app, Project, "vrd2/21.4")
    data = api(q="21.4")
    first = data["results"][0]
    assert (first["type"], first["id"]) == ("project", project_id)
    assert "Vlaanderen Radicaal Digitaal 2" in first["detail"]
    assert first["url"] == f"/projecten/{project_id}"


def test_commitment_reference(app, api):
    commitment_id = record_id(app, Commitment, "ra-2019/bestuurzaken/3.2.3")
    assert f"commitment:{commitment_id}" in keys(api(q="3.2.3 ICT"))


# --------------------------------------------------------------------------- operators


def test_phrase_is_stricter_than_words(api):
    words = api(q="ICT en Informatie")["total"]
    phrase = api(q='"ICT en Informatie"')
    assert 0 < phrase["total"] < words
    assert any("ICT en Informatie" in r["title"] for r in phrase["results"])


def test_or_widens_and_and_narrows(api):
    a, b = api(q="cybersecurity")["total"], api(q="inburgering")["total"]
    both = api(q="cybersecurity inburgering")["total"]
    either = api(q="cybersecurity OF inburgering")["total"]
    assert both <= min(a, b) and either >= max(a, b) and either > 0
    assert api(q="cybersecurity OR inburgering")["total"] == either


@pytest.mark.parametrize("exclusion", ["-onderwijs", "NIET onderwijs"])
def test_exclusion(api, exclusion):
    everything = api(q="digitalisering", per_page=50)
    without = api(q=f"digitalisering {exclusion}", per_page=50)
    with_it = api(q="digitalisering onderwijs", per_page=50)
    assert with_it["total"] > 0
    assert without["total"] == everything["total"] - with_it["total"]
    assert not set(keys(without)) & set(keys(with_it))


def test_only_an_exclusion_means_everything_else(api):
    total = api(type="decision")["total"]
    assert 0 < api(q="-digitalisering", type="decision")["total"] < total


def test_prefix(api):
    data = api(q="cyber*")
    assert data["total"] >= api(q="cybersecurity")["total"] > 0


def test_parentheses_group(api):
    grouped = api(q="(cybersecurity OF inburgering) digitaal")["total"]
    assert 0 < grouped <= api(q="cybersecurity OF inburgering")["total"]


def test_title_field_only_looks_at_titles(api):
    anywhere = api(q="stuurorgaan")["total"]
    in_title = api(q="titel:stuurorgaan")
    assert 0 < in_title["total"] < anywhere
    assert all("stuurorgaan" in r["title"].lower() for r in in_title["results"])


# --------------------------------------------------------------------------- facets, sorting, paging


def test_type_facet_counts_add_up_to_the_total(api):
    data = api(q="digitaal")
    assert sum(v["count"] for v in data["facets"]["type"]) == data["total"]


def test_facets_combine(api):
    base = api(q="digitaal")
    decisions = api(q="digitaal", type="decision")
    assert decisions["total"] == next(v["count"] for v in base["facets"]["type"] if v["value"] == "decision")
    assert {r["type"] for r in decisions["results"]} == {"decision"}
    # The type facet still offers the other kinds, with the counts they would add.
    assert [v["count"] for v in decisions["facets"]["type"]] == [v["count"] for v in base["facets"]["type"]]
    assert [v["value"] for v in decisions["facets"]["type"] if v["selected"]] == ["decision"]
    two = api(q="digitaal", type="decision,project")
    counts = {v["value"]: v["count"] for v in base["facets"]["type"]}
    assert two["total"] == counts["decision"] + counts["project"]
    # Another facet narrows within the selection, and its counts follow.
    year = decisions["facets"]["year"][0]
    narrowed = api(q="digitaal", type="decision", year=year["value"])
    assert narrowed["total"] == year["count"]
    assert all(r["date"].startswith(year["value"]) for r in narrowed["results"])


def test_status_facet_and_filter(api):
    data = api(type="commitment")
    statuses = {v["value"]: v["count"] for v in data["facets"]["status"]}
    assert "gedeeltelijk" in statuses
    filtered = api(type="commitment", status="gedeeltelijk")
    assert filtered["total"] == statuses["gedeeltelijk"]
    assert all(r["status"] == "gedeeltelijk" for r in filtered["results"])


def test_facet_filters_in_the_query_match_the_url_filters(api):
    assert keys(api(q="digitaal soort:beslissing jaar:2021", per_page=50)) == \
        keys(api(q="digitaal", type="decision", year="2021", per_page=50))


def test_source_and_domain_facets(api):
    data = api(type="commitment")
    sources = {v["value"]: v["label"] for v in data["facets"]["source"]}
    assert sources["vds"] == "Vlaamse Digitale Strategie"
    domain = data["facets"]["domain"][0]
    exact = api(type="commitment", domain=domain["value"])
    assert exact["total"] == domain["count"] > 0
    # A value typed in another case means the same value.
    assert api(type="commitment", domain=domain["value"].upper())["total"] == domain["count"]
    assert api(q=f'soort:engagement beleidsdomein:"{domain["value"]}"')["total"] == domain["count"]


def test_date_range(api):
    data = api(type="decision", **{"from": "2021-01-01", "to": "2021-12-31"}, per_page=50)
    assert data["total"] > 0
    assert all("2021-01-01" <= r["date"] <= "2021-12-31" for r in data["results"])
    assert api(type="decision", **{"from": "2021", "to": "2021"})["total"] == data["total"]


def test_sort_by_date(api):
    data = api(q="digitaal", sort="date", per_page=50)
    dates = [r["date"] for r in data["results"] if r["date"]]
    assert dates == sorted(dates, reverse=True) and data["sort"] == "date"
    assert all(r["score"] is None for r in data["results"])


def test_relevance_scores_descend(api):
    scores = [r["score"] for r in api(q="digitale overheid", per_page=50)["results"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_pages_do_not_overlap_and_cover_the_total(api):
    first = api(q="digitaal", per_page=10)
    assert first["total"] > 10 and first["pages"] == -(-first["total"] // 10)
    seen = []
    for page in range(1, first["pages"] + 1):
        seen += keys(api(q="digitaal", per_page=10, page=page))
    assert len(seen) == len(set(seen)) == first["total"]
    assert api(q="digitaal", per_page=10, page=first["pages"] + 1)["results"] == []


def test_browse_by_filter_without_words(api):
    data = api(type="programme")
    assert data["total"] == 3 and data["sort"] == "date"


def test_suggestion_from_the_index_vocabulary(api):
    data = api(q="digitalsering vlaamse")
    assert data["total"] == 0
    assert data["suggestion"] == "digitalisering vlaamse"
    assert api(q="digitalisering")["suggestion"] is None


def test_highlighted_snippet(api):
    results = api(q="cybersecurity")["results"]
    assert len(results) >= 5
    for result in results:
        snippet = result["snippet"]
        marked = re.findall(r"<mark>(.*?)</mark>", snippet)
        # The passage around the match, the word marked wherever it appears, nothing else marked.
        assert marked and {m.lower() for m in marked} == {"cybersecurity"}, snippet
        assert len(marked) == re.sub(r"</?mark>", "", snippet).lower().count("cybersecurity"), snippet
    # A long text is cut to the passage with the match, not shown from its start.
    assert any(r["snippet"].startswith("… ") for r in results)


def test_snippet_escapes_html(app, api, commit_and_index):
    with app.app_context():
        create_decision({"key": "test-html", "title": "Proef met <script>", "kind": DecisionKind.NOTA,
                         "text": "Een tekst met <b>opmaak</b> & zeldzaamwoord erin."}, None)
        commit_and_index()
    snippet = api(q="zeldzaamwoord")["results"][0]["snippet"]
    assert "<b>" not in snippet and "&lt;b&gt;" in snippet and "<mark>zeldzaamwoord</mark>" in snippet
