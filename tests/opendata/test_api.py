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


def test_lists_paginate_with_next_links_in_body_and_header(api) -> None:  # type: ignore[no-untyped-def]
    first = api("/api/v1/commitments", per_page=10)
    body = first.get_json()
    assert body["total"] > 10 and body["pages"] == -(-body["total"] // 10) and len(body["items"]) == 10
    assert body["links"]["prev"] is None and "page=2" in body["links"]["next"]
    assert f'<{body["links"]["next"]}>; rel="next"' in first.headers["Link"]
    path = body["links"]["next"].removeprefix("http://localhost")
    second = api(path.split("?")[0], **dict(arg.split("=") for arg in path.split("?")[1].split("&")))
    seen = {c["key"] for c in body["items"]}
    assert not seen & {c["key"] for c in second.get_json()["items"]}
    # Walking every page gives every record once.
    keys: list[str] = []
    for number in range(1, body["pages"] + 1):
        keys += [c["key"] for c in items(api, "/api/v1/commitments", per_page=10, page=number)]
    assert len(keys) == len(set(keys)) == body["total"]
    api("/api/v1/commitments", expect=404, per_page=10, page=body["pages"] + 1)


def test_records_are_addressed_by_their_keys(api) -> None:  # type: ignore[no-untyped-def]
    decision = api("/api/v1/decisions/ana-00").get_json()
    assert decision["key"] == "ana-00" and decision["document_numbers"]
    project = api("/api/v1/projects/vrd2/21.1").get_json()
    assert project["programme"] == "vrd2" and project["decision"] == "ana-00"
    assert project["euro"] == sum(b["amount"] for b in project["budget_lines"]
                                  if b["kind"] in ("investering", "exploitatie"))
    assert api("/api/v1/programmes/vrd2").get_json()["projects"][0].startswith("vrd2/")
    source = api("/api/v1/sources/vds").get_json()
    assert source["tree"] and source["rollup"]["total"] == sum(n["rollup"]["total"] for n in source["tree"])


def test_filters_narrow_the_lists(api) -> None:  # type: ignore[no-untyped-def]
    everything = api("/api/v1/decisions", per_page=200).get_json()
    of_2021 = items(api, "/api/v1/decisions", year="2021", per_page=200)
    assert of_2021 and len(of_2021) < everything["total"]
    assert all(d["meeting_date"].startswith("2021") for d in of_2021)
    vds = items(api, "/api/v1/commitments", source="vds", per_page=200)
    assert vds and all(c["source"] == "vds" for c in vds)
    realised = items(api, "/api/v1/commitments", status="gedeeltelijk")
    assert [c["key"] for c in realised] == ["ra-2019/bestuurzaken/3.2.3"]
    lines = items(api, "/api/v1/budget-lines", project="vrd2/21.1")
    assert lines and all(b["project"] == "vrd2/21.1" for b in lines)
    assert items(api, "/api/v1/budget-lines", kind="betaalprognose")
    assert all(t["kind"] == "investering" for t in items(api, "/api/v1/stated-totals", kind="investering"))
    assert items(api, "/api/v1/status-changes", source="ra-2019")
    assert not items(api, "/api/v1/status-changes", source="vds")


def test_as_of_a_date_shows_the_status_then(api) -> None:  # type: ignore[no-untyped-def]
    key = "ra-2019/bestuurzaken/3.2.3"
    now = api(f"/api/v1/commitments/{key}").get_json()
    assert now["status"] == "gedeeltelijk" and len(now["history"]) == 1
    before = api(f"/api/v1/commitments/{key}", op="2022-11-17").get_json()
    assert before["status"] == "niet_beoordeeld" and before["history"] == [] and before["as_of"] == "2022-11-17"
    assert [c["key"] for c in items(api, "/api/v1/commitments", status="gedeeltelijk", op="2022-11-17")] == []
    assert [c["key"] for c in items(api, "/api/v1/commitments", status="gedeeltelijk", op="2022-11-18")] == [key]
    # Before the 2024 agreement existed, its commitments are not in the list.
    assert not items(api, "/api/v1/commitments", source="ra-2024", op="2024-01-01")
    assert items(api, "/api/v1/commitments", source="ra-2024")


def test_changes_between_two_dates(api) -> None:  # type: ignore[no-untyped-def]
    found = api("/api/v1/changes", **{"from": "2022-01-01", "to": "2022-12-31"}).get_json()
    assert [(c["commitment"]["key"], c["old_status"], c["new_status"]) for c in found["items"]] == [
        ("ra-2019/bestuurzaken/3.2.3", "niet_beoordeeld", "gedeeltelijk")]
    assert api("/api/v1/changes", **{"from": "2023-01-01", "to": "2023-12-31"}).get_json()["items"] == []


def test_only_current_links_are_shown(app, api) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from tracker.commitments.models import Link
    from tracker.core.db import db, utcnow
    from tracker.core.writes import unguarded

    project = api("/api/v1/projects/vrd2/21.1").get_json()
    assert project["links"]
    gone = project["links"][0]["id"]
    with app.app_context():
        link = db.session.get(Link, gone)
        with unguarded(db.session):  # the removal operation is being built elsewhere; its fields are here
            link.removed_dt = utcnow()
            link.removal_reason = "test"
            db.session.commit()
        assert db.session.scalar(select(Link.id).where(Link.id == gone)) == gone
    after = api("/api/v1/projects/vrd2/21.1").get_json()
    assert gone not in [item["id"] for item in after["links"]]
    assert len(after["links"]) == len(project["links"]) - 1


def test_open_proposals_are_not_exposed(app, api) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from sqlalchemy import select

    from tracker.accounts.models import User
    from tracker.commitments.models import Commitment
    from tracker.core.db import db
    from tracker.workflow.operations import propose_status
    from tracker.workflow.status import Status

    with app.app_context():
        commitment = db.session.scalar(select(Commitment).where(Commitment.key == "vds/as-1"))
        editor = db.session.scalar(select(User).order_by(User.id))
        propose_status(commitment, to_status=Status.IN_VOORBEREIDING, effective_date=date(2024, 1, 1),
                       motivation="Een geheim voorstel", actor=editor, seen_version=commitment.version)
        db.session.commit()
    shown = api("/api/v1/commitments/vds/as-1").get_data(as_text=True)
    assert "geheim voorstel" not in shown and '"status":"niet_beoordeeld"' in shown.replace(" ", "")
    assert "geheim voorstel" not in api("/api/v1/status-changes").get_data(as_text=True)


def test_errors_are_json_in_dutch(api) -> None:  # type: ignore[no-untyped-def]
    missing = api("/api/v1/commitments/bestaat-niet", expect=404).get_json()
    assert "bestaat niet" in missing["error"] and missing["status"] == 404
    assert "geheel getal" in api("/api/v1/decisions", expect=400, year="twintig").get_json()["error"]
    assert "kies uit" in api("/api/v1/commitments", expect=400, status="klaar").get_json()["error"]
    assert "JJJJ-MM-DD" in api("/api/v1/commitments", expect=400, op="30-06-2024").get_json()["error"]
    assert "draai ze om" in api("/api/v1/status-changes", expect=400,
                                **{"from": "2024-02-01", "to": "2024-01-01"}).get_json()["error"]


def test_cors_is_open_for_reading(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/api/v1/decisions", "/api/v1/search?q=digitaal", "/api/v1/openapi.json"):
        response = client.get(path, headers={"Origin": "https://example.org"})
        assert response.headers["Access-Control-Allow-Origin"] == "*", path
    preflight = client.options("/api/v1/decisions", headers={"Origin": "https://example.org",
                                                             "Access-Control-Request-Method": "GET"})
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight.headers["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/beslissingen").headers


def test_etag_gives_304_until_the_data_changes(app, client) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from tracker.core.db import db
    from tracker.decisions.models import Decision
    from tracker.decisions.operations import update_decision

    first = client.get("/api/v1/decisions/ana-00")
    etag = first.headers["ETag"]
    assert etag and first.status_code == 200
    again = client.get("/api/v1/decisions/ana-00", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert client.get("/api/v1/decisions", headers={"If-None-Match": etag}).status_code == 200
    with app.app_context():
        decision = db.session.scalar(select(Decision).where(Decision.key == "ana-00"))
        update_decision(decision, {"summary": "Nieuwe samenvatting"}, None)
        db.session.commit()
    changed = client.get("/api/v1/decisions/ana-00", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    assert changed.get_json()["summary"] == "Nieuwe samenvatting"


def test_every_answer_of_this_module_was_checked_against_the_document() -> None:
    from tests.opendata.conftest import VALIDATED

    paths = set(document()["paths"]) - {"/api/v1/openapi.json"}
    assert paths <= {path for path, _ in VALIDATED}
    assert {status for _, status in VALIDATED} >= {"200", "400", "404"}


def test_the_api_page_explains_with_examples(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/api").get_data(as_text=True)
    assert '<html lang="nl">' in page and "/api/v1/openapi.json" in page
    for path in document()["paths"]:
        assert path in page, path
    for word in ("If-None-Match", "/beslissingen.atom", "/beslissingen.csv", "tracker export"):
        assert word in page, word


def test_feeds_and_downloads_are_open_too_but_pages_and_static_files_are_not(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/beslissingen.atom", "/beslissingen.csv", "/statusgeschiedenis.json"):
        assert client.get(path).headers["Access-Control-Allow-Origin"] == "*", path
    for path in ("/beslissingen", "/static/style.css"):
        response = client.get(path)
        assert "Access-Control-Allow-Origin" not in response.headers, path
        response.close()


def test_lists_take_the_same_number_of_queries_for_few_and_many_records(app, client) -> None:  # type: ignore[no-untyped-def]
    """No query per record (selectinload everywhere): 25 more records cost at most a loader query or two
    (a relationship no record of the smaller page has is not queried there)."""
    from sqlalchemy import event

    from tracker.core.db import db

    def queries(path: str, **args: Any) -> int:
        count = 0

        def counting(*_: Any) -> None:
            nonlocal count
            count += 1

        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counting)
        try:
            assert client.get(path, query_string=args).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", counting)
        return count

    for path in ("/api/v1/commitments", "/api/v1/decisions", "/api/v1/projects", "/api/v1/budget-lines",
                 "/api/v1/stated-totals", "/api/v1/sources", "/api/v1/organisations"):
        few, many = queries(path, per_page=15), queries(path, per_page=40)
        assert many <= few + 2, (path, few, many)
    few = queries("/api/v1/commitments", per_page=15, op="2023-01-01")
    assert queries("/api/v1/commitments", per_page=40, op="2023-01-01") <= few + 2
