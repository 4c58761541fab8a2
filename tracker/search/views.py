"""The search page and the search API."""
from __future__ import annotations

from flask import jsonify, render_template, request

from tracker.accounts.auth import public
from tracker.search import logger
from tracker.search.index import get_index
from tracker.search.service import (
    API_ARGS,
    FACET_TITLES,
    MAX_PER_PAGE,
    PAGE_ARGS,
    IndexDamaged,
    QueryError,
    params_from_args,
    search,
    whole_number,
)
from tracker.search.settings import setting

NO_INDEX = ("De zoekindex is nog niet gebouwd of hoort bij een oudere versie van de tracker. Een beheerder "
            "bouwt hem met `tracker index rebuild`; probeer het daarna opnieuw.")
DAMAGED = ("De zoekindex is beschadigd, dus zoeken lukt nu niet; de rest van de site werkt gewoon. Een "
           "beheerder herstelt de index met `tracker index rebuild`; probeer het daarna opnieuw.")


@public
def search_page():  # type: ignore[no-untyped-def]
    """Search everything: hits with snippets, facets to narrow down, "Bedoelde u ...?"."""
    q = request.args.get("q", "")
    try:
        params = params_from_args(request.args, PAGE_ARGS, setting("SEARCH_PER_PAGE"))
        if not get_index().usable():
            return _page(q, error=NO_INDEX), 503
        result = search(get_index(), params)
    except QueryError as exc:
        return _page(q, error=str(exc)), 400
    except IndexDamaged as exc:
        _log_damage(exc)
        return _page(q, error=DAMAGED), 503
    return _page(q, result=result)


def _page(q: str, result=None, error: str = ""):  # type: ignore[no-untyped-def]
    return render_template("search/results.html", q=q[:500], result=result, error=error,
                           facet_titles=FACET_TITLES, names=PAGE_ARGS)


@public
def search_api():  # type: ignore[no-untyped-def]
    """GET /api/v1/search: the same search as JSON (total, results, facets)."""
    try:
        per_page = _per_page(request.args.get("per_page", ""))
        params = params_from_args(request.args, API_ARGS, per_page)
        if not get_index().usable():
            return jsonify(error=NO_INDEX, status=503), 503
        result = search(get_index(), params)
    except QueryError as exc:
        return jsonify(error=str(exc), status=400), 400
    except IndexDamaged as exc:
        _log_damage(exc)
        return jsonify(error=DAMAGED, status=503), 503
    return jsonify(result.as_json())


def _per_page(raw: str) -> int:
    if not raw.strip():
        return int(setting("SEARCH_PER_PAGE"))
    return whole_number(raw, 1, MAX_PER_PAGE,
                        f"per_page moet een geheel getal van 1 tot {MAX_PER_PAGE} zijn.")


def _log_damage(exc: IndexDamaged) -> None:
    logger.error("The search index is damaged; run `tracker index rebuild`: %s", "; ".join(exc.problems))
