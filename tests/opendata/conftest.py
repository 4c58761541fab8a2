"""Open-data fixtures: the seeded database with its search index, and an API client that checks every
answer it gets against the OpenAPI document."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterator

import pytest
from flask import Flask
from jsonschema import Draft202012Validator, FormatChecker

from tests.conftest import TestDatabases
from tests.search.conftest import _search_app, search_db  # noqa: F401  (the fixture, for this package)
from tracker.opendata.openapi import document

VALIDATED: set[tuple[str, str]] = set()  # (path template, status) of every answer checked in this run


@pytest.fixture
def app(databases: TestDatabases, search_db: tuple[str, Path], tmp_path: Path) -> Iterator[Flask]:  # noqa: F811
    """The seeded database plus an up-to-date search index (so /api/v1/search answers too)."""
    yield from _search_app(databases, search_db, tmp_path)


def _template_for(path: str) -> str:
    doc = document()
    for template in doc["paths"]:
        pattern = "^" + re.sub(r"\\\{key\\\}", ".+", re.escape(template)) + "$"
        if re.match(pattern, path):
            # /api/v1/sources/{key} must not swallow /api/v1/sources: templates with {key} need a longer path.
            if "{key}" not in template or path != template.split("/{key}")[0]:
                return template
    raise AssertionError(f"{path} is not in the OpenAPI document")


def check_against_document(path: str, status: int, content_type: str, body: Any) -> None:
    """The answer for ``path`` with ``status`` must be one the document describes, with that schema."""
    doc = document()
    template = _template_for(path)
    responses = doc["paths"][template]["get"]["responses"]
    assert str(status) in responses, f"{path}: status {status} is not documented"
    spec = responses[str(status)]
    if "content" not in spec:
        return
    assert content_type.startswith("application/json"), f"{path}: {content_type}"
    schema = {**spec["content"]["application/json"]["schema"], "components": doc["components"]}
    errors = sorted(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(body), key=str)
    assert not errors, f"{path} ({status}) contradicts the document: " + "; ".join(
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors[:5])
    VALIDATED.add((template, str(status)))


@pytest.fixture
def api(client):  # type: ignore[no-untyped-def]
    """``api(path, **args)``: GET an API path, check the answer against the OpenAPI document, return it."""

    def get(path: str, expect: int = 200, headers: dict[str, str] | None = None, **args: Any):  # type: ignore[no-untyped-def]
        response = client.get(path, query_string=args, headers=headers or {})
        assert response.status_code == expect, (path, args, response.status_code, response.get_data(as_text=True)[:300])
        body = response.get_json() if response.status_code != 304 else None
        check_against_document(path, response.status_code, response.content_type or "", body)
        return response

    return get
