"""One listing as the JSON API shows it, and the examples the OpenAPI document gives for it."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

from directory.listings import catalogue, exports, fictional, timetable, when
from directory.listings.listing import Listing
from directory.listings.models import Service
from directory.listings.schema import COLUMNS


def listing_detail(service: Service, now: datetime) -> dict[str, Any]:
    """The listing in the CSV's columns, with its ORUK id, its links and when it next meets or is open."""
    listing = catalogue.listing_of(service)
    return exports.listing_record(listing) | {
        "uuid": service.uuid,
        "links": {"page": f"/services/{service.id}", "oruk": f"/api/oruk/services/{service.uuid}"},
        "timing": when.timing_record(listing.schedules, now, listing.closed_until),
    }


def example_listing() -> Listing:
    return catalogue.listing_of(fictional.example_service())


def csv_example() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerow(example_listing().as_row())
    return buffer.getvalue()


def listing_example() -> dict[str, Any]:
    return listing_detail(fictional.example_service(), datetime(2026, 12, 1, 10, 0, tzinfo=timetable.UK))
