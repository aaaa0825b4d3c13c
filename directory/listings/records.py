"""One listing as the JSON API shows it, and the examples the OpenAPI document gives for it."""

from __future__ import annotations

import csv
import io
from typing import Any

from directory.listings import catalogue, exports, fictional
from directory.listings.listing import Listing
from directory.listings.models import Service
from directory.listings.schema import COLUMNS


def listing_detail(service: Service) -> dict[str, Any]:
    record = exports.listing_record(catalogue.listing_of(service))
    return record | {
        "uuid": service.uuid,
        "links": {"page": f"/services/{service.id}", "oruk": f"/api/oruk/services/{service.uuid}"},
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
    return listing_detail(fictional.example_service())
