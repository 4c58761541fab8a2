"""Schemathesis against the OpenAPI document: generated requests to every operation find no 500 and no
answer the document does not describe (status, content type, headers, body schema).

Run through schemathesis' Python API (its pytest plugin's lazy loader does not work with pytest 9):
each operation's strategies, valid and invalid requests, a bounded number of examples each.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance

from tests.conftest import TestDatabases
from tests.search.conftest import _search_app
from tracker.opendata.openapi import document

EXAMPLES_PER_OPERATION = 15  # about 30 s on this machine (printed with -s); no timing assertion, it would flake
# A period whose start lies after its end is a Dutch 400 ("draai ze om"), like on the pages: a rule
# between two parameters that a schema cannot state, so a valid-looking request may be refused there.
PERIODS = ("/api/v1/changes", "/api/v1/status-changes", "/api/v1/search")
# The search API (tracker/search) forgives more spellings than the document states (spaces, leading
# zeros); its own tests cover those. Everything else about its answers is checked here.
FORGIVING = ("/api/v1/search",)


@pytest.fixture(scope="module")
def readonly_app(databases: TestDatabases, search_db: tuple[str, Path],
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app for all generated requests: they only read."""
    yield from _search_app(databases, search_db, tmp_path_factory.mktemp("schemathesis"))


def _fuzz(operation, mode: GenerationMode, failures: list[str]) -> None:  # type: ignore[no-untyped-def]
    @given(case=operation.as_strategy(generation_mode=mode))
    # Derandomized: every run (and CI) tries the same examples, so a finding is reproducible, not luck.
    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def check(case) -> None:  # type: ignore[no-untyped-def]
        excluded = [positive_data_acceptance] if operation.path in PERIODS else []
        excluded += [negative_data_rejection] if operation.path in FORGIVING else []
        case.call_and_validate(excluded_checks=excluded)

    try:
        check()
    except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report them all
        failures.append(f"{operation.label} ({mode.value}): {exc}")


def test_generated_requests_get_documented_answers(readonly_app: Flask) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", readonly_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 16
    failures: list[str] = []
    started = time.monotonic()
    for operation in operations:
        has_parameters = bool(document()["paths"][operation.path]["get"].get("parameters"))
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)[:2 if has_parameters else 1]:
            _fuzz(operation, mode, failures)
    elapsed = time.monotonic() - started
    print(f"schemathesis: {len(operations)} operations, {elapsed:.1f} s")
    assert not failures, "\n\n".join(failures)
