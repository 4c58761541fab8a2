"""Every argument of both search endpoints, fed awkward values: a 200 or a Dutch 400, never a 500."""
from __future__ import annotations

import pytest

from tracker.search.service import API_ARGS, PAGE_ARGS

AWKWARD = [
    "²",  # a Unicode digit: "²".isdigit() is True, int("²") raises
    "٣",  # an Arabic-Indic digit: int() reads it, the date parser does not
    "١٢٣٤",
    "1" * 5000,  # more digits than int() reads by default (4300)
    "9" * 20_000,
    "0" * 5000 + "1",
    "-1", "0", "+1", "1.0", "1e3", " 7 ", "0x10",
    "\x00", "a\x00b", "1\x00", "\x00" * 100,
    "x" * 10_000,
    "é" * 10_000,
    "🙂",
    "0001", "9999", "0000",
    "0001-01-01", "9999-12-31", "0001-12-31", "9999-01-01", "0000-01-01", "10000-01-01",
    "2021-02-30", "2021-W01-1", "20210101",
    "decision,project", "," * 100, ",".join(["decision"] * 25),
    "",
    " ",
]


def api_names() -> list[str]:
    return ["q", *API_ARGS.facets.values(), API_ARGS.start, API_ARGS.end, API_ARGS.sort, API_ARGS.page,
            "per_page"]


def page_names() -> list[str]:
    return ["q", *PAGE_ARGS.facets.values(), PAGE_ARGS.start, PAGE_ARGS.end, PAGE_ARGS.sort, PAGE_ARGS.page]


def check_api(client, args):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/search", query_string=args)
    # 414: the address is longer than the app reads at all (README, "Input and limits").
    assert response.status_code in (200, 400, 414), (args, response.status_code)
    data = response.get_json()
    if response.status_code in (400, 414):
        assert data["status"] == response.status_code and _dutch(data["error"]), (args, data)
    else:
        assert isinstance(data["total"], int) and len(data["results"]) <= data["per_page"]


def check_page(client, args):  # type: ignore[no-untyped-def]
    response = client.get("/zoeken", query_string=args)
    assert response.status_code in (200, 400, 414), (args, response.status_code)
    html = response.get_data(as_text=True)
    if response.status_code == 414:
        assert "te lang" in html, (args, html[:300])
    elif response.status_code == 400:
        message = html.split('role="alert">', 1)[1].split("<", 1)[0]
        assert _dutch(message), (args, message)
    else:
        assert "<h1>Zoek" in html


def _dutch(message: str) -> bool:
    """One of our messages: it names what to change, in Dutch (not Werkzeug's "Bad Request")."""
    words = ("moet", "kies", "gebruik", "geen", "onbekende", "sorteer", "draai", "schrijf", "hoogstens",
             "minstens", "typ", "zoekvraag")
    return any(w in message.lower() for w in words) and "bad request" not in message.lower()


@pytest.mark.slow  # about 2,000 requests over the two tests
@pytest.mark.parametrize("name", api_names())
def test_api_arguments(readonly_app, name):
    client = readonly_app.test_client()
    for value in AWKWARD:
        check_api(client, {name: value})
        check_api(client, {name: value, "q": "digitaal"} if name != "q" else {name: value, "type": "decision"})


@pytest.mark.slow
@pytest.mark.parametrize("name", page_names())
def test_page_arguments(readonly_app, name):
    client = readonly_app.test_client()
    for value in AWKWARD:
        check_page(client, {name: value})
        check_page(client, {name: value, "q": "digitaal"} if name != "q" else {name: value, "soort": "decision"})


@pytest.mark.parametrize("start,end", [("0001-01-01", "9999-12-31"), ("0001", "9999"), ("9999", "9999"),
                                       ("0001", "0001"), ("9999-12-31", "0001-01-01")])
def test_extreme_date_ranges(readonly_app, start, end):
    client = readonly_app.test_client()
    for q in ("", "digitaal"):
        check_api(client, {"q": q, "from": start, "to": end, "sort": "date"})
        check_page(client, {"q": q, "van": start, "tot": end, "sorteer": "datum"})


def test_unicode_and_huge_numbers_are_refused_with_the_reason(readonly_app):
    client = readonly_app.test_client()
    for value in ("²", "٣", "1" * 5000, "0", "51"):
        response = client.get("/api/v1/search", query_string={"per_page": value})
        assert response.status_code == 400 and "per_page moet een geheel getal van 1 tot 50 zijn" in \
            response.get_json()["error"], value
        response = client.get("/api/v1/search", query_string={"page": value if value != "51" else "101"})
        assert response.status_code == 400 and "paginanummer" in response.get_json()["error"], value
    assert client.get("/api/v1/search", query_string={"per_page": "007", "q": "digitaal"}).get_json()["per_page"] == 7
    assert client.get("/zoeken", query_string={"pagina": "0" * 5000 + "2", "q": "digitaal"}).status_code == 200
