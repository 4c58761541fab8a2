"""The audit trail for admins: every change, filterable by record, person, kind of change and date range."""
from __future__ import annotations

import json
from typing import Any

from flask import current_app, render_template, request
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload
from werkzeug.exceptions import BadRequest

from tracker.accounts.auth import requires
from tracker.accounts.models import Role, User
from tracker.audit.models import LogEntry
from tracker.core.clock import end_of_day_utc, start_of_day_utc
from tracker.core.dates import date_arg
from tracker.core.db import db
from tracker.core.pagination import page_arg, paginate

KINDS = {
    "created": "aangemaakt", "updated": "bijgewerkt", "deleted": "verwijderd",
    "proposed": "status voorgesteld", "approved": "voorstel goedgekeurd", "rejected": "voorstel afgewezen",
    "logged_in": "aangemeld", "logged_out": "afgemeld", "login_failed": "mislukte aanmelding",
    "password_set": "wachtwoord ingesteld", "disabled": "account uitgeschakeld", "enabled": "account ingeschakeld",
}
RECORDS = {
    "commitments": "engagement", "decisions": "beslissing", "projects": "project", "programmes": "programma",
    "organisations": "entiteit", "budget_lines": "bedrag", "sources": "bron", "links": "koppeling",
    "users": "gebruiker", "status_proposals": "statusvoorstel", "status_changes": "statuswijziging",
    "decision_documents": "documentnummer", "stated_totals": "vermeld totaal",
}
# A record's own page: (endpoint, argument name).
RECORD_PAGES = {
    "commitments": ("commitments.display", "commitment_id"), "decisions": ("decisions.display", "decision_id"),
    "projects": ("projects.display", "project_id"), "programmes": ("projects.programme", "programme_id"),
    "organisations": ("projects.organisation", "organisation_id"), "sources": ("sources.display", "source_id"),
    "users": ("accounts.user", "user_id"),
}
_FILTER_MAX = 80


def _text_arg(name: str) -> str:
    value = request.args.get(name, "").strip()
    if len(value) > _FILTER_MAX or any(ord(c) < 32 for c in value):
        raise BadRequest(f"De filter {name} is ongeldig: hoogstens {_FILTER_MAX} gewone tekens.")
    return value


def _id_arg(name: str) -> int | None:
    raw = _text_arg(name)
    if not raw:
        return None
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 12:
        raise BadRequest(f'"{raw[:20]}" is geen geldig recordnummer; gebruik een geheel getal, bijvoorbeeld 12.')
    return int(raw)


def shown(value: Any) -> str:
    """A stored value as an admin reads it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def entry_rows(entry: LogEntry) -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """``(field, before, after)`` for each field an entry records, and its other details."""
    data = entry.data or {}
    before = data.get("before") or {}
    after = data.get("after") or {}
    names = list(dict.fromkeys([*before, *after]))
    fields = [(name, shown(before.get(name)) if name in before else "—",
               shown(after.get(name)) if name in after else "—") for name in names]
    details = [(key, shown(value)) for key, value in data.items() if key not in ("before", "after")]
    return fields, details


@requires(Role.ADMIN)
def entries():  # type: ignore[no-untyped-def]
    """/beheer/audit?type=&id=&user=&kind=&van=&tot=: the entries, newest first, paginated."""
    target_type, target_id = _text_arg("type"), _id_arg("id")
    username, kind = _text_arg("user"), _text_arg("kind")
    start, end = date_arg("van", "begindatum"), date_arg("tot", "einddatum")
    if start and end and start > end:
        raise BadRequest("De begindatum ligt na de einddatum; draai ze om.")
    conditions = []
    if target_type:
        conditions.append(LogEntry.target_type == target_type)
    if target_id is not None:
        conditions.append(LogEntry.target_id == target_id)
    actor = None
    if username:
        actor = db.session.scalar(select(User).where(or_(User.username == username,
                                                         func.lower(User.email) == username.casefold())))
        conditions.append(LogEntry.actor_id == (actor.id if actor else -1))
    if kind:
        conditions.append(LogEntry.kind == kind)
    if start:
        conditions.append(LogEntry.logged_dt >= start_of_day_utc(start))
    if end:
        conditions.append(LogEntry.logged_dt < end_of_day_utc(end))
    stmt = (select(LogEntry).where(*conditions).options(selectinload(LogEntry.actor))
            .order_by(LogEntry.logged_dt.desc(), LogEntry.id.desc()))
    page = paginate(stmt, page_arg(), current_app.config["PER_PAGE"])
    kinds = sorted(db.session.scalars(select(LogEntry.kind).distinct()))
    types = sorted(t for t in db.session.scalars(select(LogEntry.target_type).distinct()) if t)
    users = list(db.session.scalars(select(User).order_by(User.name)))
    return render_template(
        "audit/entries.html", page=page, rows={e.id: entry_rows(e) for e in page.items},
        filters={"type": target_type, "id": target_id, "user": username, "kind": kind, "van": start, "tot": end},
        unknown_user=bool(username) and actor is None, kinds=kinds, types=types, users=users,
        kind_labels=KINDS, record_labels=RECORDS, record_pages=RECORD_PAGES)
