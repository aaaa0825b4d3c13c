"""A person finds a secondary breast cancer group in a real browser, with no JavaScript: its page shows when it
next meets, and "Add to calendar" downloads a calendar file that holds that date."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import icalendar
import pytest
import recurring_ical_events

from directory.listings.timetable import UK

pytestmark = pytest.mark.browser
NEXT = re.compile(r"Next: (?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) (\d{1,2}) (\w+)(?: (\d{4}))?")


def test_a_meet_up_page_shows_the_next_date_and_its_calendar_downloads(live_server, chromium, tmp_path) -> None:  # type: ignore[no-untyped-def]
    context = chromium.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False,
                                   accept_downloads=True)  # fmt: skip
    page = context.new_page()
    page.goto(live_server.url + "/search?location=Blackpool&secondary=true&radius=10")
    page.locator(".card__title a", has_text="Blackpool").first.click()
    shown = page.locator(".meetup__next").first.inner_text()
    match = NEXT.search(shown)
    assert match, shown
    today = date.today()
    year = int(match.group(3) or today.year)
    next_date = datetime.strptime(f"{match.group(1)} {match.group(2)} {year}", "%d %B %Y").date()
    assert today <= next_date <= today + timedelta(days=60)

    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Add to calendar")).click()
    path = tmp_path / "group.ics"
    download.value.save_as(path)
    assert download.value.suggested_filename.endswith(".ics")
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    start = datetime.combine(today, datetime.min.time(), tzinfo=UK)
    dates = [
        event["DTSTART"].dt.date()
        for event in recurring_ical_events.of(calendar).between(start, start + timedelta(days=90))
    ]
    assert dates[0] == next_date
    context.close()
