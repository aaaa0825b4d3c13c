"""The whole directory as JSON records, in the CSV's columns, and back again.

A record is one listing: the CSV's columns as keys, lists as arrays, latitude and longitude as numbers (left out
when the listing has none). Reading records back goes through the one validator (`listing.parse_listing`), so a JSON
export imports exactly as the CSV export does, and an export -> import round trip changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict
from datetime import date
from enum import Enum
from typing import Any

from sqlmodel import Session, select

from directory.errors import InvalidListing, Problem
from directory.listings import catalogue, schedules
from directory.listings.importer import FIRST_DATA_ROW, ImportRejected
from directory.listings.listing import Listing, parse_listing
from directory.listings.models import Service


def listing_record(listing: Listing) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for name, value in asdict(listing).items():
        if value is None:
            continue
        if name == "schedules":
            value = [schedules.format_rule(schedule) for schedule in listing.schedules]  # the CSV's rules, as a list
        elif isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Enum):
            value = value.value
        elif isinstance(value, date):
            value = value.isoformat()
        record[name] = value
    return record


def export_records(session: Session) -> list[dict[str, Any]]:
    """Every listing, ordered by id, as the importer's CSV export orders them."""
    return [
        listing_record(catalogue.listing_of(service)) for service in session.exec(select(Service).order_by(Service.id))
    ]


def listing_from_record(record: Mapping[str, Any], *, row: int | None = None) -> Listing:
    """A JSON record as the CSV cells it stands for, checked by the one validator."""
    cells = {key: _cell(key, value) for key, value in record.items()}
    return parse_listing(cells, row=row)


def _cell(key: str, value: Any) -> str:
    if isinstance(value, list):
        return (" | " if key == "schedules" else ";").join(map(str, value))
    return "" if value is None else str(value)


def read_records(text: str) -> list[Listing]:
    """Parse a JSON export; raise ImportRejected with every problem, numbered as rows like the CSV's."""
    try:
        records = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRejected([Problem("(file)", f"is not JSON: {error.msg} at line {error.lineno}")]) from error
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise ImportRejected([Problem("(file)", "must be a JSON array of listing records")])
    listings: list[Listing] = []
    problems: list[Problem] = []
    for number, record in enumerate(records, start=FIRST_DATA_ROW):
        try:
            listings.append(listing_from_record(record, row=number))
        except InvalidListing as invalid:
            problems.extend(invalid.problems)
    if problems:
        raise ImportRejected(problems)
    return listings
