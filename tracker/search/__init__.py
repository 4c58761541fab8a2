"""Full-text search (Whoosh): index, outbox, query API, views and CLI."""
from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Wire search into the app: blueprint, after-commit indexing, CLI commands."""
