"""What a page says about when a service meets or opens, worked out at request time in UK time: a meet-up's next
dates and pattern, a helpline's or centre's weekly hours and whether it is open now, and a temporary closure.

Meet-ups are monthly or every-few-weeks rules; weekly rules are opening hours (see timetable.is_meeting).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from directory.listings import schedule_words as words
from directory.listings import timetable
from directory.listings.schedules import Attending, Schedule

NEXT_COUNT = 3  # the next date and the two after it
TABLE_CAPTIONS = {
    Attending.PHONE: "When the phone line is open",
    Attending.IN_PERSON: "When you can visit",
    Attending.ONLINE: "When it is open online",
}


@dataclass(frozen=True)
class MeetUp:
    pattern: str  # "the third Thursday of every month, 11am to 1pm"
    attending: str  # "in person"
    note: str
    next_dates: tuple[str, ...]  # "Thursday 18 December, 11am to 1pm"


@dataclass(frozen=True)
class HoursTable:
    caption: str
    rows: tuple[tuple[str, str], ...]  # (day, "9am to 5pm" or "Closed")
    notes: tuple[str, ...]


@dataclass(frozen=True)
class Timing:
    meetups: tuple[MeetUp, ...]
    next_dates: tuple[str, ...]  # across every meet-up, soonest first
    next_session: timetable.Session | None
    tables: tuple[HoursTable, ...]
    open_line: str  # "Open now, until 4pm"; "" without weekly hours
    is_open: bool | None  # None: no weekly hours
    closed_until: date | None  # only while it is still closed
    hours_lines: tuple[str, ...] = ()  # "Monday to Friday, 9am to 4pm, by phone"

    @property
    def closed_line(self) -> str:
        return f"Temporarily closed until {words.long_day(self.closed_until)}" if self.closed_until else ""

    @property
    def lines(self) -> tuple[str, ...]:
        """Everything in a few lines, for a printed sheet and the plain-text list."""
        lines = [self.closed_line] if self.closed_until else []
        if self.next_dates:
            lines.append("Next: " + "; then ".join(self.next_dates))
        return (*lines, *self.hours_lines)

    @property
    def summary(self) -> tuple[str, ...]:
        """The lines a result card shows: a closure, the next meet-up, open now or when it opens."""
        lines = [self.closed_line] if self.closed_until else []
        if self.next_dates:
            lines.append(f"Next: {self.next_dates[0]}")
        if self.open_line and not self.closed_until:
            lines.append(self.open_line)
        return tuple(lines)


def timing(schedules: tuple[Schedule, ...], now: datetime, closed_until: date | None = None) -> Timing | None:
    """Everything pages say about when; None when the listing has no schedules and no closure."""
    today = now.astimezone(timetable.UK).date()
    closure = closed_until if closed_until and closed_until >= today else None
    if not schedules and closure is None:
        return None
    schedules = tuple(schedule for schedule in schedules if not (schedule.valid_to and schedule.valid_to < today))
    meetings = tuple(schedule for schedule in schedules if timetable.is_meeting(schedule))
    weekly = tuple(schedule for schedule in schedules if not timetable.is_meeting(schedule))
    upcoming = timetable.next_sessions(meetings, now, count=NEXT_COUNT, closed_until=closure)
    state = timetable.open_state(weekly, now, closed_until=closure) if weekly else None
    return Timing(
        meetups=tuple(_meetup(schedule, now, closure, today) for schedule in meetings),
        next_dates=tuple(words.session_text(session, today) for session in upcoming),
        next_session=upcoming[0] if upcoming else None,
        tables=_tables(weekly),
        open_line=words.open_text(state, now) if state else "",
        is_open=state.open if state else None,
        closed_until=closure,
        hours_lines=tuple(
            f"{words.pattern(s)}, {words.hours(s)}, {words.ATTENDING_WORDS[s.attending.value]}" for s in weekly
        ),  # fmt: skip
    )


def timing_record(schedules: tuple[Schedule, ...], now: datetime, closed_until: date | None = None) -> dict[str, Any]:
    """The same, for the JSON API: the next sessions as times, open now, and the sentences the pages show."""
    found = timing(schedules, now, closed_until)
    if found is None:
        return {"next_sessions": [], "open_now": None, "open_text": "", "closed_until": None}
    meetings = [schedule for schedule in schedules if timetable.is_meeting(schedule)]
    upcoming = timetable.next_sessions(meetings, now, count=NEXT_COUNT, closed_until=found.closed_until)
    return {
        "next_sessions": [
            {
                "starts": session.starts.isoformat(),
                "ends": session.ends.isoformat(),
                "attending_type": session.schedule.attending.value,
                "description": session.schedule.note,
            }
            for session in upcoming
        ],  # fmt: skip
        "open_now": found.is_open,
        "open_text": found.open_line,
        "closed_until": found.closed_until.isoformat() if found.closed_until else None,
    }


def _meetup(schedule: Schedule, now: datetime, closure: date | None, today: date) -> MeetUp:
    upcoming = timetable.next_sessions([schedule], now, count=NEXT_COUNT, closed_until=closure)
    return MeetUp(
        pattern=f"{words.pattern(schedule)}, {words.hours(schedule)}",
        attending=words.ATTENDING_WORDS[schedule.attending.value],
        note=schedule.note,
        next_dates=tuple(words.session_text(session, today) for session in upcoming),
    )


def _tables(weekly: tuple[Schedule, ...]) -> tuple[HoursTable, ...]:
    """One table of weekly hours per way of attending, Monday to Sunday."""
    tables = []
    for attending in Attending:
        rules = sorted((s for s in weekly if s.attending is attending), key=lambda schedule: schedule.opens_at)
        if not rules:
            continue
        rows = tuple(
            (words.DAY_NAMES[day], words.join([words.hours(s) for s in rules if day in s.byday]) or "Closed")
            for day in words.ORDER
        )
        notes = tuple(dict.fromkeys(schedule.note for schedule in rules if schedule.note))
        tables.append(HoursTable(TABLE_CAPTIONS[attending], rows, notes))
    return tuple(tables)
