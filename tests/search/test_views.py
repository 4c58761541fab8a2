"""The search page and the API as a visitor and a program see them."""
from __future__ import annotations

import re

from sqlalchemy import select

from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.search.index import get_index


def page(client, **args):
    response = client.get("/zoeken", query_string=args)
    return response.status_code, response.get_data(as_text=True)


def test_every_page_has_the_search_box(client):
    html = client.get("/").get_data(as_text=True)
    assert 'role="search"' in html and 'action="/zoeken"' in html and '<label for="zoek-q">Zoeken</label>' in html


def test_empty_search_page_explains_the_syntax(client):
    status, html = page(client)
    assert status == 200
    assert "<h1>Zoeken</h1>" in html and "Zo zoekt u" in html and "resultaten" not in html.lower().split("zo zoekt u")[0]
    assert '<label for="zoekvraag">' in html


def test_results_show_kind_title_status_date_snippet_and_link(app, client):
    status, html = page(client, q="digitale overheid")
    assert status == 200
    assert re.search(r'<h2 id="resultaten-kop">\d+ resultaten</h2>', html)
    assert 'class="kind kind-commitment">Engagement</span>' in html
    assert 'class="kind kind-decision">Beslissing</span>' in html
    assert 'class="status status-' in html  # commitments show their status badge
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\d">\d+ \w+ \d{4}</time>', html)  # decisions their date
    assert "<mark>" in html
    links = re.findall(r'<h3><a href="([^"]+)">', html)
    assert len(links) == 20
    for link in links[:8]:
        assert client.get(link).status_code == 200


def test_facets_are_labelled_checkboxes_with_counts(client):
    _, html = page(client, q="digitaal")
    assert '<h2 id="filters-kop">Verfijnen</h2>' in html
    assert "<legend>Soort</legend>" in html and "<legend>Jaar</legend>" in html
    boxes = re.findall(r'<input type="checkbox" id="([^"]+)" name="soort" value="(\w+)"', html)
    assert ("f-type-1", "commitment") in boxes
    for field_id, _ in boxes:
        assert f'<label for="{field_id}">' in html
    assert re.search(r'<label for="f-type-\d">Beslissing <span class="count">\(\d+\)</span></label>', html)


def test_ticking_a_facet_narrows_the_results(client):
    _, html = page(client, q="digitaal", soort="decision")
    kinds = set(re.findall(r'class="kind kind-(\w+)"', html))
    assert kinds == {"decision"}
    assert 'name="soort" value="decision" checked' in html
    assert "Alle filters wissen" in html


def test_date_range_and_sort_by_date(client):
    _, html = page(client, soort="decision", van="2021-01-01", tot="2021-12-31", sorteer="datum")
    dates = re.findall(r'<time datetime="([\d-]+)">', html)
    assert dates and dates == sorted(dates, reverse=True)
    assert all("2021-01-01" <= d <= "2021-12-31" for d in dates)
    assert "gesorteerd op datum" in html


def test_pagination(client):
    _, first = page(client, q="digitaal")
    assert 'rel="next"' in first and "Pagina 1 van" in first
    _, second = page(client, q="digitaal", pagina=2)
    assert 'rel="prev"' in second
    assert set(re.findall(r'<h3><a href="([^"]+)">', first)).isdisjoint(re.findall(r'<h3><a href="([^"]+)">', second))


def test_suggestion_links_to_the_corrected_search(client):
    _, html = page(client, q="digitalsering")
    assert "Geen resultaten" in html
    assert re.search(r'Bedoelde u: <a href="/zoeken\?q=digitalisering">digitalisering</a>\?', html)


def test_document_number_finds_the_decision_page(app, client):
    with app.app_context():
        decision_id = db.session.scalar(select(Decision.id).where(Decision.key == "ana-00"))
    _, html = page(client, q="VR20202711 DOC.1294/1")
    assert re.findall(r'<h3><a href="([^"]+)">', html)[0] == f"/beslissingen/{decision_id}"
    assert "VR 2020 2711 DOC.1294/1" in html  # the hit shows its document number


def test_a_query_to_change_gets_a_400_with_the_reason_and_the_form(client):
    status, html = page(client, q="be*")
    assert status == 400
    assert 'role="alert">Geef minstens 3 letters' in html
    assert 'value="be*"' in html  # the query stays in the box to be corrected
    status, html = page(client, q="digitaal", pagina="twee")
    assert status == 400 and "paginanummer" in html


def test_the_query_is_escaped(client):
    _, html = page(client, q='<script>alert("x")</script>')
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_without_an_index_the_page_says_so(app, client):
    import shutil

    get_index(app).close()
    shutil.rmtree(app.config["INDEX_DIR"])
    status, html = page(client, q="digitaal")
    assert status == 503 and "tracker index rebuild" in html
    assert client.get("/api/v1/search?q=digitaal").status_code == 503


# --------------------------------------------------------------------------- API


def test_api_json_shape(client):
    data = client.get("/api/v1/search?q=digitaal&per_page=5").get_json()
    assert set(data) >= {"total", "results", "facets", "page", "pages", "per_page", "suggestion"}
    assert data["total"] > 5 and len(data["results"]) == 5
    for result in data["results"]:
        assert set(result) >= {"type", "id", "title", "url", "snippet", "score", "date"}
        assert isinstance(result["id"], int) and result["url"].startswith("/")
        assert isinstance(result["score"], float)
    assert set(data["facets"]) >= {"type", "year"}
    assert set(data["facets"]["type"][0]) == {"value", "label", "count", "selected"}


def test_api_filters_by_type_and_status(client):
    data = client.get("/api/v1/search?type=commitment&status=gedeeltelijk").get_json()
    assert data["total"] >= 1
    assert {(r["type"], r["status"]) for r in data["results"]} == {("commitment", "gedeeltelijk")}
    data = client.get("/api/v1/search?type=decision&type=project&q=digitaal").get_json()
    assert {r["type"] for r in data["results"]} <= {"decision", "project"}


def test_api_errors_are_dutch_json(client):
    for query, message in [("q=be*", "minstens 3 letters"), ("type=kat", "Onbekende soort"),
                           ("status=klaar", "Onbekende status"), ("page=0", "paginanummer"),
                           ("per_page=500", "per_page"), ("from=gisteren", "geen geldige begindatum"),
                           ("from=2022-01-01&to=2021-01-01", "draai ze om"), ("sort=titel", "Sorteer op")]:
        response = client.get(f"/api/v1/search?{query}")
        assert response.status_code == 400, query
        assert response.get_json()["status"] == 400
        assert message in response.get_json()["error"], query
