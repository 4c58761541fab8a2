"""The API, feeds, downloads and dump on the real data (the seed plus the imported agreement and decisions)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import pytest
from flask import Flask

from tests.conftest import TestDatabases, app_on
from tests.opendata.conftest import check_against_document
from tests.opendata.test_dump import without_recording_times
from tests.opendata.test_feeds import parse_atom
from tests.test_import import imported_db, needs_real_data  # noqa: F401  (the fixture)
from tracker.opendata.dump import TABLES

pytestmark = [pytest.mark.slow, needs_real_data]
LISTS = ("sources", "commitments", "decisions", "programmes", "projects", "organisations", "budget-lines",
         "stated-totals", "status-changes", "changes")


@pytest.fixture
def real_app(databases: TestDatabases, imported_db: str, tmp_path: Path) -> Iterator[Flask]:  # noqa: F811
    yield from app_on(databases, "imported", tmp_path)


def _get(client, path: str, **args):  # type: ignore[no-untyped-def]
    response = client.get(path, query_string=args)
    assert response.status_code == 200, (path, response.status_code)
    check_against_document(path, 200, response.content_type, response.get_json())
    return response.get_json()


def test_every_list_and_some_records_answer_as_documented(real_app: Flask) -> None:
    client = real_app.test_client()
    for name in LISTS:
        first = _get(client, f"/api/v1/{name}", per_page=200)
        if name in ("sources", "commitments", "decisions", "programmes", "projects"):
            assert first["total"] > 0, name
            for item in first["items"][:: max(1, len(first["items"]) // 10)]:
                _get(client, f"/api/v1/{name}/{item['key']}")
        if first.get("pages", 1) > 1:
            _get(client, f"/api/v1/{name}", per_page=200, page=first["pages"])
    assert _get(client, "/api/v1/decisions", per_page=1)["total"] > 1000
    _get(client, "/api/v1/sources/ra-2019", op="2020-01-01")


def test_feeds_and_downloads_on_the_real_data(real_app: Flask) -> None:
    client = real_app.test_client()
    assert len(parse_atom(client.get("/beslissingen.atom")).findall("{http://www.w3.org/2005/Atom}entry")) == 50
    parse_atom(client.get("/wijzigingen.atom"))
    response = client.get("/beslissingen.csv")
    assert response.status_code == 200 and response.get_data().count(b"\r\n") > 1000
    assert client.get("/bronnen/1/engagementen.csv").status_code == 200


def test_the_dump_round_trips_on_the_real_data(real_app: Flask, empty_app: Flask, tmp_path: Path) -> None:
    dump = tmp_path / "dump.json"
    assert real_app.test_cli_runner().invoke(args=["export", str(dump)]).exit_code == 0
    result = empty_app.test_cli_runner().invoke(args=["import", "dump", str(dump), "--yes"])
    assert result.exit_code == 0, result.output
    again = tmp_path / "again.json"
    assert empty_app.test_cli_runner().invoke(args=["export", str(again)]).exit_code == 0
    before = without_recording_times(json.loads(dump.read_text(encoding="utf-8")))
    after = without_recording_times(json.loads(again.read_text(encoding="utf-8")))
    for table in TABLES:
        assert before[table] == after[table], table
