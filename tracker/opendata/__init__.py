"""Open data: the read-only JSON API with its OpenAPI document, Atom feeds, downloads and the full dump."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the open-data routes, the CORS and ETag handling of their answers, and the CLI commands."""
    from tracker.opendata import http
    from tracker.opendata.blueprint import bp
    from tracker.opendata.cli import register as register_cli

    app.register_blueprint(bp)
    http.register(app)
    register_cli(app)
