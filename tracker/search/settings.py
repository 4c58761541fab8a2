"""Search settings, read from the app config with defaults (override them in the config)."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask, current_app

DEFAULTS: dict[str, Any] = {
    # Seconds a request waits for another process's index lock after its commit, before leaving
    # the update queued for later.
    "SEARCH_LOCK_TIMEOUT": 2.0,
    # The same at the start of a request that finds queued updates (kept short: the user waits).
    "SEARCH_REQUEST_LOCK_TIMEOUT": 0.1,
    # Seconds between two checks for queued updates at the start of a request, per process.
    "SEARCH_SYNC_INTERVAL": 5.0,
    # Seconds `tracker index rebuild` and `sync` wait for the lock.
    "SEARCH_CLI_LOCK_TIMEOUT": 60.0,
    "SEARCH_PER_PAGE": 20,
    # Worker processes for a full rebuild (Whoosh's multiprocessing writer when above 1): about
    # twice the documents per second on two cores.
    "SEARCH_REBUILD_PROCS": max(1, min(4, os.cpu_count() or 1)),
}


def setting(name: str, app: Flask | None = None) -> Any:
    config = (app or current_app).config
    return config.get(name, DEFAULTS[name])
