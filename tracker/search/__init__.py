"""Full-text search (Whoosh): index, outbox, query API, views and CLI."""
from __future__ import annotations

import logging
import time

from flask import Flask, current_app, request

from tracker.core.signals import initial_data_loaded, transaction_committed

logger = logging.getLogger(__name__)


def init_app(app: Flask) -> None:
    """Wire search into the app: blueprint, CLI commands, the index of this app."""
    from tracker.search.blueprint import bp
    from tracker.search.cli import index_group
    from tracker.search.engine import fast_scoring_works
    from tracker.search.index import SearchIndex
    from tracker.search.outbox import register_listener
    from tracker.search.settings import setting

    app.extensions["search_index"] = SearchIndex(app.config["INDEX_DIR"])
    if setting("SEARCH_FAST_SCORING", app):
        fast_scoring_works()  # the self-test, once per process: logs a warning when it fails
    app.register_blueprint(bp)
    app.before_request(_apply_queued_before_request)
    app.cli.add_command(index_group)
    register_listener()


@transaction_committed.connect
def _apply_after_commit(app: Flask, in_request: bool) -> None:
    """After a commit that queued index updates, apply them (bounded wait; never an error).

    A request applies one batch and leaves the rest to the next request; a CLI command applies the
    whole queue before it exits, so `tracker index verify` is clean right after it.
    """
    from tracker.core.db import db
    from tracker.search.outbox import QUEUED_FLAG, safe_apply
    from tracker.search.settings import setting

    if "search_index" not in app.extensions:
        return
    queued = db.session().info.pop(QUEUED_FLAG, False)
    if not queued and in_request:
        return  # a request that changed nothing searchable: no lock, no query
    timeout = setting("SEARCH_LOCK_TIMEOUT" if in_request else "SEARCH_CLI_LOCK_TIMEOUT", app)
    safe_apply(app, timeout, batches=1 if in_request else None)


@initial_data_loaded.connect
def _build_on_init(app: Flask) -> None:
    from tracker.search.cli import build_on_init

    build_on_init()


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
