"""Making, editing and removing links in the browser, and finding what to link from a record's page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import abort, flash, render_template, request, url_for
from flask_login import current_user
from werkzeug.utils import redirect

from tracker.accounts.auth import requires
from tracker.accounts.models import Role
from tracker.commitments.editing import (
    detailed_changes,
    safe_next,
    seen_version,
    submit,
)
from tracker.commitments.forms import LinkForm, RemoveLinkForm
from tracker.commitments.models import Commitment, Link
from tracker.commitments.operations import (
    ENDS,
    LINK_LABELS,
    create_link,
    last_entry_id,
    remove_link,
    update_link,
)
from tracker.core.db import db
from tracker.decisions.models import Decision
from tracker.projects.models import Project

MODELS: dict[str, type] = {"commitment": Commitment, "decision": Decision, "project": Project}
# The query arguments of a link's ends on /koppelingen/nieuw, in Dutch.
END_ARGS = {"commitment": "engagement", "decision": "beslissing", "project": "project"}
# What a record's page can link to, searched in its link panel.
LINKABLE = {"commitment": ("decision", "project"), "decision": ("commitment", "project"),
            "project": ("commitment", "decision")}
PANEL_PER_PAGE = 10
# The link panel's query arguments. Only editors' pages read them (tests/test_hostile_input.py sweeps the
# public's routes; tests/test_links_history.py sends the panel hostile values).
PANEL_QUERY, PANEL_PAGE = "koppel-q", "koppel-pagina"


def _record(kind: str, raw: Any) -> Any:
    raw = str(raw or "").strip()
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit() and len(raw) < 10):
        abort(404)
    return db.get_or_404(MODELS[kind], int(raw))


def _record_url(obj: Any) -> str:
    kind = next(k for k, model in MODELS.items() if isinstance(obj, model))
    return url_for(f"{kind}s.display", **{f"{kind}_id": obj.id})


def _back(form: Any, link_or_ends: Any) -> Any:
    ends = [getattr(link_or_ends, name) for name in ENDS] if isinstance(link_or_ends, Link) else link_or_ends
    first = next(obj for obj in ends if obj is not None)
    return redirect(safe_next(form.volgende.data, _record_url(first)), code=303)


@requires(Role.EDITOR)
def link_new():  # type: ignore[no-untyped-def]
    """Link two of a commitment, a decision and a project (the panel's small forms post here)."""
    defaults = {name: request.args.get(arg, "") for name, arg in END_ARGS.items()}
    form = LinkForm(**defaults, volgende=request.args.get("volgende", ""))
    ends = {name: _record(name, getattr(form, name).data) for name in ENDS}
    if sum(obj is not None for obj in ends.values()) != 2:
        abort(404)

    def show(conflict=None):  # type: ignore[no-untyped-def]
        return render_template("commitments/link_form.html", form=form, link=None, ends=ends,
                               conflict=conflict)

    def done(link: Link):  # type: ignore[no-untyped-def]
        flash("De koppeling is opgeslagen.", "info")
        return _back(form, link)

    return submit(form, lambda: create_link({**ends, **form.values()}, current_user),  # type: ignore[arg-type]
                  show, done)


def _change_link(link: Link, form: Any, template: str, write: Any, message: str):  # type: ignore[no-untyped-def]
    """The edit and the remove page of one link: the form, its refusals, and back to where it came from."""
    ends = {name: getattr(link, name) for name in ENDS}

    def show(conflict=None):  # type: ignore[no-untyped-def]
        return render_template(template, form=form, link=link, ends=ends, conflict=conflict)

    def done(_):  # type: ignore[no-untyped-def]
        flash(message, "info")
        return _back(form, link)

    return submit(form, write, show, done, fresh_version=lambda: last_entry_id(link),
                  details=lambda seen: detailed_changes(link, seen, LINK_LABELS, by_entry=True))


@requires(Role.EDITOR)
def link_edit(link_id: int):  # type: ignore[no-untyped-def]
    """Change a link's relation kind, motivation and quote; its ends stay."""
    link = db.get_or_404(Link, link_id)
    form = LinkForm(relation=link.relation.value, rationale=link.rationale, quote=link.quote,
                    version=str(last_entry_id(link)), volgende=request.args.get("volgende", ""))
    return _change_link(link, form, "commitments/link_form.html",
                        lambda: update_link(link, form.values(), current_user,  # type: ignore[arg-type]
                                            seen_entry=seen_version(form)),
                        "De koppeling is bijgewerkt.")


@requires(Role.EDITOR)
def link_remove(link_id: int):  # type: ignore[no-untyped-def]
    """Remove a link with a reason; it stays in the commitment's history and in as-of views."""
    link = db.get_or_404(Link, link_id)
    form = RemoveLinkForm(version=str(last_entry_id(link)), volgende=request.args.get("volgende", ""))
    return _change_link(link, form, "commitments/link_remove.html",
                        lambda: remove_link(link, form.reason.data, current_user,  # type: ignore[arg-type]
                                            seen_entry=seen_version(form)),
                        "De koppeling is verwijderd; ze blijft zichtbaar in de geschiedenis van het engagement.")


# --------------------------------------------------------------------------- the link panel's search


@dataclass
class PanelSearch:
    """What the link panel found for ?koppel-q= (or why it found nothing)."""

    q: str
    hits: list[Any]
    total: int = 0
    page: int = 1
    pages: int = 1
    error: str = ""


def link_search(here: str) -> PanelSearch | None:
    """Search the index for records a page of kind ``here`` can link to (a Jinja global of the link panel).

    Reads ``koppel-q`` and ``koppel-pagina`` from the query string; None without a query.
    """
    from tracker.search.index import get_index
    from tracker.search.service import IndexDamaged, QueryError, SearchParams, search
    from tracker.search.views import DAMAGED, NO_INDEX

    q = request.args.get(PANEL_QUERY, "").strip()[:500]
    if not q:
        return None
    raw_page = request.args.get(PANEL_PAGE, "1")
    page = int(raw_page) if raw_page.isascii() and raw_page.isdigit() and 0 < len(raw_page) < 4 else 1
    params = SearchParams(q=q, filters={"type": list(LINKABLE[here])}, per_page=PANEL_PER_PAGE, page=max(page, 1))
    idx = get_index()
    if not idx.usable():
        return PanelSearch(q, [], error=NO_INDEX)
    try:
        result = search(idx, params)
    except QueryError as exc:
        return PanelSearch(q, [], error=str(exc))
    except IndexDamaged:
        return PanelSearch(q, [], error=DAMAGED)
    return PanelSearch(q, result.hits, result.total, result.page, result.pages)


def linked_keys(links: list[Link], here: str) -> set[tuple[str, int]]:
    """The (kind, id) of the other end of each link, to mark results that are linked already."""
    keys = set()
    for link in links:
        for name in ENDS:
            obj = getattr(link, name)
            if name != here and obj is not None:
                keys.add((name, obj.id))
    return keys
