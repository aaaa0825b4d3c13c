"""When a service next meets or is open, from its schedules: the dates come from dateutil's rrule (iCalendar's
recurrence rules), in UK local time (Europe/London, so a session at 11am stays at 11am across the clock changes).

Nothing here reads the clock: callers pass `now`, so pages use the real time and tests a frozen one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule

from directory.listings.schedules import Frequency, Schedule

UK = ZoneInfo("Europe/London")
WEEKDAYS = {"MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH, "FR": rrule.FR, "SA": rrule.SA,
            "SU": rrule.SU}  # fmt: skip
HORIZON_DAYS = 400  # how far ahead "next" looks (a monthly group whose next session is over a year away has none)


@dataclass(frozen=True)
class Session:
    starts: datetime  # aware, UK local time
    ends: datetime
    schedule: Schedule


def _weekdays(schedule: Schedule) -> list[rrule.weekday]:
    days = []
    for code in schedule.byday:
        number, day = (int(code[:-2]), code[-2:]) if len(code) > 2 else (None, code)
        days.append(WEEKDAYS[day](number) if number else WEEKDAYS[day])
    return days


def rule(schedule: Schedule, *, starting: date) -> rrule.rrule:
    """The schedule's dates as a dateutil rrule, from `starting` (or its own DTSTART for every-other patterns)."""
    first = schedule.dtstart or starting
    if schedule.valid_from and schedule.valid_from > first and not schedule.dtstart:
        first = schedule.valid_from
    kwargs: dict[str, object] = {"interval": schedule.interval, "dtstart": datetime.combine(first, time())}
    if schedule.byday:
        kwargs["byweekday"] = _weekdays(schedule)
    if schedule.bymonthday:
        kwargs["bymonthday"] = schedule.bymonthday
    if schedule.valid_to:
        kwargs["until"] = datetime.combine(schedule.valid_to, time(23, 59))
    freq = rrule.WEEKLY if schedule.freq is Frequency.WEEKLY else rrule.MONTHLY
    return rrule.rrule(freq, **kwargs)  # type: ignore[arg-type]


def first_day(schedule: Schedule, starting: date) -> date | None:
    """The rule's first date on or after `starting` (cancellations included: a calendar lists those as EXDATE)."""
    found = rule(schedule, starting=starting).after(datetime.combine(starting, time()), inc=True)
    return found.date() if found else None


def sessions(schedule: Schedule, start: datetime, end: datetime) -> list[Session]:
    """Every session of one schedule that ends after `start` and starts before `end`."""
    window_start, window_end = start.astimezone(UK), end.astimezone(UK)
    days = rule(schedule, starting=(window_start - timedelta(days=1)).date())
    found = {moment.date() for moment in days.between(
        datetime.combine(window_start.date() - timedelta(days=1), time()),
        datetime.combine(window_end.date(), time(23, 59)), inc=True,
    )}  # fmt: skip
    found |= {day for day in schedule.rdates if window_start.date() - timedelta(days=1) <= day <= window_end.date()}
    found -= set(schedule.exdates)
    result = []
    for day in sorted(found):
        session = _session_on(schedule, day)
        if session.ends > window_start and session.starts < window_end:
            result.append(session)
    return result


def _session_on(schedule: Schedule, day: date) -> Session:
    starts = datetime.combine(day, schedule.opens_at, tzinfo=UK)
    if schedule.closes_at is None:
        ends = datetime.combine(day + timedelta(days=1), time(), tzinfo=UK)
    else:
        ends = datetime.combine(day, schedule.closes_at, tzinfo=UK)
    return Session(starts, ends, schedule)


def next_sessions(
    schedules: Iterable[Schedule], now: datetime, *, count: int = 3, closed_until: date | None = None
) -> list[Session]:
    """The next `count` sessions across schedules, soonest first (none before a temporary closure ends)."""
    start = now
    if closed_until is not None:
        start = max(now, datetime.combine(closed_until + timedelta(days=1), time(), tzinfo=UK))
    end = now + timedelta(days=HORIZON_DAYS)
    found = [session for schedule in schedules for session in sessions(schedule, start, end)]
    return sorted(found, key=lambda session: session.starts)[:count]


@dataclass(frozen=True)
class OpenState:
    open: bool
    until: datetime | None = None  # when it closes, if open
    opens: datetime | None = None  # when it next opens, if closed


def open_state(schedules: Iterable[Schedule], now: datetime, *, closed_until: date | None = None) -> OpenState:
    """Open now (and until when), or closed (and when it next opens), from weekly hours."""
    weekly = [schedule for schedule in schedules if schedule.freq is Frequency.WEEKLY]
    if closed_until is not None and now.astimezone(UK).date() <= closed_until:
        upcoming = next_sessions(weekly, now, count=1, closed_until=closed_until)
        return OpenState(False, opens=upcoming[0].starts if upcoming else None)
    current = [session for schedule in weekly for session in sessions(schedule, now, now + timedelta(seconds=1))]
    if current:
        return OpenState(True, until=_close_of(weekly, max(session.ends for session in current), now))
    upcoming = next_sessions(weekly, now, count=1)
    return OpenState(False, opens=upcoming[0].starts if upcoming else None)


def _close_of(weekly: list[Schedule], ends: datetime, now: datetime) -> datetime:
    """When it really closes: sessions that follow on without a gap (open all night, 24 hours) count as one."""
    for _ in range(14):
        following = [s for schedule in weekly for s in sessions(schedule, ends, ends + timedelta(seconds=1))]
        later = [session.ends for session in following if session.ends > ends]
        if not later:
            return ends
        ends = max(later)
    return ends


def is_meeting(schedule: Schedule) -> bool:
    """A meet-up (a group's monthly or fortnightly sessions) rather than opening hours."""
    return schedule.freq is Frequency.MONTHLY or schedule.interval > 1
