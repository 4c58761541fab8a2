"""Search settings, read from the app config with defaults (override them in the config).

A setting set in the app config wins; else an environment variable, for the few that have one
(``ENVIRONMENT``); else the default.
"""
from __future__ import annotations

import os
from typing import Any, Callable

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
    # Queue rows applied per index commit; a request applies one batch, a CLI command all of them.
    "SEARCH_BATCH_SIZE": 1000,
    # Score queries with tracker.search.engine's one-pass scorer, which reads Whoosh's private
    # codec internals (checked by a self-test once per process; Whoosh's own scoring is used when
    # they fail it). False: always Whoosh's own scoring (slower on large indexes, same results).
    "SEARCH_FAST_SCORING": True,
}


def _flag(raw: str) -> bool:
    return raw.strip().lower() not in ("0", "false", "no", "off", "nee", "uit")


# Settings that an environment variable may set when the app config does not.
ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "SEARCH_FAST_SCORING": ("TRACKER_SEARCH_FAST_SCORING", _flag),
}


def setting(name: str, app: Flask | None = None) -> Any:
    config = (app or current_app).config
    if name in config:
        return config[name]
    if name in ENVIRONMENT:
        variable, parse = ENVIRONMENT[name]
        raw = os.environ.get(variable)
        if raw is not None and raw.strip():
            return parse(raw)
    return DEFAULTS[name]
