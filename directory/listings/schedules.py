"""When a service meets or opens, as data: Open Referral UK's `schedule` (itself iCalendar's RRULE), and the compact
form one CSV cell holds.

A cell holds one rule or several separated by ` | `; a rule is `;`-separated parts, the frequency first:

    WEEKLY;BYDAY=MO,TU,WE,TH,FR;09:00-17:00;phone | WEEKLY;BYDAY=SA;09:00-13:00;phone
    MONTHLY;BYDAY=3TH;11:00-13:00;in person;NOTE=at the library
    MONTHLY;BYDAY=-1WE;18:30-20:00;online;EXDATE=2026-12-30
    WEEKLY;INTERVAL=2;DTSTART=2026-01-08;BYDAY=TH;10:00-12:00;in person

Parts: `BYDAY` (weekdays; monthly with a week number: `3TH`, `-1WE` for the last), `BYMONTHDAY`, `INTERVAL` (with
`DTSTART`, a real date of one session), `VALID_FROM`/`VALID_TO`, `EXDATE` (cancelled sessions), `RDATE` (extra or
moved sessions), the times `HH:MM-HH:MM` (UK local time; `24:00` is midnight at the end of the day), how people
attend (`in person`, `online` or `phone`) and `NOTE=` (no `;` or `|`). `parse` refuses anything else with a
message naming the part; `format` writes a rule back exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
BYDAY = re.compile(r"^(?:([1-5]|-1))?(MO|TU|WE|TH|FR|SA|SU)$")
TIMES = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_RULES = 10


class Frequency(StrEnum):
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"


class Attending(StrEnum):
    IN_PERSON = "in person"
    ONLINE = "online"
    PHONE = "phone"


class ScheduleError(ValueError):
    """A rule we cannot read; the message says which part and how to write it."""


@dataclass(frozen=True)
class Schedule:
    freq: Frequency
    opens_at: time
    closes_at: time | None  # None: midnight at the end of the day (24:00)
    attending: Attending
    byday: tuple[str, ...] = ()  # 'MO' or, monthly, '3TH' / '-1WE'
    bymonthday: tuple[int, ...] = ()
    interval: int = 1
    dtstart: date | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    exdates: tuple[date, ...] = ()
    rdates: tuple[date, ...] = ()
    note: str = ""


def parse(cell: str) -> tuple[Schedule, ...]:
    """Every rule in a cell; raise ScheduleError naming the first part that cannot be read."""
    rules = [part.strip() for part in cell.split("|") if part.strip()]
    if len(rules) > MAX_RULES:
        raise ScheduleError(f"has {len(rules)} rules; at most {MAX_RULES}")
    return tuple(_parse_rule(rule) for rule in rules)


def _parse_rule(rule: str) -> Schedule:
    parts = [part.strip() for part in rule.split(";") if part.strip()]
    if not parts or parts[0] not in Frequency.__members__:
        raise ScheduleError(f"'{rule[:60]}' must start with WEEKLY or MONTHLY")
    values: dict[str, object] = {"freq": Frequency(parts[0])}
    for part in parts[1:]:
        _read_part(part, values, rule)
    return _checked(values, rule)


def _read_part(part: str, values: dict[str, object], rule: str) -> None:
    key, _, value = part.partition("=")
    if TIMES.match(part):
        values["times"] = part
    elif part in {mode.value for mode in Attending}:
        values["attending"] = Attending(part)
    elif key == "BYDAY" and all(BYDAY.match(day) for day in value.split(",")):
        values["byday"] = tuple(value.split(","))
    elif key == "BYMONTHDAY" and all(day.isdigit() and 1 <= int(day) <= 31 for day in value.split(",")):
        values["bymonthday"] = tuple(int(day) for day in value.split(","))
    elif key == "INTERVAL" and value.isdigit() and 1 <= int(value) <= 12:
        values["interval"] = int(value)
    elif key in ("DTSTART", "VALID_FROM", "VALID_TO") and DATE.match(value):
        values[key.lower()] = _date(value, rule)
    elif key in ("EXDATE", "RDATE") and all(DATE.match(day) for day in value.split(",")):
        values[key.lower() + "s"] = tuple(_date(day, rule) for day in value.split(","))
    elif key == "NOTE" and value and len(value) <= 100:
        values["note"] = value
    else:
        raise ScheduleError(f"cannot read '{part[:40]}' in '{rule[:60]}' (see data/README.md, schedules)")


def _date(text: str, rule: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ScheduleError(f"'{text}' in '{rule[:60]}' is not a real date (YYYY-MM-DD)") from None


def _checked(values: dict[str, object], rule: str) -> Schedule:
    if "times" not in values:
        raise ScheduleError(f"'{rule[:60]}' needs its times, like 09:00-17:00")
    if "attending" not in values:
        raise ScheduleError(f"'{rule[:60]}' needs how people attend: in person, online or phone")
    if not values.get("byday") and not values.get("bymonthday"):
        raise ScheduleError(f"'{rule[:60]}' needs BYDAY or BYMONTHDAY")
    weekly = values["freq"] is Frequency.WEEKLY
    if weekly and any(not day.isalpha() for day in values.get("byday", ())):  # type: ignore[attr-defined]
        raise ScheduleError(f"'{rule[:60]}': a weekly rule's days have no week numbers (use MONTHLY for 3TH)")
    if int(values.get("interval", 1)) > 1 and "dtstart" not in values:  # type: ignore[call-overload]
        raise ScheduleError(f"'{rule[:60]}': INTERVAL needs DTSTART, the date of one real session")
    opens, closes = _times(str(values.pop("times")))
    if closes is not None and closes <= opens:
        raise ScheduleError(f"'{rule[:60]}': it closes before it opens (split a night into two rules)")
    return Schedule(opens_at=opens, closes_at=closes, **values)  # type: ignore[arg-type]


def _times(text: str) -> tuple[time, time | None]:
    match = TIMES.match(text)
    assert match is not None
    opens = time(int(match.group(1)), int(match.group(2)))
    if match.group(5):
        return opens, None
    return opens, time(int(match.group(3)), int(match.group(4)))


def format_rule(schedule: Schedule) -> str:
    """The compact form of one rule, in a fixed order (so export -> import changes nothing)."""
    parts = [schedule.freq.value]
    if schedule.interval != 1:
        parts.append(f"INTERVAL={schedule.interval}")
    for key, value in (("DTSTART", schedule.dtstart), ("VALID_FROM", schedule.valid_from),
                       ("VALID_TO", schedule.valid_to)):  # fmt: skip
        if value:
            parts.append(f"{key}={value.isoformat()}")
    if schedule.byday:
        parts.append("BYDAY=" + ",".join(schedule.byday))
    if schedule.bymonthday:
        parts.append("BYMONTHDAY=" + ",".join(map(str, schedule.bymonthday)))
    closes = schedule.closes_at.strftime("%H:%M") if schedule.closes_at else "24:00"
    parts += [f"{schedule.opens_at:%H:%M}-{closes}", schedule.attending.value]
    for key, dates in (("EXDATE", schedule.exdates), ("RDATE", schedule.rdates)):
        if dates:
            parts.append(f"{key}=" + ",".join(day.isoformat() for day in dates))
    if schedule.note:
        parts.append(f"NOTE={schedule.note}")
    return ";".join(parts)


def format_cell(schedules: tuple[Schedule, ...]) -> str:
    return " | ".join(format_rule(schedule) for schedule in schedules)
