"""Fixtures for the import tests: the example files, an app that keeps uploads in tmp_path, a fake decisions site."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask

FIXTURES = Path(__file__).resolve().parent / "fixtures"


class FakeSite:
    """The public decisions site's search API, answering from fixture pages; every call is recorded.

    ``script`` lists, per call, what happens instead of the page: an HTTP status (503), or
    ``"timeout"``; after the script runs out the pages are served by their ``page[number]``.
    """

    def __init__(self, *pages: str | dict[str, Any], script: list[Any] | None = None) -> None:
        self.pages = [p if isinstance(p, dict) else json.loads((FIXTURES / "vr" / p).read_text()) for p in pages]
        self.script = list(script or [])
        self.calls: list[dict[str, list[str]]] = []
        self.timeouts: list[float] = []

    def __call__(self, url: str, timeout: float) -> tuple[int, bytes]:
        parts = urlsplit(url)
        assert parts.path.endswith("/news-items/search")
        query = parse_qs(parts.query)
        self.calls.append(query)
        self.timeouts.append(timeout)
        if self.script:
            step = self.script.pop(0)
            if step == "timeout":
                raise TimeoutError("timed out")
            return step, b'{"errors": [{"title": "Service Unavailable"}]}'
        number = int(query["page[number]"][0])
        page = self.pages[number - 1] if number <= len(self.pages) else {"data": [], "links": {}}
        return 200, json.dumps(page).encode()


@pytest.fixture
def intake_app(app: Flask, tmp_path: Path) -> Flask:
    """The seeded app, with uploads under tmp_path and no waiting between retries."""
    app.config["INTAKE_UPLOAD_DIR"] = str(tmp_path / "uploads")
    app.config["INTAKE_VR_SLEEP"] = lambda seconds: None
    return app


@pytest.fixture
def site(intake_app: Flask) -> FakeSite:
    """The fake site with the two fixture pages (three decisions), plugged into the app."""
    fake = FakeSite("page-1.json", "page-2.json")
    intake_app.config["INTAKE_VR_OPENER"] = fake
    return fake
