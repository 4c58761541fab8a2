"""Atom feeds: valid Atom 1.0 (the required elements, one namespace, unique ids), newest first, right entries."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

import pytest

NS = {"a": "http://www.w3.org/2005/Atom"}


def parse_atom(response) -> ET.Element:  # type: ignore[no-untyped-def]
    """The feed's root, after checking what RFC 4287 requires of a feed and of each entry."""
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.get_data())
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"a:{name}", NS)) == 1, name
    datetime.fromisoformat(root.findtext("a:updated", namespaces=NS))  # type: ignore[arg-type]
    assert root.find("a:author/a:name", NS) is not None  # so entries need none of their own
    rels = {link.get("rel"): link.get("href") for link in root.findall("a:link", NS)}
    assert rels.get("self", "").endswith(response.request.path + (
        "?" + response.request.query_string.decode() if response.request.query_string else ""))
    assert rels.get("alternate", "").startswith("http")
    ids = []
    for entry in root.findall("a:entry", NS):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"a:{name}", NS)) == 1, name
        datetime.fromisoformat(entry.findtext("a:updated", namespaces=NS))  # type: ignore[arg-type]
        assert [link for link in entry.findall("a:link", NS) if link.get("rel", "alternate") == "alternate"]
        ids.append(entry.findtext("a:id", namespaces=NS))
    assert len(ids) == len(set(ids)), "entry ids must be unique"
    return root


def entries(root: ET.Element) -> list[tuple[str, str]]:
    return [(e.findtext("a:title", namespaces=NS) or "", e.findtext("a:updated", namespaces=NS) or "")
            for e in root.findall("a:entry", NS)]


def test_the_decisions_feed_lists_the_newest_decisions_first(client) -> None:  # type: ignore[no-untyped-def]
    root = parse_atom(client.get("/beslissingen.atom"))
    found = entries(root)
    assert 10 <= len(found) <= 50
    dates = [updated for _, updated in found]
    assert dates == sorted(dates, reverse=True)
    assert root.findtext("a:updated", namespaces=NS) == dates[0]


def test_status_change_feeds_all_per_source_per_commitment(app, client) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from tracker.commitments.models import Commitment
    from tracker.core.db import db
    from tracker.sources.models import Source

    with app.app_context():
        commitment = db.session.scalar(select(Commitment).where(Commitment.key == "ra-2019/bestuurzaken/3.2.3"))
        other = db.session.scalar(select(Commitment).where(Commitment.key == "vds/as-1"))
        ids = {"ra": db.session.scalar(select(Source.id).where(Source.key == "ra-2019")),
               "vds": db.session.scalar(select(Source.id).where(Source.key == "vds"))}
        commitment_id, other_id = commitment.id, other.id
    everything = entries(parse_atom(client.get("/wijzigingen.atom")))
    assert len(everything) == 1 and "Gedeeltelijk gerealiseerd" in everything[0][0]
    assert entries(parse_atom(client.get(f"/bronnen/{ids['ra']}/wijzigingen.atom"))) == everything
    assert entries(parse_atom(client.get(f"/bronnen/{ids['vds']}/wijzigingen.atom"))) == []
    assert entries(parse_atom(client.get(f"/engagementen/{commitment_id}/wijzigingen.atom"))) == everything
    assert entries(parse_atom(client.get(f"/engagementen/{other_id}/wijzigingen.atom"))) == []
    assert client.get("/engagementen/999999/wijzigingen.atom").status_code == 404


def test_a_saved_search_as_a_feed(client) -> None:  # type: ignore[no-untyped-def]
    root = parse_atom(client.get("/zoeken.atom?q=digitaal"))
    found = entries(root)
    assert found and root.findtext("a:title", namespaces=NS) == "Zoeken: digitaal"
    narrowed = entries(parse_atom(client.get("/zoeken.atom?q=digitaal&soort=beslissing")))
    assert narrowed and len(narrowed) <= len(found)
    assert "/zoeken?q=digitaal" in root.find("a:link[@rel='alternate']", NS).get("href")  # type: ignore[union-attr]
    assert "python-feedgen" not in ET.tostring(root, encoding="unicode")  # no software versions
    assert client.get("/zoeken.atom?van=gisteren").status_code == 400


@pytest.mark.parametrize("path", ["/beslissingen.atom", "/wijzigingen.atom", "/zoeken.atom?q=x"])
def test_feeds_carry_an_etag_and_answer_304(client, path: str) -> None:  # type: ignore[no-untyped-def]
    first = client.get(path)
    assert first.headers["ETag"]
    assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


def test_text_that_xml_cannot_hold_is_dropped(app, client) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from tracker.core.db import db
    from tracker.decisions.models import Decision
    from tracker.decisions.operations import update_decision

    with app.app_context():
        newest = db.session.scalar(select(Decision).order_by(Decision.meeting_date.desc().nulls_last()))
        update_decision(newest, {"title": "Titel met\x0b verticale tab"}, None)
        db.session.commit()
    assert ("Titel met verticale tab" in [t for t, _ in entries(parse_atom(client.get("/beslissingen.atom")))])


def test_pages_link_their_feeds_and_downloads(client) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from tracker.commitments.models import Commitment
    from tracker.core.db import db
    from tracker.sources.models import Source

    with client.application.app_context():
        source_id = db.session.scalar(select(Source.id).where(Source.key == "vds"))
        commitment_id = db.session.scalar(select(Commitment.id).where(Commitment.key == "vds/2.3"))
    pages = {"/beslissingen": "/beslissingen.atom", "/wijzigingen?van=2022-01-01": "/wijzigingen.atom",
             f"/bronnen/{source_id}": f"/bronnen/{source_id}/wijzigingen.atom",
             f"/engagementen/{commitment_id}": f"/engagementen/{commitment_id}/wijzigingen.atom"}
    for page, feed in pages.items():
        html = client.get(page).get_data(as_text=True)
        head = html.split("</head>")[0]
        assert f'<link rel="alternate" type="application/atom+xml"' in head and f'href="{feed}"' in head, page
        assert html.count(f'href="{feed}"') >= 2, page  # and a visible link in the page
    assert "/beslissingen.csv" in client.get("/beslissingen").get_data(as_text=True)
