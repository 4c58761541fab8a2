"""Hostile input through every route: the answer is 200, a redirect or a 4xx in Dutch, never a 500.

The routes come from ``app.url_map``; the query-string names from the source (``request.args.get``,
``date_arg``, the search's argument names). One request per route with every name empty records
which names each route's view actually reads; then each of those names gets every hostile value
alone, and every name gets it at once. About a thousand requests, a few seconds.
"""
from __future__ import annotations

import http.client
import re
import threading
from typing import Iterator
from urllib.parse import quote

import pytest
from flask import Flask, Request
from sqlalchemy import select
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import default_exceptions
from werkzeug.serving import make_server

from tests.conftest import ROOT, TestDatabases, make_app
from tracker.core.db import db

# --------------------------------------------------------------------------- what is sent

# Query-string fragments, already encoded: most are quote()d values, the ones marked raw go as they are.
def _q(value: str) -> str:
    return quote(value, safe="")


HOSTILE = {
    "year 1": _q("0001-01-01"),
    "year 9999": _q("9999-12-31"),
    "squared": _q("²"),
    "arabic-indic 3": _q("٣"),
    "full-width year": _q("２０２１"),
    "5000 digits": "9" * 5000,
    "minus 5000 digits": _q("-" + "9" * 5000),
    "NUL": _q("\x00"),
    "date and NUL": _q("2024-01-01\x00"),
    "10000 letters": "a" * 10_000,
    "10000 accented": _q("é" * 10_000),
    "lone %": "%",
    "bad escape": "%zz",
    "cut UTF-8": "%e2%82",
    "negative": "-1",
    "zero": "0",
    "space": "+",
}
METHODS = ("POST", "PUT", "DELETE", "PATCH")
ERROR_PAGE = "Naar de startpagina"  # every page templates/error.html renders
ENGLISH = {e.description for e in default_exceptions.values() if isinstance(e.description, str)}
DUTCH_WORDS = re.compile(r"\b(de|het|een|is|niet|geen|mag|moet|van|tot|of|en|te|kies|gebruik|hoogstens|"
                         r"onbekende?|ongeldige?|verwacht)\b", re.IGNORECASE)


def query_names() -> set[str]:
    """Every query-string name some view reads, as the source spells it."""
    names: set[str] = set()
    for path in (ROOT / "tracker").rglob("*.py"):
        names |= set(re.findall(r'(?:request\.args\.get(?:list)?|date_arg)\(\s*"([^"]+)"', path.read_text()))
    from tracker.search.service import API_ARGS, PAGE_ARGS

    for args in (PAGE_ARGS, API_ARGS):
        names |= {args.q, args.start, args.end, args.sort, args.page, *args.facets.values()}
    return names


# --------------------------------------------------------------------------- the app

class _Tracking(ImmutableMultiDict):  # type: ignore[type-arg]
    """Query arguments that remember which names a view asked for."""

    asked: set[str] = set()

    def __getitem__(self, key):  # type: ignore[no-untyped-def]
        _Tracking.asked.add(key)
        return super().__getitem__(key)

    def getlist(self, key, type=None):  # type: ignore[no-untyped-def]
        _Tracking.asked.add(key)
        return super().getlist(key, type)

    def __contains__(self, key):  # type: ignore[no-untyped-def]
        _Tracking.asked.add(key)
        return super().__contains__(key)


class _TrackingRequest(Request):
    parameter_storage_class = _Tracking


@pytest.fixture(scope="module")
def hostile_app(databases: TestDatabases, seeded_db: str,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The seeded database with a built search index; 500s come back as responses, not exceptions."""
    from tracker.search.index import get_index
    from tracker.search.outbox import rebuild

    folder = tmp_path_factory.mktemp("hostile")
    url = databases.clone("seeded", folder)
    application = make_app(url, folder / "index")
    application.config["PROPAGATE_EXCEPTIONS"] = False
    application.request_class = _TrackingRequest
    with application.app_context():
        rebuild(get_index(application), db.engine, timeout=5)  # type: ignore[arg-type]
    yield application
    get_index(application).close()
    with application.app_context():
        db.engine.dispose()
    databases.drop(url)


def route_urls(app: Flask) -> dict[str, list[str]]:
    """Each public GET route (but static) as URLs: a real id from the seed, plus zero and absurd ids.

    Routes for editors send the anonymous to the login page first; tests/test_route_matrix.py walks those.
    """
    from tracker.commitments.models import Commitment
    from tracker.decisions.models import Decision
    from tracker.projects.models import Organisation, Programme, Project
    from tracker.sources.models import Source

    models = {"commitment_id": Commitment, "decision_id": Decision, "organisation_id": Organisation,
              "programme_id": Programme, "project_id": Project, "source_id": Source}
    urls: dict[str, list[str]] = {}
    with app.app_context():
        for rule in app.url_map.iter_rules():
            if rule.endpoint == "static" or "GET" not in (rule.methods or ()):
                continue
            if getattr(app.view_functions[rule.endpoint], "access", None) is not None:
                continue
            if not rule.arguments:
                urls[rule.endpoint] = [rule.rule]
                continue
            (name,) = rule.arguments  # every route has at most one id or key
            if name == "key":  # a record addressed by its key (the open-data API): the view names its model
                model = app.view_functions[rule.endpoint].model
                real = db.session.scalar(select(model.key).order_by(model.id))
                urls[rule.endpoint] = [rule.rule.replace("<path:key>", quote(k, safe="/"))
                                       for k in (real, "0", "9" * 5000, "٣", "\x00", "../..")]
                continue
            assert name in models, f"{rule.rule}: add its model to route_urls"
            real = db.session.scalar(select(models[name].id).order_by(models[name].id))
            assert real is not None, f"the seed has no {models[name].__name__}"
            urls[rule.endpoint] = [re.sub(r"<int:\w+>", str(i), rule.rule)
                                   for i in (real, 0, 10**30, "9" * 5000, "٣")]
    assert len(urls) >= 14, sorted(urls)  # the tracker's pages and the search API
    return urls


# --------------------------------------------------------------------------- what counts as an answer

def problem(response) -> str | None:  # type: ignore[no-untyped-def]
    """Why this answer is not acceptable, or None: 200, a redirect, or a 4xx that explains in Dutch."""
    code = response.status_code
    if code == 200 or 300 <= code < 400:
        return None
    if not 400 <= code < 500:
        return f"status {code}"
    if response.is_json:
        message = (response.get_json() or {}).get("error")
        if not isinstance(message, str) or message in ENGLISH or not DUTCH_WORDS.search(message):
            return f"{code} without a Dutch JSON error: {message!r}"
        return None
    body = response.get_data(as_text=True)
    if '<html lang="nl">' not in body or not (ERROR_PAGE in body or "search-error" in body):
        return f"{code} is not a Dutch page"
    english = [e for e in ENGLISH if e in body]
    if english:
        return f"{code} shows English text: {english[0][:60]}"
    return None


def _check(client, url: str, failures: list[str], **kw) -> None:  # type: ignore[no-untyped-def]
    response = client.open(url, **kw)
    why = problem(response)
    if why:
        failures.append(f"{kw.get('method', 'GET')} {url[:120]}: {why}")


# --------------------------------------------------------------------------- the tests

def reads_per_route(app: Flask, client) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    """The query-string names each route's view reads (asked for with every name present and empty)."""
    names = query_names()
    assert {"op", "van", "tot", "pagina", "jaar", "soort", "q", "per_page"} <= names
    reads: dict[str, set[str]] = {}
    for endpoint, urls in route_urls(app).items():
        _Tracking.asked = set()
        response = client.get(urls[0] + "?" + "&".join(f"{n}=" for n in sorted(names)))
        assert response.status_code == 200, (urls[0], response.status_code)
        reads[endpoint] = _Tracking.asked & names
    unread = names - set().union(*reads.values())
    assert not unread, f"no route read {unread}: the tracking request class no longer sees the reads"
    return reads


def _sweep(app: Flask) -> list[str]:
    """Every route with each name it reads set to each hostile value, then every name at once."""
    client = app.test_client()
    reads = reads_per_route(app, client)
    every = query_names()
    failures: list[str] = []
    for endpoint, urls in route_urls(app).items():
        for url in urls:
            _check(client, url, failures)
        url, names = urls[0], reads[endpoint]
        for value in HOSTILE.values():
            for name in sorted(names):
                _check(client, f"{url}?{name}={value}", failures)
            # Every name at once, read or not (templates echo the whole query string through url_with):
            # van=0001-01-01&tot=9999-12-31 and the like.
            query = "&".join(f"{name}={value}" for name in sorted(every))
            if len(query) <= app.config["MAX_QUERY_STRING_CHARS"]:
                _check(client, f"{url}?{query}", failures)
    return failures


def test_no_parameter_value_gives_a_500(hostile_app: Flask) -> None:
    failures = _sweep(hostile_app)
    assert not failures, f"{len(failures)} bad answers:\n" + "\n".join(failures[:200])


def test_changes_from_the_first_day_a_date_can_hold(hostile_app: Flask) -> None:
    response = hostile_app.test_client().get("/wijzigingen?van=0001-01-01&tot=9999-12-31")
    assert response.status_code == 200
    assert "Gedeeltelijk gerealiseerd" in response.get_data(as_text=True)  # the seeded assessment


def test_other_methods_on_get_routes_are_405_in_dutch(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    failures: list[str] = []
    get_only = {rule.endpoint for rule in hostile_app.url_map.iter_rules()
                if not (rule.methods or set()) - {"GET", "HEAD", "OPTIONS"}}
    for endpoint, urls in route_urls(hostile_app).items():
        if endpoint not in get_only:
            continue
        for method in METHODS:
            response = client.open(urls[0], method=method)
            if response.status_code != 405 or problem(response):
                failures.append(f"{method} {urls[0]}: {response.status_code} {problem(response)}")
            elif "GET" not in response.headers.get("Allow", ""):
                failures.append(f"{method} {urls[0]}: no Allow header")
    assert not failures, "\n".join(failures)
    page = client.post("/").get_data(as_text=True)
    assert "Methode niet toegestaan" in page and "Dit adres aanvaardt geen POST-aanvraag" in page


@pytest.mark.parametrize("url", ["/", "/api/v1/search"])
def test_over_long_query_strings_are_414_in_dutch(hostile_app: Flask, url: str) -> None:
    client = hostile_app.test_client()
    limit = hostile_app.config["MAX_QUERY_STRING_CHARS"]
    assert client.get(f"{url}?q={'a' * (limit - 2)}").status_code != 414  # q= and the value: the limit
    for value in ("a" * (limit - 1), _q("é" * (limit - 1)), _q("😀" * (limit - 1)), "a" * (12 * limit)):
        response = client.get(f"{url}?q={value}")
        assert response.status_code == 414, value[:20]
        assert problem(response) is None
        message = response.get_json()["error"] if response.is_json else response.get_data(as_text=True)
        assert "Het adres is te lang" in message and "16.384 tekens" in message


def test_over_long_paths_are_414_and_long_paths_404(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    limit = hostile_app.config["MAX_PATH_CHARS"]
    assert client.get("/" + "x" * (limit - 1)).status_code == 404
    response = client.get("/" + "x" * limit + "x")
    assert response.status_code == 414 and problem(response) is None


def test_over_large_bodies_are_413_in_dutch(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    limit = hostile_app.config["MAX_CONTENT_LENGTH"]
    assert limit == 1024 * 1024
    for url in ("/", "/beslissingen", "/bestaat-niet", "/api/v1/search"):
        response = client.post(url, data=b"x" * (limit + 1))
        assert response.status_code == 413, url
        assert problem(response) is None
        message = response.get_json()["error"] if response.is_json else response.get_data(as_text=True)
        assert "hoogstens 1 MB" in message
    assert client.post("/", data=b"x" * limit).status_code == 405  # at the limit: on to routing


def test_english_descriptions_never_reach_the_page(app: Flask) -> None:
    from flask import abort
    from flask_wtf.csrf import CSRFError

    @app.route("/test-fouten/<int:code>")
    def _raise(code: int):  # type: ignore[no-untyped-def]
        if code == 999:
            raise CSRFError("The CSRF token is missing.")
        abort(code)

    client = app.test_client()
    for code in (400, 401, 403, 404, 409, 410, 413, 414, 418, 429, 999):
        response = client.get(f"/test-fouten/{code}")
        assert problem(response) is None, code
    assert "Laad de pagina opnieuw" in client.get("/test-fouten/999").get_data(as_text=True)
    assert "HTTP-fout 418" in client.get("/test-fouten/418").get_data(as_text=True)


def test_the_server_header_names_no_versions(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    for url in ("/", "/bestaat-niet", "/api/v1/search?q=x"):
        assert client.get(url).headers.getlist("Server") == ["Regeerakkoord-tracker"]
    assert client.post("/").headers.getlist("Server") == ["Regeerakkoord-tracker"]


def test_the_development_server_sends_only_the_apps_server_header(hostile_app: Flask) -> None:
    from tracker.core.web import DevRequestHandler

    server = make_server("127.0.0.1", 0, hostile_app, request_handler=DevRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for target, code in (("/hoe-we-beoordelen", 200), ("/?" + "a" * 70_000, 414)):
            conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            conn.request("GET", target)
            response = conn.getresponse()
            body = response.read().decode()
            servers = [v for k, v in response.getheaders() if k.lower() == "server"]
            conn.close()
            assert response.status == code
            assert all("Werkzeug" not in v and "Python" not in v for v in servers), servers
            if code == 200:
                assert servers == ["Regeerakkoord-tracker"]
            else:  # http.server's own refusal of a request line over 64 KB
                assert '<html lang="nl">' in body and "Het adres is te lang" in body
    finally:
        server.shutdown()
        thread.join()


@pytest.mark.parametrize("value", ["20240630", "2024-W26-7", "2024-06-30T00:00", "٢٠٢٤-٠٦-٣٠", "2024-6-30"])
def test_dates_in_the_address_have_one_spelling(hostile_app: Flask, value: str) -> None:
    response = hostile_app.test_client().get(f"/?op={_q(value)}")
    assert response.status_code == 400 and problem(response) is None
    assert "Gebruik de vorm JJJJ-MM-DD" in response.get_data(as_text=True)


def test_error_messages_do_not_echo_control_characters(hostile_app: Flask) -> None:
    page = hostile_app.test_client().get("/?op=2024%00%1b").get_data(as_text=True)
    assert "&#34;2024??&#34; is geen geldige datum" in page or '"2024??" is geen geldige datum' in page
