"""When a service meets or opens, as plain form fields (days, which week, from, to, how people attend), no
JavaScript: each row of the form becomes one rule of the CSV's compact form (listings/schedules.py), and back.

Parts a row cannot show (a date range, cancelled or extra sessions, days of the month) ride along unchanged in a
hidden field, so editing the times never loses them. The validator checks the rules as it checks a CSV cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from starlette.datastructures import FormData

from directory.listings import schedules
from directory.listings.schedule_words import DAY_NAMES, ORDER
from directory.listings.schedules import Frequency, Schedule

MAX_ROWS = 6
SPARE_ROWS = 2  # empty rows shown after the existing ones
WEEKS = {
    "weekly": "Every week",
    "fortnightly": "Every other week",
    "1": "First week of the month",
    "2": "Second week of the month",
    "3": "Third week of the month",
    "4": "Fourth week of the month",
    "-1": "Last week of the month",
}
ATTENDING = [
    (mode.value, mode.value.capitalize() if mode.value != "phone" else "By phone") for mode in schedules.Attending
]
TIME = re.compile(r"^(\d{1,2})[:.](\d{2})$")


@dataclass(frozen=True)
class ScheduleFields:
    """One row of the form, as strings."""

    days: tuple[str, ...] = ()
    week: str = "weekly"
    opens: str = ""
    closes: str = ""
    attending: str = ""
    first: str = ""  # the date of one session, for every other week
    note: str = ""
    keep: str = ""  # the rule's other parts, e.g. 'VALID_FROM=2026-01-01;EXDATE=2026-12-25'
    raw: str = ""  # a rule the plain fields cannot show exactly (1TU,3TU): edited in the CSV's compact form


def fields_of(schedule: Schedule) -> ScheduleFields:
    """A rule as a form row."""
    week = "fortnightly" if schedule.interval == 2 else "weekly"
    if schedule.freq is Frequency.MONTHLY and schedule.byday:
        week = schedule.byday[0][:-2]
    keep = [part for part in schedules.format_rule(schedule).split(";") if part.split("=")[0] in KEPT]
    closes = "00:00" if schedule.closes_at is None else f"{schedule.closes_at:%H:%M}"
    return ScheduleFields(
        days=tuple(dict.fromkeys(code[-2:] for code in schedule.byday)),
        week=week,
        opens=f"{schedule.opens_at:%H:%M}",
        closes=closes,
        attending=schedule.attending.value,
        first=schedule.dtstart.isoformat() if schedule.dtstart else "",
        note=schedule.note,
        keep=";".join(keep),
    )


KEPT = {"VALID_FROM", "VALID_TO", "EXDATE", "RDATE", "BYMONTHDAY"}


def _exact_fields(schedule: Schedule) -> ScheduleFields:
    fields = fields_of(schedule)
    if schedules.parse(rule_of(fields)) == (schedule,):
        return fields
    return ScheduleFields(raw=schedules.format_rule(schedule))


def rows_for(cell: str) -> list[ScheduleFields]:
    """The form's rows for a cell: one per rule, then empty ones (a cell we cannot read shows empty rows)."""
    try:
        found = [_exact_fields(schedule) for schedule in schedules.parse(cell)]
    except schedules.ScheduleError:
        found = []
    return (found + [ScheduleFields()] * SPARE_ROWS)[: max(MAX_ROWS, len(found))]


def cell_from_form(form: FormData) -> str:
    """The rules the form's rows describe, as one CSV cell (an incomplete row is kept, so the validator names it)."""
    rules = []
    for number in range(1, MAX_ROWS + 1):
        fields = _read_row(form, number)
        if fields.raw:
            rules.append(fields.raw.replace("|", "/"))
        elif fields.days or fields.opens or fields.closes or fields.note or fields.keep:
            rules.append(rule_of(fields))
    return " | ".join(rules)


def _read_row(form: FormData, number: int) -> ScheduleFields:
    def value(name: str) -> str:
        found = form.get(f"schedule-{number}-{name}", "")
        return found.strip() if isinstance(found, str) else ""

    days = tuple(day for day in ORDER if day in form.getlist(f"schedule-{number}-days"))
    return ScheduleFields(days, value("week") or "weekly", value("opens"), value("closes"), value("attending"),
                          value("first"), value("note").replace(";", ",").replace("|", "/"), value("keep"),
                          value("raw"))  # fmt: skip


def rule_of(fields: ScheduleFields) -> str:
    parts = ["WEEKLY" if fields.week in ("weekly", "fortnightly") else "MONTHLY"]
    if fields.week == "fortnightly":
        parts += ["INTERVAL=2", f"DTSTART={fields.first}" if fields.first else ""]
    prefix = fields.week if fields.week in WEEKS and fields.week not in ("weekly", "fortnightly") else ""
    if fields.days:
        parts.append("BYDAY=" + ",".join(prefix + day for day in fields.days))
    closes = "24:00" if _time(fields.closes) == "00:00" else _time(fields.closes)
    parts += [f"{_time(fields.opens)}-{closes}" if fields.opens or fields.closes else "", fields.attending]
    parts += fields.keep.split(";") + ([f"NOTE={fields.note}"] if fields.note else [])
    return ";".join(part for part in parts if part)


def _time(text: str) -> str:
    """'9:30' or '09.30' -> '09:30'; anything else unchanged (the validator then names it)."""
    match = TIME.match(text)
    return f"{int(match.group(1)):02d}:{match.group(2)}" if match else text


DAY_CHOICES = [(code, DAY_NAMES[code]) for code in ORDER]
