"""Schedules and sessions in plain English, as GOV.UK writes times: "the third Thursday of every month, 11am to 1pm",
"Thursday 18 December", "Open now, until 4pm". Pages, the support sheet and the moderators' diffs all use these."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from directory.listings.schedules import Frequency, Schedule
from directory.listings.timetable import UK, OpenState, Session

ORDER = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAY_NAMES = dict(zip(ORDER, NAMES, strict=True))
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
ATTENDING_WORDS = {"in person": "in person", "online": "online", "phone": "by phone"}


def clock(moment: time | None) -> str:
    """11am, 9:30am, midday, midnight (None: midnight at the end of the day)."""
    if moment is None or moment == time(0, 0):
        return "midnight"
    if moment == time(12, 0):
        return "midday"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def hours(schedule: Schedule) -> str:
    """'11am to 1pm', or '24 hours' for a whole day."""
    if schedule.opens_at == time(0, 0) and schedule.closes_at is None:
        return "24 hours"
    return f"{clock(schedule.opens_at)} to {clock(schedule.closes_at)}"


def join(words: list[str]) -> str:
    if not words:
        return ""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def day_list(codes: tuple[str, ...]) -> str:
    """'Monday to Friday', 'every day', 'Tuesday and Thursday': a run of three or more days reads as a range."""
    days = sorted({code[-2:] for code in codes}, key=ORDER.index)
    if len(days) == 7:
        return "every day"
    positions = [ORDER.index(day) for day in days]
    if len(days) >= 3 and positions == list(range(positions[0], positions[-1] + 1)):
        return f"{DAY_NAMES[days[0]]} to {DAY_NAMES[days[-1]]}"
    return join([DAY_NAMES[day] for day in days])


def _nth(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def pattern(schedule: Schedule) -> str:
    """When it recurs: 'the third Thursday of every month', 'every other Tuesday', 'Monday to Friday'."""
    if schedule.freq is Frequency.MONTHLY:
        every = "every month" if schedule.interval == 1 else f"every {schedule.interval} months"
        if schedule.bymonthday:
            return f"the {join([_nth(day) for day in schedule.bymonthday])} of {every}"
        days = [f"{ORDINALS[int(code[:-2])]} {DAY_NAMES[code[-2:]]}" for code in schedule.byday]
        return f"the {join(days)} of {every}"
    if schedule.interval == 2:
        return f"every other {day_list(schedule.byday)}"
    if schedule.interval > 2:
        return f"{day_list(schedule.byday)}, every {schedule.interval} weeks"
    return day_list(schedule.byday)


def describe(schedule: Schedule) -> str:
    """One rule in words, complete: for the moderators' diffs and the history page."""
    words = f"{pattern(schedule)}, {hours(schedule)}, {ATTENDING_WORDS[schedule.attending.value]}"
    if schedule.note:
        words += f" ({schedule.note})"
    if schedule.valid_from:
        words += f", from {long_day(schedule.valid_from)}"
    if schedule.valid_to:
        words += f", until {long_day(schedule.valid_to)}"
    if schedule.exdates:
        words += ", not on " + join([long_day(day) for day in schedule.exdates])
    if schedule.rdates:
        words += ", also on " + join([long_day(day) for day in schedule.rdates])
    return words


def sentence(words: str) -> str:
    """The first letter a capital, the rest as it is ('The third Thursday ... (Blackburn Central Library)')."""
    return words[:1].upper() + words[1:]


def describe_all(schedules: tuple[Schedule, ...]) -> str:
    return "; ".join(describe(schedule) for schedule in schedules)


def long_day(day: date, *, today: date | None = None) -> str:
    """'Thursday 18 December' (with the year when it is not this year's)."""
    text = f"{day:%A} {day.day} {day:%B}"
    return text if today is not None and day.year == today.year else f"{text} {day.year}"


def session_text(session: Session, today: date) -> str:
    """'Thursday 18 December, 11am to 1pm'."""
    return f"{long_day(session.starts.date(), today=today)}, {hours(session.schedule)}"


def open_text(state: OpenState, now: datetime) -> str:
    """'Open now, until 4pm', 'Open now, 24 hours', 'Closed now: opens Monday at 9am'."""
    local = now.astimezone(UK)
    if state.open:
        if state.until is None or state.until - local > timedelta(days=6):
            return "Open now, 24 hours a day"
        return f"Open now, until {_when(state.until, local)}"
    if state.opens is None:
        return "Closed now"
    return f"Closed now: opens {_when(state.opens, local, at=True)}"


def _when(moment: datetime, now: datetime, *, at: bool = False) -> str:
    moment = moment.astimezone(UK)
    time_words = clock(moment.time())
    days = (moment.date() - now.date()).days
    if moment.time() == time(0, 0) and not at:  # closing at midnight: the end of the day before
        day_before = moment.date() - timedelta(days=1)
        if days == 1:
            return "midnight"
        return f"midnight on {day_before:%A}" if days < 8 else f"midnight on {long_day(day_before, today=now.date())}"
    if days == 0:
        return f"today at {time_words}" if at else time_words
    if days == 1:
        return f"tomorrow at {time_words}"
    if days < 7:
        return f"{moment:%A} at {time_words}"
    return f"{long_day(moment.date(), today=now.date())} at {time_words}"
