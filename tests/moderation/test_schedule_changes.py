"""Schedules in moderation: the plain form rows round-trip every bundled schedule, a change to when a group meets is
shown to the moderator in words, and an organisation reports one cancelled session without touching the pattern."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.datastructures import FormData

from directory.listings import catalogue, schedules
from directory.listings.timetable import UK
from directory.moderation import schedule_form
from directory.settings import PROJECT_ROOT
from tests.conftest import add_listings, listing_row
from tests.moderation.conftest import service
from tests.moderation_support import add_moderator, csrf_token, form_fields, reference_on, sign_in, soup_of

WEDNESDAY_MORNING = datetime(2026, 12, 2, 10, 0, tzinfo=UK)
GROUP = "MONTHLY;BYDAY=3TH;11:00-13:00;in person;NOTE=Example Library"


def form_of(rows: list[schedule_form.ScheduleFields]) -> FormData:
    """The rows as a browser posts them (unticked days and empty fields are sent as a browser sends them)."""
    items: list[tuple[str, str]] = []
    for number, row in enumerate(rows, start=1):
        items += [(f"schedule-{number}-days", day) for day in row.days]
        for name in ("week", "opens", "closes", "attending", "first", "note", "keep", "raw"):
            items.append((f"schedule-{number}-{name}", getattr(row, name)))
    return FormData(items)


def bundled_schedules() -> list[str]:
    with (PROJECT_ROOT / "data" / "organisations.csv").open(newline="", encoding="utf-8") as file:
        return [row["schedules"] for row in csv.DictReader(file) if row["schedules"]]


def test_every_bundled_schedule_survives_the_plain_form_unchanged() -> None:
    cells = bundled_schedules()
    assert len(cells) >= 30
    for cell in cells:
        posted = schedule_form.cell_from_form(form_of(schedule_form.rows_for(cell)))
        assert schedules.parse(posted) == schedules.parse(cell), cell


def test_a_row_of_plain_fields_becomes_a_rule() -> None:
    row = schedule_form.ScheduleFields(days=("TH",), week="3", opens="11:00", closes="13:00", attending="in person")
    assert schedules.parse(schedule_form.cell_from_form(form_of([row]))) == schedules.parse(
        "MONTHLY;BYDAY=3TH;11:00-13:00;in person"
    )


@pytest.fixture
def group(app: FastAPI) -> FastAPI:
    add_listings(app, listing_row(schedules=GROUP))
    add_moderator(app)
    frozen = WEDNESDAY_MORNING
    app.state.clock = lambda: frozen
    return app


def review_table(client: TestClient) -> list[list[str]]:
    assert sign_in(client).status_code == 303
    reference = reference_on(client.get("/moderate"))
    page = soup_of(client.get(f"/moderate/submissions/{reference}"))
    return [
        [" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])]
        for row in page.find("table", class_="changes").tbody.find_all("tr")
    ]


def test_a_new_meeting_day_is_shown_to_the_moderator_in_words(group: FastAPI, client: TestClient) -> None:
    data = form_fields(listing_row()) | {
        "csrf_token": csrf_token(client, "/services/example-helpline/suggest"), "message": "",
        "schedule-1-week": "-1", "schedule-1-days": "WE", "schedule-1-opens": "14:00", "schedule-1-closes": "15:30",
        "schedule-1-attending": "online",
    }  # fmt: skip
    del data["schedules"]
    sent = client.post("/services/example-helpline/suggest", data=data, follow_redirects=False)
    assert sent.status_code == 303, sent.text[:500]
    rows = review_table(client)
    assert [row[0] for row in rows] == ["When it meets or opens"]
    assert "third Thursday of every month, 11am to 1pm" in rows[0][1]
    assert "last Wednesday of every month, 2pm to 3:30pm" in rows[0][2]


def test_an_organisation_reports_one_cancelled_session(group: FastAPI, client: TestClient) -> None:
    page = soup_of(client.get("/services/example-helpline/cancelled"))
    choices = {str(box["value"]): box for box in page.find_all("input", attrs={"name": "session"})}
    assert "1:2026-12-17" in choices  # the third Thursday of December
    token = csrf_token(client, "/services/example-helpline/cancelled")
    refused = client.post("/services/example-helpline/cancelled", data={"csrf_token": token, "session": "1:2026-12-18"})
    assert refused.status_code == 422 and "Choose the session that is cancelled" in refused.text

    sent = client.post("/services/example-helpline/cancelled", data={"csrf_token": token, "session": "1:2026-12-17"},
                       follow_redirects=False)  # fmt: skip
    assert sent.status_code == 303
    rows = review_table(client)
    assert rows[0][0] == "When it meets or opens"
    assert "not on Thursday 17 December 2026" in rows[0][2] and "third Thursday of every month" in rows[0][2]
    assert catalogue.listing_of(service(group)).schedules == schedules.parse(
        GROUP
    )  # nothing changes until a moderator approves
