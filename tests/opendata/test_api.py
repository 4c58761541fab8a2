"""The read-only JSON API: every endpoint on the seed, checked against the OpenAPI document."""
from __future__ import annotations

from typing import Any

from tracker.opendata.openapi import document


def items(api, path: str, **args: Any) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    return api(path, **args).get_json()["items"]


def test_every_documented_operation_answers_as_documented(api) -> None:  # type: ignore[no-untyped-def]
    examples = {"{key}": None}
    first = {name: items(api, f"/api/v1/{name}")[0]["key"] for name in
             ("sources", "commitments", "decisions", "programmes", "projects")}
    for path, spec in document()["paths"].items():
        args = {"from": "2019-01-01"} if path.endswith("/changes") else {}
        if "{key}" in path:
            name = path.split("/")[3]
            path = path.replace("{key}", first[name])
        api(path, **args)
    assert examples


def test_the_number_patterns_accept_exactly_the_ranges_the_views_accept() -> None:
    import re

    from tracker.opendata.openapi import WHOLE_PATTERNS

    for (low, high), pattern in WHOLE_PATTERNS.items():
        accepted = {n for n in range(0, high + 2) if re.fullmatch(pattern, str(n))}
        assert accepted == set(range(low, high + 1)), pattern
        assert not re.fullmatch(pattern, f"0{low}") and not re.fullmatch(pattern, f"{low}.0")
