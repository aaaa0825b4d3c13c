"""When services meet and open: recurrence over two years (checked against the calendar module, an independent
oracle), the clock changes, "open now" at its edges, closures, cancelled and extra sessions, and the words."""

from __future__ import annotations

import calendar as stdlib_calendar
from datetime import UTC, date, datetime, timedelta

import pytest

from directory.listings import schedule_words, schedules, timetable, when
from directory.listings.taxonomy import likely_specificity
from directory.listings.timetable import UK

TWO_YEARS = (datetime(2027, 1, 1, tzinfo=UK), datetime(2029, 1, 1, tzinfo=UK))


def dates(cell: str, start: datetime = TWO_YEARS[0], end: datetime = TWO_YEARS[1]) -> list[date]:
    (rule,) = schedules.parse(cell)
    return [session.starts.date() for session in timetable.sessions(rule, start, end)]


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date | None:
    """The calendar module's answer: the nth (or, for -1, the last) given weekday of a month."""
    days = [week[weekday] for week in stdlib_calendar.monthcalendar(year, month) if week[weekday]]
    if n == -1:
        return date(year, month, days[-1])
    return date(year, month, days[n - 1]) if len(days) >= n else None


MONTHS = [(year, month) for year in (2027, 2028) for month in range(1, 13)]


def test_third_thursday_of_every_month_for_two_years() -> None:
    expected = [nth_weekday(year, month, stdlib_calendar.THURSDAY, 3) for year, month in MONTHS]
    assert dates("MONTHLY;BYDAY=3TH;11:00-13:00;in person") == expected
    assert len(expected) == 24


def test_last_wednesday_of_every_month_for_two_years() -> None:
    expected = [nth_weekday(year, month, stdlib_calendar.WEDNESDAY, -1) for year, month in MONTHS]
    assert dates("MONTHLY;BYDAY=-1WE;11:00-13:00;online") == expected
    assert date(2028, 2, 23) in expected  # a leap February's last Wednesday


def test_fifth_thursdays_happen_only_in_months_that_have_one() -> None:
    expected = [found for year, month in MONTHS if (found := nth_weekday(year, month, stdlib_calendar.THURSDAY, 5))]
    got = dates("MONTHLY;BYDAY=5TH;18:00-20:00;in person")
    assert got == expected
    assert 6 <= len(got) < 24  # some months, not all


def test_every_other_week_keeps_its_phase_from_a_real_session() -> None:
    got = dates("WEEKLY;INTERVAL=2;DTSTART=2026-01-08;BYDAY=TH;10:00-12:00;in person")
    assert all((day - date(2026, 1, 8)).days % 14 == 0 for day in got)
    assert len(got) in (52, 53)


def test_weekly_hours_cover_every_weekday_for_two_years() -> None:
    got = dates("WEEKLY;BYDAY=MO,TU,WE,TH,FR;09:00-17:00;phone")
    assert len(got) == sum(1 for n in range(731) if (TWO_YEARS[0].date() + timedelta(days=n)).weekday() < 5)
    assert all(day.weekday() < 5 for day in got)


@pytest.mark.parametrize(
    ("change", "offset_before", "offset_after"),
    [(date(2027, 3, 28), 0, 1), (date(2027, 10, 31), 1, 0)],  # clocks go forward, then back
)
def test_sessions_stay_at_their_local_time_across_the_clock_changes(
    change: date, offset_before: int, offset_after: int
) -> None:
    (rule,) = schedules.parse("WEEKLY;BYDAY=SU;11:00-13:00;in person")
    start = datetime.combine(change - timedelta(days=7), datetime.min.time(), tzinfo=UK)
    before, on_the_day, after = timetable.sessions(rule, start, start + timedelta(days=15))
    for session in (before, on_the_day, after):
        assert (session.starts.hour, session.starts.minute) == (11, 0)
    assert on_the_day.starts.date() == change
    assert before.starts.utcoffset() == timedelta(hours=offset_before)
    assert on_the_day.starts.utcoffset() == after.starts.utcoffset() == timedelta(hours=offset_after)
    assert on_the_day.ends - on_the_day.starts == timedelta(hours=2)


def test_a_24_hour_line_is_open_through_both_clock_changes() -> None:
    (rule,) = schedules.parse("WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;00:00-24:00;phone")
    for moment in (datetime(2027, 3, 28, 1, 30, tzinfo=UK), datetime(2027, 10, 31, 1, 30, tzinfo=UK)):
        assert timetable.open_state([rule], moment).open


def state(cell: str, moment: datetime, closed_until: date | None = None) -> str:
    timing = when.timing(schedules.parse(cell), moment, closed_until)
    assert timing is not None
    return timing.open_line


HELPLINE = "WEEKLY;BYDAY=MO,TU,WE,TH,FR;09:00-17:00;phone | WEEKLY;BYDAY=SA;09:00-13:00;phone"
WEDNESDAY = date(2027, 6, 16)  # in British Summer Time


@pytest.mark.parametrize(
    ("hour", "minute", "second", "expected"),
    [
        (8, 59, 59, "Closed now: opens today at 9am"),
        (9, 0, 0, "Open now, until 5pm"),
        (16, 59, 59, "Open now, until 5pm"),
        (17, 0, 0, "Closed now: opens tomorrow at 9am"),
        (23, 59, 59, "Closed now: opens tomorrow at 9am"),
    ],
)
def test_open_now_at_its_edges(hour: int, minute: int, second: int, expected: str) -> None:
    assert state(HELPLINE, datetime(2027, 6, 16, hour, minute, second, tzinfo=UK)) == expected


def test_open_now_over_the_weekend() -> None:
    assert state(HELPLINE, datetime(2027, 6, 18, 17, 0, tzinfo=UK)) == "Closed now: opens tomorrow at 9am"
    assert state(HELPLINE, datetime(2027, 6, 19, 12, 59, tzinfo=UK)) == "Open now, until 1pm"
    assert state(HELPLINE, datetime(2027, 6, 19, 13, 0, tzinfo=UK)) == "Closed now: opens Monday at 9am"


def test_open_now_is_worked_out_in_uk_time_whatever_the_clock_zone() -> None:
    utc_moment = datetime(2027, 6, 16, 8, 30, tzinfo=UTC)  # 9:30am in London (British Summer Time)
    assert state(HELPLINE, utc_moment) == "Open now, until 5pm"


def test_a_line_open_all_day_and_a_line_open_overnight() -> None:
    assert state("WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;00:00-24:00;phone", datetime(2027, 6, 16, 3, tzinfo=UK)) == (
        "Open now, 24 hours a day"
    )
    overnight = "WEEKLY;BYDAY=MO,TU,WE,TH;18:00-24:00;phone | WEEKLY;BYDAY=TU,WE,TH,FR;00:00-02:00;phone"
    assert state(overnight, datetime(2027, 6, 16, 23, tzinfo=UK)) == "Open now, until tomorrow at 2am"
    assert state(overnight, datetime(2027, 6, 17, 1, 59, tzinfo=UK)) == "Open now, until 2am"
    assert state(overnight, datetime(2027, 6, 17, 2, 0, tzinfo=UK)) == "Closed now: opens today at 6pm"


def test_a_temporary_closure_stops_sessions_and_opening_until_it_ends() -> None:
    timing = when.timing(schedules.parse(HELPLINE), datetime(2027, 6, 16, 10, tzinfo=UK), date(2027, 6, 20))
    assert timing is not None and timing.closed_line == "Temporarily closed until Sunday 20 June 2027"
    assert timing.open_line == "Closed now: opens Monday at 9am"
    group = when.timing(
        schedules.parse("MONTHLY;BYDAY=3TH;11:00-13:00;in person"),
        datetime(2027, 6, 1, tzinfo=UK),
        closed_until=date(2027, 7, 31),
    )
    assert group is not None and group.next_dates[0] == "Thursday 19 August, 11am to 1pm"


def test_a_closure_in_the_past_is_forgotten() -> None:
    timing = when.timing(schedules.parse(HELPLINE), datetime(2027, 6, 16, 10, tzinfo=UK), date(2027, 6, 1))
    assert timing is not None and timing.closed_until is None and timing.open_line == "Open now, until 5pm"


def test_cancelled_and_extra_sessions() -> None:
    cell = "MONTHLY;BYDAY=3TH;11:00-13:00;in person;EXDATE=2027-07-15;RDATE=2027-07-22"
    got = dates(cell, datetime(2027, 6, 1, tzinfo=UK), datetime(2027, 9, 1, tzinfo=UK))
    assert got == [date(2027, 6, 17), date(2027, 7, 22), date(2027, 8, 19)]


def test_valid_from_and_to_bound_the_sessions() -> None:
    cell = "MONTHLY;VALID_FROM=2027-03-01;VALID_TO=2027-05-31;BYDAY=2TU;11:00-13:00;in person"
    assert dates(cell) == [date(2027, 3, 9), date(2027, 4, 13), date(2027, 5, 11)]


def test_a_meet_up_in_words() -> None:
    now = datetime(2026, 12, 2, 10, tzinfo=UK)
    timing = when.timing(schedules.parse("MONTHLY;BYDAY=3TH;11:00-13:00;in person;NOTE=Central Library"), now)
    assert timing is not None
    (meetup,) = timing.meetups
    assert meetup.pattern == "the third Thursday of every month, 11am to 1pm"
    assert timing.next_dates == (
        "Thursday 17 December, 11am to 1pm",
        "Thursday 21 January 2027, 11am to 1pm",
        "Thursday 18 February 2027, 11am to 1pm",
    )
    assert timing.summary == ("Next: Thursday 17 December, 11am to 1pm",)


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        ("WEEKLY;BYDAY=MO,TU,WE,TH,FR;09:00-17:00;phone", "Monday to Friday, 9am to 5pm, by phone"),
        ("WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA,SU;00:00-24:00;phone", "every day, 24 hours, by phone"),
        ("WEEKLY;BYDAY=TU,TH;09:30-12:00;in person", "Tuesday and Thursday, 9:30am to midday, in person"),
        ("MONTHLY;BYDAY=-1WE;18:30-20:00;online", "the last Wednesday of every month, 6:30pm to 8pm, online"),
        ("MONTHLY;BYMONTHDAY=1;10:00-11:00;online", "the 1st of every month, 10am to 11am, online"),
        (
            "WEEKLY;INTERVAL=2;DTSTART=2027-01-07;BYDAY=TH;10:00-12:00;in person;EXDATE=2027-01-21",
            "every other Thursday, 10am to midday, in person, not on Thursday 21 January 2027",
        ),
    ],
)
def test_rules_in_words(cell: str, words: str) -> None:
    assert schedule_words.describe_all(schedules.parse(cell)) == words


def test_weekly_hours_as_a_table() -> None:
    timing = when.timing(schedules.parse(HELPLINE), datetime(2027, 6, 16, 10, tzinfo=UK))
    assert timing is not None
    (table,) = timing.tables
    assert table.caption == "When the phone line is open"
    assert table.rows == (
        ("Monday", "9am to 5pm"), ("Tuesday", "9am to 5pm"), ("Wednesday", "9am to 5pm"), ("Thursday", "9am to 5pm"),
        ("Friday", "9am to 5pm"), ("Saturday", "9am to 1pm"), ("Sunday", "Closed"),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [("A group for women with metastatic breast cancer", "secondary-breast-cancer"),
     ("Support after a breast cancer diagnosis", "breast-cancer"),
     ("A drop-in for anyone affected by cancer", "any-cancer"),
     ("Hospice care at home", "life-limiting-illness"),
     ("Free debt advice", "anyone")],
)  # fmt: skip
def test_a_suggestions_likely_specificity_is_the_narrowest_its_words_name(text: str, expected: str) -> None:
    assert likely_specificity(text).value == expected
