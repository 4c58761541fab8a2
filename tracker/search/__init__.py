"""Full-text search (Whoosh): index, outbox, query API, views and CLI."""
from __future__ import annotations

import logging
import time

from flask import Flask, current_app, has_request_context, request

logger = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Wire search into the app: blueprint, after-commit indexing, CLI commands."""
    from tracker.core.cli import init_hooks
    from tracker.core.web import after_commit_hooks
    from tracker.search.blueprint import bp
    from tracker.search.cli import build_on_init, index_group
    from tracker.search.index import SearchIndex
    from tracker.search.outbox import register_listener

    app.extensions["search_index"] = SearchIndex(app.config["INDEX_DIR"])
    app.register_blueprint(bp)
    app.before_request(_apply_queued_before_request)
    app.cli.add_command(index_group)
    register_listener()
    # The hook lists are shared by every app in the process; the hooks look up the app's index.
    if _apply_after_commit not in after_commit_hooks:
        after_commit_hooks.append(_apply_after_commit)
    if build_on_init not in init_hooks:
        init_hooks.append(build_on_init)


def _apply_after_commit(app: Flask) -> None:
    """After a commit that queued index updates, apply them (bounded wait; never an error)."""
    from tracker.core.db import db
    from tracker.search.outbox import QUEUED_FLAG, safe_apply
    from tracker.search.settings import setting

    queued = db.session().info.pop(QUEUED_FLAG, False)
    if not queued and has_request_context():
        return  # a request that changed nothing searchable: no lock, no query
    safe_apply(app, setting("SEARCH_LOCK_TIMEOUT", app))


def _apply_queued_before_request() -> None:
    """Every few seconds per process, apply updates that an earlier request or process left queued."""
    from tracker.core.db import db
    from tracker.search.index import get_index
    from tracker.search.outbox import has_pending, safe_apply
    from tracker.search.settings import setting

    if request.endpoint == "static":
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    idx = get_index(app)
    now = time.monotonic()
    if now - idx.last_sync_check < setting("SEARCH_SYNC_INTERVAL", app):
        return
    idx.last_sync_check = now
    try:
        if not idx.exists() or not has_pending(db.engine):  # type: ignore[arg-type]
            return
    except Exception:  # noqa: BLE001 - a failing check must not fail the page
        logger.exception("Checking the search index queue failed")
        return
    safe_apply(app, setting("SEARCH_REQUEST_LOCK_TIMEOUT", app))
