"""The tracker's days are Brussels days: as-of rules, shown times and "today" (tracker/core/clock.py)."""
from __future__ import annotations

from datetime import date, datetime

from flask import render_template_string
from sqlalchemy import select

from tracker.asof import link_counts
from tracker.commitments import operations as link_operations
from tracker.commitments.models import Commitment, Link, Relation
from tracker.commitments.operations import create_link, remove_link
from tracker.core import clock
from tracker.decisions.models import Decision


def test_a_brussels_day_in_utc_across_the_change_to_summer_time() -> None:
    # 31 March 2024 begins at 00:00 CET (23:00 UTC the day before) and ends at 00:00 CEST (22:00 UTC).
    assert clock.start_of_day_utc(date(2024, 3, 31)) == datetime(2024, 3, 30, 23, 0)
    assert clock.end_of_day_utc(date(2024, 3, 31)) == datetime(2024, 3, 31, 22, 0)
    assert clock.day_of(datetime(2024, 3, 31, 22, 30)) == date(2024, 4, 1)
    assert clock.day_of(datetime(2024, 3, 31, 21, 59)) == date(2024, 3, 31)


def test_a_link_removed_just_after_midnight_in_brussels_was_removed_that_day(ctx, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    section = ctx.scalar(select(Commitment).where(Commitment.key == "vds/2.3.4/5"))
    decision = ctx.scalar(select(Decision).where(Decision.key == "ana-02"))
    link = create_link({"commitment": section, "decision": decision, "relation": Relation.REALISEERT}, None)
    ctx.commit()
    # 00:30 on 1 July in Brussels is 22:30 on 30 June in UTC.
    monkeypatch.setattr(link_operations, "utcnow", lambda: datetime(2025, 6, 30, 22, 30))
    remove_link(link, "Verkeerd gekoppeld vlak na middernacht.", None)
    ctx.commit()

    def counts(day: date) -> bool:
        return ctx.scalar(select(Link.id).where(Link.id == link.id, link_counts(day))) is not None

    assert counts(date(2025, 6, 30))  # still there at the end of 30 June
    assert not counts(date(2025, 7, 1))  # removed on 1 July, Brussels time


def test_recorded_times_are_shown_in_brussels_time(app) -> None:  # type: ignore[no-untyped-def]
    with app.test_request_context():
        winter = render_template_string("{{ t|dutch_date }}", t=datetime(2024, 1, 15, 23, 30))
        summer = render_template_string("{{ t|dutch_date }}", t=datetime(2024, 7, 1, 8, 5))
    assert winter == "16 januari 2024 00:30"
    assert summer == "1 juli 2024 10:05"


def test_today_is_the_brussels_date(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    class LateEvening(datetime):
        @classmethod
        def now(cls, tz=None):  # type: ignore[no-untyped-def]
            return datetime(2024, 6, 30, 22, 30, tzinfo=clock.timezone.utc).astimezone(tz)

    monkeypatch.setattr(clock, "datetime", LateEvening)
    assert clock.today() == date(2024, 7, 1)  # 00:30 on 1 July in Brussels
