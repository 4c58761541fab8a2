"""The tracker's day and time are those of Brussels; the database records times in UTC (naive).

A Flemish editor who removes a link at half past midnight removed it that day, not the day before,
and "today" on a server that runs in UTC starts at 01:00 or 02:00 Brussels time. Every as-of rule,
default date and shown time goes through here.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo

ZONE = "Europe/Brussels"


@cache
def brussels() -> ZoneInfo:
    return ZoneInfo(ZONE)  # looked up on first use (tzdata is a dependency, see pyproject.toml)


def today() -> date:
    """Today's date in Brussels."""
    return datetime.now(brussels()).date()


def local(moment: datetime) -> datetime:
    """A recorded time (naive UTC) as Brussels time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(brussels())


def day_of(moment: datetime) -> date:
    """The Brussels date of a recorded time (naive UTC)."""
    return local(moment).date()


def start_of_day_utc(day: date) -> datetime:
    """When ``day`` begins in Brussels, as a naive UTC time to compare with recorded times."""
    start = datetime.combine(day, time.min, tzinfo=brussels())
    return start.astimezone(timezone.utc).replace(tzinfo=None)


def end_of_day_utc(day: date) -> datetime:
    """When ``day`` ends in Brussels (the start of the next day), as a naive UTC time."""
    return start_of_day_utc(day + timedelta(days=1))
