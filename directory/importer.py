"""CSV import and export of listings (`data/organisations.csv`, columns in `data/README.md`).

Import is all or nothing: every row is validated first and every problem reported with its row and column; only a
file with no problems is written, in the caller's transaction. Importing the same file again changes nothing.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from directory import catalogue
from directory.errors import InvalidListing, Problem
from directory.listing import COLUMNS, Listing, parse_listing
from directory.models import Service

FIRST_DATA_ROW = 2  # row 1 is the header, as a spreadsheet numbers them


class ImportRejected(Exception):
    """The file has problems; nothing was imported."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was imported")
        self.problems = problems


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged"


def read_listings(text: str) -> list[Listing]:
    """Parse and validate a whole CSV text; raise ImportRejected listing every problem in every row."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = reader.fieldnames or []
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ImportRejected([Problem(column, "column is missing from the header row", 1) for column in missing])
    listings: list[Listing] = []
    problems: list[Problem] = []
    for row_number, row in enumerate(reader, start=FIRST_DATA_ROW):
        if None in row:
            problems.append(Problem("(end of row)", "has more cells than the header row", row_number))
            continue
        try:
            listings.append(parse_listing(row, row=row_number))
        except InvalidListing as invalid:
            problems.extend(invalid.problems)
    problems.extend(_duplicate_ids(listings))
    if problems:
        raise ImportRejected(problems)
    return listings


def _duplicate_ids(listings: list[Listing]) -> list[Problem]:
    counts = Counter(listing.id for listing in listings)
    rows = {listing.id: FIRST_DATA_ROW + index for index, listing in reversed(list(enumerate(listings)))}
    return [Problem("id", f"'{id_}' is used by {n} rows; ids must be unique", rows[id_]) for id_, n in counts.items() if n > 1]


def import_listings(session: Session, listings: list[Listing]) -> ImportReport:
    report = ImportReport()
    for listing in listings:
        outcome = catalogue.save_listing(session, listing)
        getattr(report, outcome.value).append(listing.id)
    return report


def import_file(session: Session, path: Path) -> ImportReport:
    return import_listings(session, read_listings(path.read_text(encoding="utf-8")))


def export_text(session: Session) -> str:
    """Every listing in the database as CSV, in the importer's format, ordered by id."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for service in session.exec(select(Service).order_by(Service.id)):
        writer.writerow(catalogue.listing_of(service).as_row())
    return buffer.getvalue()
