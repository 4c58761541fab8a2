"""Atom 1.0 feeds (feedgen): new decisions, status changes (all, per source, per commitment), a saved search.

Each feed holds the newest FEED_SIZE entries; an entry's id is its record's page, so a reader sees a
record once even when it moves between feeds. Answers carry an ETag (tracker.opendata.http).
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timezone
from typing import Any, Iterable

from feedgen.feed import FeedGenerator
from flask import Response, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import BadRequest, ServiceUnavailable

from tracker.accounts.auth import public
from tracker.commitments.models import Commitment
from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.opendata.api import history_query
from tracker.sources.models import Source
from tracker.workflow.models import StatusChange

FEED_SIZE = 50
ATOM = "application/atom+xml; charset=utf-8"
AUTHOR = {"name": "Regeerakkoord-tracker"}
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# Characters XML 1.0 cannot hold (lxml refuses them): dropped from every text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str | None, limit: int = 2000) -> str:
    text = _NOT_XML.sub("", text or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def moment(value: date | datetime | None) -> datetime | None:
    """A date or a naive UTC datetime as an aware datetime (Atom's updated)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=timezone.utc)
    return datetime.combine(value, time(), tzinfo=timezone.utc)


class Entry:
    def __init__(self, ident: str, title: str, updated: datetime | None, summary: str, link: str) -> None:
        self.ident, self.title, self.updated, self.summary, self.link = ident, title, updated, summary, link


def atom(title: str, page: str, entries: Iterable[Entry], subtitle: str = "") -> Response:
    """The feed as Atom 1.0 XML: feed id and alternate link are the page it follows, self is this URL."""
    entries = list(entries)
    feed = FeedGenerator()
    feed.id(page)
    feed.title(clean(title, 300))
    feed.subtitle(clean(subtitle or title, 500))
    feed.author(AUTHOR)
    feed.link(href=page, rel="alternate", type="text/html")
    feed.link(href=request.url, rel="self", type="application/atom+xml")
    feed.language("nl")
    feed.generator("Regeerakkoord-tracker")  # not feedgen's name and version
    dated = [e.updated for e in entries if e.updated is not None]
    newest = max(dated, default=EPOCH)
    feed.updated(newest)
    # feedgen prepends each entry; add them oldest last so the newest is first in the document.
    for item in reversed(entries):
        entry = feed.add_entry()
        entry.id(item.ident)
        entry.title(clean(item.title, 300) or "(zonder titel)")
        entry.updated(item.updated or newest)
        entry.link(href=item.link, rel="alternate", type="text/html")
        if item.summary:
            entry.summary(clean(item.summary))
    return Response(feed.atom_str(pretty=True), mimetype="application/atom+xml",
                    content_type=ATOM)


# --------------------------------------------------------------------------- decisions


@public
def decisions_feed():  # type: ignore[no-untyped-def]
    """GET /beslissingen.atom: the newest decisions by meeting date."""
    rows = db.session.scalars(
        select(Decision).where(Decision.meeting_date.is_not(None)).options(selectinload(Decision.documents))
        .order_by(Decision.meeting_date.desc(), Decision.id.desc()).limit(FEED_SIZE))
    entries = []
    for d in rows:
        page = url_for("decisions.display", decision_id=d.id, _external=True)
        numbers = ", ".join(n.printed or n.canonical for n in d.documents)
        summary = " · ".join(filter(None, [numbers, d.policy_domain, d.summary]))
        entries.append(Entry(page, d.title, moment(d.meeting_date), summary, page))
    return atom("Nieuwe beslissingen van de Vlaamse Regering", url_for("decisions.list", _external=True),
                entries)


# --------------------------------------------------------------------------- status changes


def change_entries(*conditions: Any) -> list[Entry]:
    rows = db.session.scalars(history_query().where(*conditions)
                              .order_by(StatusChange.recorded_dt.desc(), StatusChange.id.desc()).limit(FEED_SIZE))
    entries = []
    for c in rows:
        page = url_for("commitments.display", commitment_id=c.commitment_id, _external=True)
        title = f"{c.commitment.label}: {c.from_status.label} → {c.to_status.label}"
        summary = f"Vanaf {c.effective_date.isoformat()}. {c.motivation}"
        entries.append(Entry(f"{page}#statuswijziging-{c.id}", title, moment(c.recorded_dt), summary, page))
    return entries


@public
def changes_feed():  # type: ignore[no-untyped-def]
    """GET /wijzigingen.atom: every approved status change, newest first."""
    return atom("Statuswijzigingen", url_for("workflow.changes", _external=True), change_entries())


@public
def source_changes_feed(source_id: int):  # type: ignore[no-untyped-def]
    """GET /bronnen/<id>/wijzigingen.atom: the status changes of one source's commitments."""
    source = db.get_or_404(Source, source_id)
    entries = change_entries(StatusChange.commitment_id.in_(
        select(Commitment.id).where(Commitment.source_id == source.id)))
    return atom(f"Statuswijzigingen: {source.title}",
                url_for("sources.display", source_id=source.id, _external=True), entries)


@public
def commitment_changes_feed(commitment_id: int):  # type: ignore[no-untyped-def]
    """GET /engagementen/<id>/wijzigingen.atom: the status changes of one commitment."""
    commitment = db.get_or_404(Commitment, commitment_id)
    return atom(f"Statuswijzigingen: {commitment.label}",
                url_for("commitments.display", commitment_id=commitment.id, _external=True),
                change_entries(StatusChange.commitment_id == commitment.id))


# --------------------------------------------------------------------------- a saved search


@public
def search_feed():  # type: ignore[no-untyped-def]
    """GET /zoeken.atom?q=...: the search page's search, with its filters, newest first unless sorted."""
    from tracker.search.index import get_index
    from tracker.search.service import (
        PAGE_ARGS,
        IndexDamaged,
        QueryError,
        params_from_args,
        search,
    )

    try:
        params = params_from_args(request.args, PAGE_ARGS, FEED_SIZE)
        if not request.args.get("sorteer", "").strip():
            params.sort = "date"
        if not get_index().usable():
            raise ServiceUnavailable("De zoekindex is nog niet gebouwd; probeer het later opnieuw.")
        result = search(get_index(), params)
    except QueryError as exc:
        raise BadRequest(str(exc)) from exc
    except IndexDamaged as exc:
        raise ServiceUnavailable("De zoekindex is beschadigd; probeer het later opnieuw.") from exc
    page = url_for("search.search", _external=True, **request.args.to_dict(flat=True))
    entries = []
    for hit in result.hits:
        link = hit.url if hit.url.startswith("http") else request.host_url.rstrip("/") + hit.url
        entries.append(Entry(link, hit.title, moment(hit.date), " · ".join(filter(None, [hit.detail])), link))
    title = f"Zoeken: {params.q}" if params.q.strip() else "Zoeken"
    return atom(title, page, entries)
