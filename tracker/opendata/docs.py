"""The OpenAPI document and the human-readable page that explains the API."""
from __future__ import annotations

from flask import jsonify, render_template

from tracker.accounts.auth import public
from tracker.opendata.openapi import document


@public
def openapi_json():  # type: ignore[no-untyped-def]
    """GET /api/v1/openapi.json: the OpenAPI 3.1 document of the API."""
    return jsonify(document())


@public
def api_page():  # type: ignore[no-untyped-def]
    """GET /api: what the API, the feeds, the downloads and the dump offer, with examples."""
    doc = document()
    operations = [(path, spec["get"]) for path, spec in doc["paths"].items()]
    return render_template("opendata/api.html", operations=operations)
