"""The audit trail at /beheer/audit: admins only, filters, before and after, pagination; entries are append-only."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, update

from tests.conftest import ACCOUNTS
from tests.test_review_browser import facts, text
from tracker.accounts.models import User
from tracker.accounts.operations import update_user
from tracker.audit.guard import AuditIsAppendOnly
from tracker.audit.models import LogEntry
from tracker.audit.operations import log_event
from tracker.core.clock import today as brussels_today
from tracker.core.db import db
from tracker.core.writes import operation, unguarded


def entries_shown(page: str) -> int:
    return page.count('class="audit-entry"')


def rename(app, role: str, name: str) -> int:  # type: ignore[no-untyped-def]
    """An audited change (the admin renames an account); the account's id."""
    with app.app_context():
        account = db.session.scalar(select(User).where(User.email == ACCOUNTS[role]))
        admin = db.session.scalar(select(User).where(User.email == ACCOUNTS["admin"]))
        update_user(account, {"name": name}, admin)
        db.session.commit()
        return account.id


@pytest.mark.parametrize("role,code", [(None, 302), ("editor", 403), ("reviewer", 403), ("admin", 200)])
def test_only_admins_see_the_audit_trail(client_as, role, code) -> None:  # type: ignore[no-untyped-def]
    response = client_as(role).get("/beheer/audit")
    assert response.status_code == code
    if code == 403:
        assert "Hiervoor hebt u de rol beheerder nodig" in text(response)


def test_an_entry_shows_before_and_after(app, client_as) -> None:  # type: ignore[no-untyped-def]
    user_id = rename(app, "editor", "Eva Hernoemd")
    page = text(client_as("admin").get(f"/beheer/audit?type=users&id={user_id}"))
    assert "Ann Beheerder: gebruiker redacteur@example.be bijgewerkt" in page
    assert '<th scope="row">name</th><td>Eva Redacteur</td><td>Eva Hernoemd</td>' in page
    assert f'href="/beheer/gebruikers/{user_id}"' in page  # the record's own page


def test_filters_by_record_user_kind_and_dates(app, client_as) -> None:  # type: ignore[no-untyped-def]
    user_id = rename(app, "editor", "Eva Hernoemd")
    rename(app, "reviewer", "Rik Hernoemd")
    admin = client_as("admin")
    with app.app_context():
        total = db.session.scalar(select(func.count(LogEntry.id)))
        per_record = db.session.scalar(select(func.count(LogEntry.id)).where(
            LogEntry.target_type == "users", LogEntry.target_id == user_id))
        by_admin = db.session.scalar(select(func.count(LogEntry.id)).where(
            LogEntry.actor.has(User.email == ACCOUNTS["admin"])))
        updated = db.session.scalar(select(func.count(LogEntry.id)).where(LogEntry.kind == "updated",
                                                                          LogEntry.target_type == "users"))
    assert f"{total} regels" in text(admin.get("/beheer/audit"))
    page = text(admin.get(f"/beheer/audit?type=users&id={user_id}"))
    record = page.split('class="audit-entries"')[1]
    assert f"{per_record} regel" in page and "Eva Hernoemd" in record and "Rik Hernoemd" not in record
    assert f"{by_admin} regel" in text(admin.get("/beheer/audit?user=beheerder@example.be"))
    page = text(admin.get("/beheer/audit?kind=updated&type=users"))
    kind = page.split('class="audit-entries"')[1]
    assert f"{updated} regel" in page and "Eva Hernoemd" in kind and "Rik Hernoemd" in kind
    assert "aangemeld" not in kind
    today = brussels_today()  # the filter's days are Brussels days (tests/test_clock.py)
    dated = text(admin.get(f"/beheer/audit?kind=updated&van={today}&tot={today}"))
    assert "Eva Hernoemd" in dated.split('class="audit-entries"')[1]  # "tot" includes its day
    yesterday = today - timedelta(days=1)
    assert "0 regels" in text(admin.get(f"/beheer/audit?van=2000-01-01&tot={yesterday}"))
    nobody = text(admin.get("/beheer/audit?user=niemand@example.be"))
    assert "0 regels" in nobody and "Er is geen gebruiker" in nobody


def test_the_date_filter_takes_brussels_days(app, client_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    from tracker.audit import operations as audit_operations

    # 22:30 UTC on 30 June is 00:30 on 1 July in Brussels.
    monkeypatch.setattr(audit_operations, "utcnow", lambda: datetime(2025, 6, 30, 22, 30))
    rename(app, "editor", "Eva Na Middernacht")
    admin = client_as("admin")
    july = text(admin.get("/beheer/audit?kind=updated&van=2025-07-01&tot=2025-07-01"))
    entries = july.split('class="audit-entries"')[1]
    assert "Eva Na Middernacht" in entries and "1 juli 2025 00:30" in entries
    assert 'datetime="2025-07-01T00:30:00+02:00"' in entries
    june = text(admin.get("/beheer/audit?kind=updated&van=2025-06-30&tot=2025-06-30"))
    assert "0 regels" in june


@pytest.mark.parametrize("query", ["id=abc", "id=-1", "van=2024-02-30", "van=2024-03-01&tot=2024-01-01",
                                   "type=" + "x" * 200, "id=" + "9" * 40])
def test_bad_filters_are_400_in_dutch(client_as, query: str) -> None:  # type: ignore[no-untyped-def]
    response = client_as("admin").get(f"/beheer/audit?{query}")
    assert response.status_code == 400 and "Naar de startpagina" in text(response)


def test_the_audit_trail_is_paginated(app, client_as) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        for i in range(30):
            log_event("import", "imported", f"Import nummer {i}", None)
        db.session.commit()
    admin = client_as("admin")
    first = text(admin.get("/beheer/audit?kind=imported"))
    assert entries_shown(first) == app.config["PER_PAGE"] and "Import nummer 29" in first
    assert 'rel="next"' in first and "Pagina 1 van 2" in first
    second = text(admin.get("/beheer/audit?kind=imported&pagina=2"))
    assert entries_shown(second) == 30 - app.config["PER_PAGE"] and "Import nummer 0" in second
    assert admin.get("/beheer/audit?kind=imported&pagina=3").status_code == 404


def test_a_record_page_links_to_its_entries_for_admins_only(app, client_as) -> None:  # type: ignore[no-untyped-def]
    f = facts(app)
    link = f'href="/beheer/audit?type=commitments&amp;id={f["id"]}"'
    assert link in client_as("admin").get(f"/engagementen/{f['id']}").get_data(as_text=True)
    assert link not in client_as("editor").get(f"/engagementen/{f['id']}").get_data(as_text=True)
    assert link not in client_as(None).get(f"/engagementen/{f['id']}").get_data(as_text=True)


# --------------------------------------------------------------------------- append-only


def test_an_entry_cannot_be_changed_or_deleted(ctx, accounts) -> None:  # type: ignore[no-untyped-def]
    """Even where direct writes are let through (inside an operation, or unguarded), an entry stays as written."""
    log_event("import", "imported", "Een import", None)
    ctx.commit()
    entry = ctx.scalar(select(LogEntry).order_by(LogEntry.id.desc()))
    before = (entry.id, entry.summary)
    with unguarded(ctx()):
        entry.summary = "Herschreven geschiedenis"
        with pytest.raises(AuditIsAppendOnly):
            ctx.flush()
        ctx.rollback()
        ctx.delete(entry)
        with pytest.raises(AuditIsAppendOnly):
            ctx.flush()
        ctx.rollback()

    @operation
    def rewrite(statement):  # type: ignore[no-untyped-def]
        ctx.execute(statement)

    for statement in (update(LogEntry).where(LogEntry.id == entry.id).values(summary="Weg ermee"),
                      delete(LogEntry).where(LogEntry.id == entry.id), delete(LogEntry.__table__)):
        with pytest.raises(AuditIsAppendOnly):
            rewrite(statement)
        ctx.rollback()
    kept = ctx.get(LogEntry, before[0])
    assert (kept.id, kept.summary) == before


def test_new_entries_are_still_written(ctx, accounts) -> None:  # type: ignore[no-untyped-def]
    count = ctx.scalar(select(func.count(LogEntry.id)))
    log_event("import", "imported", "Nog een import", None)
    ctx.commit()
    assert ctx.scalar(select(func.count(LogEntry.id))) == count + 1
    assert ctx.scalar(select(LogEntry.summary).order_by(LogEntry.id.desc())) == "Nog een import"
