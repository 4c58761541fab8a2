"""Downloads of lists: CSV (UTF-8, header, RFC 4180, formulas made inert) and JSON, with the page's filters."""
from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from tracker.opendata.downloads import neutralise, to_csv


def rows(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    assert "\r\n" in text
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("value", ["=1+1", "+31", "-2", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_cells_that_would_run_as_formulas_are_neutralised(value: str) -> None:
    assert neutralise(value) == "'" + value
    assert to_csv([{"a": value}], ["a"]).splitlines()[1].lstrip('"').startswith("'")


def test_plain_cells_and_numbers_are_kept() -> None:
    assert neutralise("gewoon") == "gewoon" and neutralise(-5) == -5 and neutralise(None) == ""
    assert neutralise(["a", "=b"]) == "a; '=b"
    assert to_csv([{"a": 'met "aanhalingstekens", en komma', "b": "regel\nnieuw"}], ["a", "b"]) == \
        'a,b\r\n"met ""aanhalingstekens"", en komma","regel\nnieuw"\r\n'


def test_a_hostile_title_is_inert_in_the_download(app, client) -> None:  # type: ignore[no-untyped-def]
    from tracker.core.db import db
    from tracker.decisions.models import Decision
    from tracker.decisions.operations import update_decision

    with app.app_context():
        decision = db.session.scalar(select(Decision).where(Decision.key == "ana-00"))
        update_decision(decision, {"title": "=cmd|' /C calc'!A0"}, None)
        db.session.commit()
    found = {r["key"]: r for r in rows(client.get("/beslissingen.csv"))}
    assert found["ana-00"]["title"] == "'=cmd|' /C calc'!A0"
    assert client.get("/beslissingen.json").get_json()["items"][0]["title"]  # JSON keeps the text as it is


def test_downloads_are_attachments_with_filenames_that_name_the_filters(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/beslissingen.csv?jaar=2021&soort=nota")
    assert response.headers["Content-Disposition"] == "attachment; filename=beslissingen-2021-nota.csv"
    assert client.get("/beslissingen.json").headers["Content-Disposition"] == \
        "attachment; filename=beslissingen.json"
    assert client.get("/statusgeschiedenis.csv").headers["Content-Disposition"].startswith("attachment;")


def test_decisions_download_has_the_lists_filters(client) -> None:  # type: ignore[no-untyped-def]
    everything = rows(client.get("/beslissingen.csv"))
    of_2021 = rows(client.get("/beslissingen.csv?jaar=2021"))
    assert of_2021 and len(of_2021) < len(everything)
    assert all(r["meeting_date"].startswith("2021") for r in of_2021)
    assert list(everything[0])[:3] == ["key", "site_id", "meeting_date"]
    json_items = client.get("/beslissingen.json?jaar=2021").get_json()["items"]
    assert [d["key"] for d in json_items] == [r["key"] for r in of_2021]
    assert client.get("/beslissingen.csv?jaar=twintig").status_code == 400


def test_the_tree_of_a_source_as_of_a_date(app, client) -> None:  # type: ignore[no-untyped-def]
    from tracker.core.db import db
    from tracker.sources.models import Source

    with app.app_context():
        source_id = db.session.scalar(select(Source.id).where(Source.key == "ra-2019"))
    now = {r["key"]: r for r in rows(client.get(f"/bronnen/{source_id}/engagementen.csv"))}
    assert now["ra-2019/bestuurzaken/3.2.3"]["status"] == "gedeeltelijk"
    assert now["ra-2019/bestuurzaken"]["depth"] == "0" and now["ra-2019/bestuurzaken/3.2.3"]["depth"] == "2"
    then = {r["key"]: r for r in rows(client.get(f"/bronnen/{source_id}/engagementen.csv?op=2022-01-01"))}
    assert then["ra-2019/bestuurzaken/3.2.3"]["status"] == "niet_beoordeeld"


def test_programme_lists_changes_history_and_search(app, client) -> None:  # type: ignore[no-untyped-def]
    from tracker.core.db import db
    from tracker.projects.models import Programme

    with app.app_context():
        vrd2 = db.session.scalar(select(Programme.id).where(Programme.key == "vrd2"))
    projects = rows(client.get(f"/programmas/{vrd2}/projecten.csv"))
    assert projects and all(r["programme"] == "vrd2" for r in projects)
    lines = rows(client.get(f"/programmas/{vrd2}/bedragen.csv"))
    assert {r["project"] for r in lines if r["project"]} <= {p["key"] for p in projects}
    totals = rows(client.get(f"/programmas/{vrd2}/totalen.csv"))
    assert {"vrd2-2021-portfolio"} <= {r["key"] for r in totals}
    assert [r["to_status"] for r in rows(client.get("/statusgeschiedenis.csv"))] == ["gedeeltelijk"]
    changed = rows(client.get("/wijzigingen.csv?van=2022-01-01&tot=2022-12-31"))
    assert [(r["key"], r["old_status"], r["new_status"]) for r in changed] == [
        ("ra-2019/bestuurzaken/3.2.3", "niet_beoordeeld", "gedeeltelijk")]
    assert rows(client.get("/wijzigingen.csv")) == []  # like the page: nothing until a start date is given
    hits = rows(client.get("/zoeken.csv?q=digitaal&soort=beslissing"))
    assert hits and {r["type"] for r in hits} == {"decision"}
    assert client.get("/zoeken.json?q=digitaal").get_json()["items"]


def test_claims_in_the_api_and_as_a_download(client) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from tracker.core.db import db
    from tracker.sources.models import Source

    answer = client.get("/api/v1/stated-claims?source=vds").get_json()
    assert [(c["key"], c["claimed"], c["counted"], c["difference"]) for c in answer["items"]] == \
        [("003-36-actiepunten", 36, 45, 9)]
    with client.application.app_context():
        source_id = db.session.scalar(select(Source.id).where(Source.key == "nota-vrd3-2026"))
    response = client.get(f"/bronnen/{source_id}/beweringen.csv")
    assert response.headers["Content-Disposition"] == "attachment; filename=beweringen-nota-vrd3-2026.csv"
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0].startswith("key,source,quote") and len(lines) == 3  # header and the note's two claims
