"""HTTP behaviour of every answer under /api/: open CORS for reading, ETag and 304 for cheap polling."""
from __future__ import annotations

from flask import Flask, Response, request

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Expose-Headers": "ETag, Link, Content-Disposition",
}
READS = ("GET", "HEAD", "OPTIONS")


def is_open_data() -> bool:
    """The API (with the search API of tracker/search), and this package's feeds and downloads."""
    return request.path.startswith("/api/") or request.blueprint == "opendata"


def finish(response: Response) -> Response:
    """CORS for reads of the API, feeds and downloads; an ETag on each successful read (304 when unchanged).

    The ETag is a hash of the body, so it changes exactly when the answer does, whatever changed
    the data; the client's ``If-None-Match`` then gets an empty 304.
    """
    if not is_open_data() or request.method not in READS:
        return response
    response.headers.update(CORS_HEADERS)
    if request.method != "OPTIONS" and response.status_code == 200 and not response.is_streamed:
        response.add_etag()
        response.headers.setdefault("Cache-Control", "public, max-age=60")
        response.make_conditional(request)
    return response


def register(app: Flask) -> None:
    app.after_request(finish)
