"""Pulling decisions from the public decisions site's JSON search API (docs/import-besluiten.md, "Ophalen").

``GET {base}/news-items/search?page[size]=N&page[number]=P&filter[:gte,lte:meetingDate]=FROM,TO
&sort[meetingDate]=asc`` answers in JSON:API style::

    {"data": [{"id": "...", "type": "news-items", "attributes": {"title": ..., "alternativeTitle": ...,
      "htmlContent": ..., "meetingDate": "2024-01-11T23:00:00Z", "agendaitemType": "Nota",
      "mandateeNames": [...], "themeId": ...}}],
     "links": {"next": "..."}, "meta": {"count": 123}}

Pages are read until a page is empty, the ``links`` have no ``next``, or ``meta.count`` items are in.
Everything is fetched before anything is planned, so a failing site leaves nothing half imported.
The transport is plain urllib (no new dependency); tests inject an opener instead.
"""
from __future__ import annotations

import json
import re
import socket
import time
import urllib.error
import urllib.request
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from typing import Any, Callable
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from tracker.intake.formats import ReadResult, Refusal, validate

DEFAULT_BASE = "https://beslissingenvlaamseregering.vlaanderen.be"
BRUSSELS = "Europe/Brussels"
PAGE_SIZE = 100
MAX_PAGES = 1000
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 30.0
RETRIES = 3
BACKOFF_SECONDS = 1.0
KINDS = {"nota": "nota", "mededeling": "mededeling"}

Opener = Callable[[str, float], tuple[int, bytes]]
"""Fetch a URL with a timeout: (HTTP status, body). Raises TimeoutError or OSError when there is no answer."""


class VrApiError(RuntimeError):
    """The site could not be read; the message is Dutch and says that nothing was imported."""


def urllib_opener(url: str, timeout: float) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Accept": "application/vnd.api+json, application/json",
                                                   "User-Agent": "Regeerakkoord-tracker"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (https address)
            return response.status, response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(MAX_RESPONSE_BYTES + 1)


def search_url(base: str, start: date, end: date, page: int, size: int = PAGE_SIZE) -> str:
    query = urlencode({"page[size]": size, "page[number]": page,
                       "filter[:gte,lte:meetingDate]": f"{start.isoformat()},{end.isoformat()}",
                       "sort[meetingDate]": "asc"})
    return f"{base.rstrip('/')}/news-items/search?{query}"


class Fetcher:
    def __init__(self, base: str = DEFAULT_BASE, opener: Opener | None = None, *, page_size: int = PAGE_SIZE,
                 retries: int = RETRIES, backoff: float = BACKOFF_SECONDS, timeout: float = TIMEOUT_SECONDS,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.base, self.opener = base, opener or urllib_opener
        self.page_size, self.retries, self.backoff, self.timeout, self.sleep = page_size, retries, backoff, timeout, sleep

    def _get(self, url: str, page: int) -> Any:
        problem = ""
        for attempt in range(1, self.retries + 1):
            try:
                status, body = self.opener(url, self.timeout)
            except (TimeoutError, socket.timeout):
                problem = f"antwoordde niet binnen {self.timeout:g} seconden"
            except OSError as exc:
                problem = f"is niet bereikbaar ({getattr(exc, 'reason', exc)})"
            else:
                if 200 <= status < 300:
                    return self._parse(body, page)
                problem = f"antwoordde met HTTP-status {status}"
                if 400 <= status < 500 and status != 429:
                    break  # our request is wrong: asking again does not help
            if attempt < self.retries:
                self.sleep(self.backoff * 2 ** (attempt - 1))
        raise VrApiError(f"De beslissingensite ({self.base}) {problem} bij pagina {page} "
                         f"(na {attempt} {'poging' if attempt == 1 else 'pogingen'}). Er is niets geïmporteerd; "
                         "probeer later opnieuw of controleer TRACKER_VR_API_BASE.")

    def _parse(self, body: bytes, page: int) -> dict[str, Any]:
        if len(body) > MAX_RESPONSE_BYTES:
            raise VrApiError(f"Pagina {page} van de beslissingensite is groter dan {MAX_RESPONSE_BYTES} bytes; "
                             "er is niets geïmporteerd.")
        try:
            answer = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            answer = None
        if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
            raise VrApiError(f"Pagina {page} van de beslissingensite is geen JSON:API-antwoord met een lijst "
                             '"data"; er is niets geïmporteerd. Controleer TRACKER_VR_API_BASE.')
        return answer

    def fetch(self, start: date, end: date) -> list[tuple[str, Any]]:
        """Every item between the two meeting dates (inclusive), each with its position, in order."""
        items: list[tuple[str, Any]] = []
        for page in range(1, MAX_PAGES + 1):
            answer = self._get(search_url(self.base, start, end, page, self.page_size), page)
            data = answer["data"]
            items += [(f"pagina {page}, item {i}", item) for i, item in enumerate(data, start=1)]
            links, meta = answer.get("links"), answer.get("meta")
            count = meta.get("count") if isinstance(meta, dict) else None
            if not data or (isinstance(links, dict) and not links.get("next")) \
                    or (isinstance(count, int) and len(items) >= count):
                return items
        raise VrApiError(f"De beslissingensite gaf meer dan {MAX_PAGES} pagina's; kies een kortere periode. "
                         "Er is niets geïmporteerd.")


# --------------------------------------------------------------------------- items to rows

class _TextParser(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
              "blockquote", "section", "article"}
    SKIP = {"script", "style", "head", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Safe plain text: no tags, entities decoded, one blank line between paragraphs."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    paragraphs = re.split(r"\n\s*\n", "".join(parser.parts))
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def brussels_date(value: str) -> date:
    """The meeting's date in Brussels of a UTC timestamp ('2024-01-11T23:00:00Z' is 12 January)."""
    moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZoneInfo(BRUSSELS)).date()  # looked up here: the app starts without tz data


def item_cells(item: Any) -> dict[str, str] | str:
    """The row of one news item, or the Dutch reason it cannot be read."""
    if not isinstance(item, dict):
        return "het item is geen JSON-object."
    site_id, attributes = item.get("id"), item.get("attributes")
    if not isinstance(site_id, str) or not site_id.strip():
        return 'het item heeft geen "id" (tekst).'
    if not isinstance(attributes, dict):
        return f'item {site_id[:64]} heeft geen "attributes"-object.'
    for name in ("title", "alternativeTitle", "htmlContent", "meetingDate", "agendaitemType"):
        if attributes.get(name) is not None and not isinstance(attributes[name], str):
            return f'item {site_id[:64]}: "{name}" moet tekst zijn.'
    when = attributes.get("meetingDate") or ""
    try:
        meeting = brussels_date(when).isoformat()
    except ValueError:
        return f'item {site_id[:64]}: meetingDate "{when[:40]}" is geen tijdstip (bv. 2024-01-11T23:00:00Z).'
    kind_value = (attributes.get("agendaitemType") or "").strip()
    kind = KINDS.get(kind_value.lower())
    if kind is None:
        return f'item {site_id[:64]}: agendaitemType "{kind_value[:40]}" is onbekend (verwacht Nota of Mededeling).'
    title = (attributes.get("title") or "").strip()
    alternative = (attributes.get("alternativeTitle") or "").strip()
    return {"site_id": site_id.strip(), "meeting_date": meeting, "kind": kind, "title": title or alternative,
            "summary": alternative if title and alternative != title else "",
            "text": html_to_text(attributes.get("htmlContent") or "")}


def read_items(items: list[tuple[str, Any]]) -> ReadResult:
    """The fetched items as rows for the preview; an unreadable item is refused with its position."""
    result = ReadResult("beslissingensite")
    for line, (where, item) in enumerate(items, start=1):
        cells = item_cells(item)
        checked = Refusal(line, where, cells) if isinstance(cells, str) else validate(cells, line, where)
        (result.refused if isinstance(checked, Refusal) else result.rows).append(checked)  # type: ignore[arg-type]
    return result


def last_pulled(session: Any) -> date | None:
    """The newest meeting date of a decision that came from the site: where "since the last pull" starts."""
    from sqlalchemy import func, select

    from tracker.decisions.models import Decision

    return session.scalar(select(func.max(Decision.meeting_date)).where(Decision.site_id.is_not(None)))
