"""The search filters on time: "meets in the next 2 weeks" and "open now", worked out from the schedules at the
moment of the search (UK time), as the service's own page would say it."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from directory.listings import schedule_rows, timetable
from directory.listings.models import ScheduleRow, Service
from directory.listings.schedules import Schedule

SOON_DAYS = 14


class When(StrEnum):
    SOON = "soon"
    OPEN = "open"

    @property
    def label(self) -> str:
        return f"Meets in the next {SOON_DAYS // 7} weeks" if self is When.SOON else "Open now"


def matching_ids(session: Session, when: When, now: datetime) -> set[str]:
    """The active services that meet within SOON_DAYS (a group's sessions), or are open at `now` (weekly hours)."""
    found: dict[str, tuple[date | None, list[ScheduleRow]]] = {}
    rows = session.exec(
        select(ScheduleRow, col(Service.closed_until)).join(Service).where(col(Service.status) == "active")
    )
    for row, closed_until in rows:
        found.setdefault(row.service_id, (closed_until, []))[1].append(row)
    return {
        service_id
        for service_id, (closed_until, service_rows) in found.items()
        if _matches(when, schedule_rows.from_rows(service_rows), now, closed_until)
    }


def _matches(when: When, schedules: tuple[Schedule, ...], now: datetime, closed_until: date | None) -> bool:
    if when is When.SOON:
        meetings = [schedule for schedule in schedules if timetable.is_meeting(schedule)]
        upcoming = timetable.next_sessions(meetings, now, count=1, closed_until=closed_until)
        return bool(upcoming) and upcoming[0].starts <= now + timedelta(days=SOON_DAYS)
    weekly = [schedule for schedule in schedules if not timetable.is_meeting(schedule)]
    return bool(weekly) and timetable.open_state(weekly, now, closed_until=closed_until).open
