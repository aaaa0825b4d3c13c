"""Calendar files (iCalendar, RFC 5545) of when services meet or open, built with the `icalendar` library: one
VEVENT with an RRULE per schedule, cancelled sessions as EXDATE, extra or moved ones as RDATE, times in
Europe/London with its VTIMEZONE, so Apple, Google and Outlook calendars show the same dates as our pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import icalendar

from directory.listings import timetable
from directory.listings.listing import Listing
from directory.listings.schedules import Frequency, Schedule
from directory.listings.timetable import UK

PRODUCT = "-//Secondary Breast Cancer Support Directory//Calendar//EN"


@dataclass(frozen=True)
class Entry:
    """One service's schedules, and what a calendar event says about it."""

    service_id: str
    name: str
    where: str  # the address, or "Online" / "By phone"
    url: str  # the service's page on this site
    schedules: tuple[Schedule, ...]
    closed_until: date | None = None


def entry_of(listing: Listing, base_url: str) -> Entry:
    """A listing's calendar entry: where people go (its address) or how they join, and its page here."""
    if listing.has_location and "in-person" in listing.delivery_modes:
        where = listing.address_line
    else:
        where = "Online" if "online" in listing.delivery_modes else "By phone"
    return Entry(listing.id, listing.name, where, f"{base_url}/services/{listing.id}", listing.schedules,
                 listing.closed_until)  # fmt: skip


def calendar_file(entries: list[Entry], *, name: str, now: datetime, host: str) -> bytes:
    """An .ics file with every schedule of these services from today on (none before a temporary closure ends)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/London")
    today = now.astimezone(UK).date()
    for entry in entries:
        starting = max(today, entry.closed_until + timedelta(days=1)) if entry.closed_until else today
        for position, schedule in enumerate(entry.schedules, start=1):
            event = _event(entry, schedule, starting, stamp=now, uid=f"{entry.service_id}-{position}@{host}")
            if event is not None:
                calendar.add_component(event)
    calendar.add_missing_timezones(first_date=today - timedelta(days=366), last_date=today + timedelta(days=10 * 366))
    return calendar.to_ical()


def _event(entry: Entry, schedule: Schedule, starting: date, *, stamp: datetime, uid: str) -> icalendar.Event | None:
    first = timetable.first_day(schedule, starting)
    extra = sorted(day for day in schedule.rdates if day >= starting)
    if first is None and not extra:
        return None
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("summary", entry.name)
    event.add("location", entry.where)
    event.add("url", entry.url)
    event.add("description", "\n".join(part for part in (schedule.note, f"Details and changes: {entry.url}") if part))
    day = first or extra.pop(0)
    event.add("dtstart", _at(day, schedule.opens_at))
    event.add("dtend", _ends(day, schedule))
    if first is not None:
        event.add("rrule", _recurrence(schedule))
    exdates = [_at(day, schedule.opens_at) for day in schedule.exdates if day >= starting]
    if exdates:
        event.add("exdate", exdates)
    if extra:
        event.add("rdate", [_at(day, schedule.opens_at) for day in extra])
    return event


def _recurrence(schedule: Schedule) -> dict[str, object]:
    rule: dict[str, object] = {"freq": schedule.freq.value}
    if schedule.interval != 1:
        rule["interval"] = schedule.interval
    if schedule.byday:
        rule["byday"] = list(schedule.byday)
    if schedule.bymonthday:
        rule["bymonthday"] = list(schedule.bymonthday)
    if schedule.valid_to:  # with a zoned DTSTART, UNTIL must be in UTC (RFC 5545, 3.3.10)
        rule["until"] = datetime.combine(schedule.valid_to, time(23, 59, 59), tzinfo=UK).astimezone(UTC)
    if schedule.freq is Frequency.WEEKLY:
        rule["wkst"] = "MO"
    return rule


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=UK)


def _ends(day: date, schedule: Schedule) -> datetime:
    if schedule.closes_at is None:
        return datetime.combine(day + timedelta(days=1), time(), tzinfo=UK)
    return _at(day, schedule.closes_at)
