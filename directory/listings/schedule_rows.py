"""Schedules between their domain form (`schedules.Schedule`) and their table (`ScheduleRow`, ORUK's columns)."""

from __future__ import annotations

from datetime import date, time

from directory.listings.models import ScheduleRow, public_uuid
from directory.listings.schedules import Attending, Frequency, Schedule


def to_rows(service_id: str, schedules: tuple[Schedule, ...]) -> list[ScheduleRow]:
    return [
        ScheduleRow(
            id=f"{service_id}-schedule-{position}",
            uuid=public_uuid("schedule", f"{service_id}:{position}"),
            service_id=service_id,
            position=position,
            freq=schedule.freq.value,
            interval=schedule.interval,
            byday=",".join(schedule.byday),
            bymonthday=",".join(map(str, schedule.bymonthday)),
            dtstart=schedule.dtstart,
            opens_at=f"{schedule.opens_at:%H:%M}",
            closes_at=f"{schedule.closes_at:%H:%M}" if schedule.closes_at else "24:00",
            valid_from=schedule.valid_from,
            valid_to=schedule.valid_to,
            attending_type=schedule.attending.value,
            exdates=",".join(day.isoformat() for day in schedule.exdates),
            rdates=",".join(day.isoformat() for day in schedule.rdates),
            description=schedule.note,
        )
        for position, schedule in enumerate(schedules, start=1)
    ]


def from_rows(rows: list[ScheduleRow]) -> tuple[Schedule, ...]:
    return tuple(
        Schedule(
            freq=Frequency(row.freq),
            opens_at=time.fromisoformat(row.opens_at),
            closes_at=None if row.closes_at == "24:00" else time.fromisoformat(row.closes_at),
            attending=Attending(row.attending_type),
            byday=tuple(day for day in row.byday.split(",") if day),
            bymonthday=tuple(int(day) for day in row.bymonthday.split(",") if day),
            interval=row.interval,
            dtstart=row.dtstart,
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            exdates=tuple(date.fromisoformat(day) for day in row.exdates.split(",") if day),
            rdates=tuple(date.fromisoformat(day) for day in row.rdates.split(",") if day),
            note=row.description,
        )
        for row in sorted(rows, key=lambda row: row.position)
    )
