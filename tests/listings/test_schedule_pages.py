"""Schedules as people meet them: the next dates and the weekly hours on a service's page, "open now" worked out
at request time (a frozen clock here), calendar files that expand to the same dates, the time filters of search,
the shortlist's calendar, the JSON API and the ORUK feed; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from directory import db
from directory.listings import importer, schedule_words, schedules, timetable
from directory.listings.timetable import UK
from directory.settings import PROJECT_ROOT
from tests.conftest import add_listings, centre_row, listing_row
from tests.openreferral.schemas import assert_valid
from tests.signposting.conftest import add

WEDNESDAY_MORNING = datetime(2026, 12, 2, 10, 0, tzinfo=UK)
GROUP = "MONTHLY;BYDAY=3TH;11:00-13:00;in person;NOTE=Example Library"


def group_row(**overrides: str) -> dict[str, str]:
    return centre_row(id="example-group-leeds", name="Example Group Leeds", schedules=GROUP, opening_hours="",
                      specificity="secondary-breast-cancer") | overrides  # fmt: skip


def helpline_row(**overrides: str) -> dict[str, str]:
    return listing_row(schedules="WEEKLY;BYDAY=MO,TU,WE,TH,FR;09:00-17:00;phone") | overrides


@pytest.fixture
def clock(app: FastAPI) -> list[datetime]:
    """The app's clock, frozen; a test moves it by changing the list's one item."""
    frozen = [WEDNESDAY_MORNING]
    app.state.clock = lambda: frozen[0]
    return frozen


def text_of(client: TestClient, path: str, selector: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, response.text[:300]
    found = BeautifulSoup(response.text, "html.parser").select_one(selector)
    assert found is not None, f"{selector} not on {path}"
    return " ".join(found.get_text(" ").split())


def expanded(ics: bytes, start: datetime, end: datetime) -> list[datetime]:
    calendar = icalendar.Calendar.from_ical(ics)
    return sorted(event["DTSTART"].dt for event in recurring_ical_events.of(calendar).between(start, end))


def test_a_meet_up_page_shows_the_next_date_the_two_after_and_the_pattern(
    app: FastAPI, client: TestClient, clock: list[datetime]
) -> None:
    add_listings(app, group_row())
    timing = text_of(client, "/services/example-group-leeds", ".timing")
    assert "Next: Thursday 17 December, 11am to 1pm" in timing
    assert "This group meets in person on the third Thursday of every month, 11am to 1pm (Example Library)" in timing
    assert "Thursday 21 January 2027, 11am to 1pm and Thursday 18 February 2027, 11am to 1pm" in timing
    clock[0] = datetime(2026, 12, 17, 13, 0, tzinfo=UK)  # the session has just ended
    assert "Next: Thursday 21 January 2027" in text_of(client, "/services/example-group-leeds", ".timing")


def test_the_calendar_file_expands_to_the_dates_the_page_shows(
    app: FastAPI, client: TestClient, clock: list[datetime]
) -> None:
    add_listings(app, group_row(schedules=GROUP + ";EXDATE=2027-01-21"))
    response = client.get("/services/example-group-leeds/calendar.ics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert "attachment" in response.headers["content-disposition"]
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    (event,) = calendar.walk("VEVENT")
    assert event["RRULE"]["FREQ"] == ["MONTHLY"] and event["RRULE"]["BYDAY"] == ["3TH"]
    assert [moment.dt.date() for moment in event["EXDATE"].dts] == [date(2027, 1, 21)]
    assert "1 Example Street" in str(event["LOCATION"])

    starts = expanded(response.content, WEDNESDAY_MORNING, WEDNESDAY_MORNING + timedelta(days=730))
    assert len(starts) == 23 and date(2027, 1, 21) not in {moment.date() for moment in starts}
    assert all((moment.hour, moment.minute) == (11, 0) for moment in starts)  # UK time, summer and winter
    page = text_of(client, "/services/example-group-leeds", ".timing")
    for moment in starts[:3]:
        assert schedule_words.long_day(moment.date(), today=WEDNESDAY_MORNING.date()) in page
    (rule,) = schedules.parse(GROUP + ";EXDATE=2027-01-21")
    assert starts == [s.starts for s in timetable.sessions(rule, WEDNESDAY_MORNING, starts[-1] + timedelta(hours=1))]


def test_a_calendar_with_every_other_week_and_extra_sessions_keeps_its_dates(
    app: FastAPI, client: TestClient, clock: list[datetime]
) -> None:
    cell = "WEEKLY;INTERVAL=2;DTSTART=2026-01-08;BYDAY=TH;10:00-12:00;in person;RDATE=2026-12-19;VALID_TO=2027-12-31"
    add_listings(app, group_row(schedules=cell))
    ics = client.get("/services/example-group-leeds/calendar.ics").content
    (rule,) = schedules.parse(cell)
    end = datetime(2028, 1, 1, tzinfo=UK)
    assert expanded(ics, WEDNESDAY_MORNING, end) == [s.starts for s in timetable.sessions(rule, WEDNESDAY_MORNING, end)]


def test_a_helpline_shows_its_hours_and_whether_it_is_open_now(
    app: FastAPI, client: TestClient, clock: list[datetime]
) -> None:
    add_listings(app, helpline_row())
    timing = text_of(client, "/services/example-helpline", ".timing")
    assert "Open now, until 5pm" in timing
    assert "Monday 9am to 5pm" in timing and "Saturday Closed" in timing
    clock[0] = datetime(2026, 12, 4, 17, 30, tzinfo=UK)  # Friday evening
    assert "Closed now: opens Monday at 9am" in text_of(client, "/services/example-helpline", ".timing")


def test_a_temporary_closure_is_said_on_the_page_and_the_card(
    app: FastAPI, client: TestClient, clock: list[datetime]
) -> None:
    add_listings(app, helpline_row(closed_until="2026-12-20"))
    assert "Temporarily closed until Sunday 20 December 2026" in text_of(
        client, "/services/example-helpline", ".timing"
    )
    assert "Temporarily closed" in text_of(client, "/services", ".cards")


def test_search_filters_open_now_and_meets_soon(app: FastAPI, client: TestClient, clock: list[datetime]) -> None:
    add_listings(
        app,
        helpline_row(),
        group_row(),
        group_row(id="example-later-group", schedules="MONTHLY;BYDAY=-1TH;11:00-13:00;in person"),
    )

    def found(when: str) -> set[str]:
        body = client.get("/api/v1/search", params={"location": "LS1 3EX", "when": when}).json()
        return {hit["id"] for group in ("nearby", "remote") for hit in body[group]["results"]}

    assert found("open") == {"example-helpline"}
    assert found("") == {"example-helpline", "example-group-leeds", "example-later-group"}
    clock[0] = datetime(2026, 12, 5, 10, 0, tzinfo=UK)  # Saturday: the line is closed; the 17th is 12 days away
    assert found("open") == set()
    assert found("soon") == {"example-group-leeds"}  # the last Thursday (31st) is more than 2 weeks away
    page = client.get("/search", params={"location": "LS1 3EX", "when": "soon"})
    assert "Next: Thursday 17 December, 11am to 1pm" in " ".join(
        BeautifulSoup(page.text, "html.parser").get_text().split()
    )
    bad = client.get("/search", params={"location": "LS1 3EX", "when": "tomorrow"})
    assert bad.status_code == 400 and "Choose when" in bad.text


def test_the_json_api_gives_the_next_sessions_and_open_now(
    app: FastAPI, client: TestClient, clock: list[datetime]
) -> None:
    add_listings(app, group_row(), helpline_row())
    group = client.get("/api/v1/services/example-group-leeds").json()["timing"]
    assert [session["starts"] for session in group["next_sessions"]] == [
        "2026-12-17T11:00:00+00:00", "2027-01-21T11:00:00+00:00", "2027-02-18T11:00:00+00:00",
    ]  # fmt: skip
    helpline = client.get("/api/v1/services/example-helpline").json()["timing"]
    assert helpline["open_now"] is True and helpline["open_text"] == "Open now, until 5pm"


def test_a_shortlist_has_one_calendar_of_its_services(app: FastAPI, client: TestClient, clock: list[datetime]) -> None:
    add_listings(app, group_row(), helpline_row(), centre_row())
    for service_id in ("example-group-leeds", "example-helpline", "example-centre-leeds"):
        add(client, service_id)
    page = client.get("/list")
    assert "/list/calendar.ics" in page.text
    calendar = icalendar.Calendar.from_ical(client.get("/list/calendar.ics").content)
    assert sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT")) == [
        "Example Group Leeds",
        "Example Helpline",
    ]
    sheet = " ".join(BeautifulSoup(client.get("/list/sheet").text, "html.parser").get_text().split())
    assert "Next: Thursday 17 December, 11am to 1pm" in sheet and "Monday to Friday, 9am to 5pm, by phone" in sheet


def test_the_oruk_feed_publishes_every_structured_schedule(app: FastAPI, client: TestClient) -> None:
    with db.session_scope(app.state.engine) as session:
        importer.import_file(session, PROJECT_ROOT / "data" / "organisations.csv")
    listed = client.get("/api/v1/export.json").json()
    with_schedules = [record for record in listed if record["schedules"]]
    assert len(with_schedules) >= 30
    for record in with_schedules:
        uuid = client.get(f"/api/v1/services/{record['id']}").json()["uuid"]
        service = client.get(f"/api/oruk/services/{uuid}").json()
        assert_valid(service, "service.json")
        assert len(service["schedules"]) == len(record["schedules"])
        for schedule in service["schedules"]:
            assert schedule["freq"] in ("WEEKLY", "MONTHLY")
            assert schedule.get("byday") or schedule.get("bymonthday")
            assert schedule["opens_at"] and schedule["closes_at"]
