"""Pulling decisions from the public decisions site, against a fake of its search API (no network here)."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from tests.intake.conftest import FIXTURES, FakeSite
from tests.test_import import imported, imported_app, imported_db, needs_real_data  # noqa: F401 (fixtures)
from tracker.core.db import db
from tracker.decisions.models import Decision, DecisionKind
from tracker.intake.plan import CREATE, REFUSED, UNCHANGED, UPDATE, make_plan
from tracker.intake.vr_api import Fetcher, VrApiError, brussels_date, html_to_text, read_items

PERIOD = ["import", "vr", "--van", "2024-01-01", "--tot", "2024-03-31"]


def _fetcher(site: FakeSite, sleeps: list[float] | None = None) -> Fetcher:
    return Fetcher("https://vr.example", site, page_size=2, sleep=(sleeps if sleeps is not None else []).append)


def _decisions(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Decision))


def test_pages_are_read_until_done_with_the_documented_query() -> None:
    site = FakeSite("page-1.json", "page-2.json")
    items = _fetcher(site).fetch(date(2024, 1, 1), date(2024, 3, 31))
    assert [where for where, _ in items] == ["pagina 1, item 1", "pagina 1, item 2", "pagina 2, item 1"]
    assert len(site.calls) == 2
    first = site.calls[0]
    assert first["page[size]"] == ["2"] and first["page[number]"] == ["1"]
    assert first["filter[:gte,lte:meetingDate]"] == ["2024-01-01,2024-03-31"] and first["sort[meetingDate]"] == ["asc"]
    assert site.calls[1]["page[number]"] == ["2"]


def test_paging_also_stops_on_an_empty_page_or_the_count() -> None:
    page = json.loads((FIXTURES / "vr" / "page-1.json").read_text())
    del page["links"], page["meta"]
    site = FakeSite(page, page)  # no links, no count: read until a page comes back empty
    assert len(_fetcher(site).fetch(date(2024, 1, 1), date(2024, 1, 31))) == 4 and len(site.calls) == 3
    last = FakeSite({**page, "links": {"next": None}}, page)  # no next link: the last page
    assert len(_fetcher(last).fetch(date(2024, 1, 1), date(2024, 1, 31))) == 2 and len(last.calls) == 1
    counted = FakeSite({**page, "meta": {"count": 2}}, page)
    assert len(_fetcher(counted).fetch(date(2024, 1, 1), date(2024, 1, 31))) == 2 and len(counted.calls) == 1


def test_a_5xx_is_retried_with_backoff() -> None:
    sleeps: list[float] = []
    site = FakeSite("page-1.json", "page-2.json", script=[503, 502])
    assert len(_fetcher(site, sleeps).fetch(date(2024, 1, 1), date(2024, 3, 31))) == 3
    assert sleeps == [1.0, 2.0] and len(site.calls) == 4


@pytest.mark.parametrize(("script", "expected"), [
    ([500, 500, 500], "antwoordde met HTTP-status 500 bij pagina 1 (na 3 pogingen)"),
    (["timeout"] * 3, "antwoordde niet binnen 30 seconden bij pagina 1 (na 3 pogingen)"),
    ([404], "antwoordde met HTTP-status 404 bij pagina 1 (na 1 poging)"),  # not retried
])
def test_a_site_that_keeps_failing_gives_a_dutch_error(script: list, expected: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(VrApiError) as caught:
        _fetcher(FakeSite("page-1.json", script=script)).fetch(date(2024, 1, 1), date(2024, 1, 31))
    assert expected in str(caught.value) and "Er is niets geïmporteerd" in str(caught.value)


def test_an_answer_that_is_no_json_api_is_refused() -> None:
    with pytest.raises(VrApiError, match='geen JSON:API-antwoord met een lijst "data"'):
        _fetcher(FakeSite({"items": []})).fetch(date(2024, 1, 1), date(2024, 1, 31))


def test_meeting_dates_are_taken_in_brussels_time() -> None:
    assert brussels_date("2024-01-11T23:00:00Z") == date(2024, 1, 12)  # midnight in Brussels (CET)
    assert brussels_date("2024-06-30T22:30:00Z") == date(2024, 7, 1)  # summer time (CEST)
    assert brussels_date("2024-06-30T21:30:00Z") == date(2024, 6, 30)


def test_html_becomes_safe_text_with_its_paragraphs() -> None:
    text = html_to_text('<p>Een <b>vette</b> &amp; <a href="x">link</a>.</p><script>alert("x")</script>'
                        "<ul><li>één</li><li>twee&nbsp;drie</li></ul><style>p{}</style>slot")
    assert text == "Een vette & link.\n\néén\n\ntwee drie\n\nslot"
    assert html_to_text("&lt;b&gt;") == "<b>"  # plain text: the templates escape it when shown


def test_items_become_rows_and_malformed_ones_are_refused_with_their_position(ctx) -> None:  # type: ignore[no-untyped-def]
    site = FakeSite("malformed.json")
    read = read_items(_fetcher(site).fetch(date(2024, 2, 1), date(2024, 2, 29)))
    plan = make_plan(ctx, read, "beslissingensite")
    assert [i.action for i in plan.items] == [CREATE, REFUSED, REFUSED]
    assert plan.items[1].where == "pagina 1, item 2" and 'meetingDate "volgende week"' in plan.items[1].reason
    assert plan.items[2].where == "pagina 1, item 3" and 'geen "id"' in plan.items[2].reason
    (row,) = read.rows
    assert (row.site_id, row.kind, row.text) == ("65A1B2C3D4E5F60718293A4E", DecisionKind.NOTA, "Tekst.")


def test_tracker_import_vr_previews_imports_and_recognises_on_a_second_pull(intake_app, site) -> None:  # type: ignore[no-untyped-def]
    runner = intake_app.test_cli_runner()
    before = _decisions(intake_app)
    dry = runner.invoke(args=[*PERIOD, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "3 rijen; 3 nieuw" in dry.output and _decisions(intake_app) == before
    done = runner.invoke(args=[*PERIOD, "--yes"])
    assert done.exit_code == 0 and "Geïmporteerd: 3 nieuw" in done.output
    with intake_app.app_context():
        first = db.session.scalar(select(Decision).where(Decision.site_id == "65A1B2C3D4E5F60718293A4B"))
        assert first.meeting_date == date(2024, 1, 12) and first.kind is DecisionKind.NOTA
        assert first.summary.startswith("Ontwerpbesluit over de digitale toegankelijkheid")
        assert "alert" not in first.text and "Raad van State wordt gevraagd & de SERV" in first.text
        assert [s.key for s in first.sources] == ["vr-beslissingen"]
        second = db.session.scalar(select(Decision).where(Decision.site_id == "65A1B2C3D4E5F60718293A4C"))
        assert [d.canonical for d in second.documents] == ["VR 2024 1201 DOC.0042/1"]  # found in the text
    again = runner.invoke(args=[*PERIOD, "--yes"])
    assert "0 nieuw, 0 bijgewerkt, 3 ongewijzigd" in again.output and _decisions(intake_app) == before + 3
    since = runner.invoke(args=["import", "vr", "--dry-run"])  # from the last pulled meeting (2 February 2024)
    assert "2024-02-02" in site.calls[-1]["filter[:gte,lte:meetingDate]"][0]
    assert since.exit_code == 0


def test_a_failing_site_writes_nothing(intake_app) -> None:  # type: ignore[no-untyped-def]
    failing = FakeSite("page-1.json", "page-2.json")
    calls = {"n": 0}

    def second_page_down(url: str, timeout: float):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        return (503, b"") if "page%5Bnumber%5D=2" in url else failing(url, timeout)

    intake_app.config["INTAKE_VR_OPENER"] = second_page_down
    before = _decisions(intake_app)
    result = intake_app.test_cli_runner().invoke(args=[*PERIOD, "--yes"])
    assert result.exit_code == 1 and "HTTP-status 503 bij pagina 2 (na 3 pogingen)" in result.output
    assert _decisions(intake_app) == before and calls["n"] == 4  # page 1 once, page 2 three times


def test_an_item_already_imported_from_a_file_is_updated_not_duplicated(intake_app, site) -> None:  # type: ignore[no-untyped-def]
    runner = intake_app.test_cli_runner()
    path = FIXTURES / "besluiten.csv"
    assert runner.invoke(args=["import", "besluiten", str(path), "--yes"]).exit_code == 0
    page = {"data": [{"id": "65F0A1B2C3D4E5F6A7B8C9D0", "attributes": {
        "title": "Voortgangsrapport Vlaanderen Radicaal Digitaal", "meetingDate": "2024-03-08T09:00:00Z",
        "agendaitemType": "Mededeling", "htmlContent": "<p>Nieuwe tekst.</p>"}}], "links": {}}
    with intake_app.app_context():
        read = read_items(Fetcher("https://vr.example", FakeSite(page)).fetch(date(2024, 3, 1), date(2024, 3, 31)))
        (item,) = make_plan(db.session, read, "beslissingensite").items
        assert item.action == UPDATE and item.decision.key == "vrb-65f0a1b2c3d4e5f6a7b8c9d0"
        assert item.changes == {"tekst": ("De Vlaamse Regering neemt akte van het voortgangsrapport.", "Nieuwe tekst.")}


@needs_real_data
def test_items_of_the_real_data_are_recognised_by_their_site_id(imported) -> None:  # type: ignore[no-untyped-def]
    known = imported.scalar(select(Decision).where(Decision.site_id == "5D9C56D56B1B8100080001EA"))
    page = {"data": [{"id": known.site_id, "attributes": {
        "title": known.title, "meetingDate": "2019-10-02T10:00:00Z", "agendaitemType": "Nota",
        "htmlContent": f"<p>{known.text}</p>"}}], "links": {}}
    read = read_items(Fetcher("https://vr.example", FakeSite(page)).fetch(date(2019, 10, 1), date(2019, 10, 3)))
    (item,) = make_plan(imported, read, "beslissingensite").items
    assert item.decision is known and item.action in (UNCHANGED, UPDATE)
