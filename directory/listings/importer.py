"""CSV import and export of listings (`data/organisations.csv`, columns in `data/README.md`).

Import is all or nothing: every row is validated first and every problem reported with its row and column; only a
file with no problems is written, in the caller's transaction. Importing the same file again changes nothing.

Once the service runs, the database is the truth: a listing changed through moderation since its last import
(`Service.version != Service.imported_version`) is never silently overwritten. Such rows are reported as conflicts
and nothing is imported, unless the import is forced, which the audit log records for each listing it overwrote.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, select

from directory.errors import InvalidListing, Problem
from directory.listings import audit, catalogue
from directory.listings.listing import Listing, parse_listing
from directory.listings.models import Service
from directory.listings.schema import COLUMNS

FIRST_DATA_ROW = 2  # row 1 is the header, as a spreadsheet numbers them
IMPORT_BATCH = 200
# A cell starting with one of these runs as a formula when the file is opened in a spreadsheet (CSV injection), so
# the export starts it with an apostrophe, as OWASP advises; the importer removes that apostrophe again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


def spreadsheet_safe(cell: str) -> str:
    """A cell that a spreadsheet will show as text: `=HYPERLINK(...)` becomes `'=HYPERLINK(...)`; numbers stay."""
    if cell.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def from_spreadsheet_safe(cell: str | None) -> str | None:
    """The cell as it was before `spreadsheet_safe`."""
    if cell and cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


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
    forced: list[str] = field(default_factory=list)  # overwrote changes made through moderation

    def summary(self) -> str:
        counts = f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged"
        return counts + (f", {len(self.forced)} moderated listing(s) overwritten by --force" if self.forced else "")


@dataclass(frozen=True)
class ImportConflict:
    row: int
    service_id: str
    version: int
    imported_version: int | None

    def __str__(self) -> str:
        return (
            f"row {self.row}, id {self.service_id}: changed through moderation since it was last imported "
            f"(now version {self.version}); export the database first, or import with --force to overwrite it"
        )


class ImportConflicts(Exception):
    """Rows would overwrite listings changed through moderation; nothing was imported."""

    def __init__(self, conflicts: list[ImportConflict]) -> None:
        super().__init__(f"{len(conflicts)} listing(s) changed through moderation; nothing was imported")
        self.conflicts = conflicts


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
            listings.append(
                parse_listing({key: from_spreadsheet_safe(value) for key, value in row.items()}, row=row_number)
            )
        except InvalidListing as invalid:
            problems.extend(invalid.problems)
    problems.extend(_duplicate_ids(listings))
    if problems:
        raise ImportRejected(problems)
    return listings


def _duplicate_ids(listings: list[Listing]) -> list[Problem]:
    counts = Counter(listing.id for listing in listings)
    rows = {listing.id: FIRST_DATA_ROW + index for index, listing in reversed(list(enumerate(listings)))}
    return [
        Problem("id", f"'{id_}' is used by {n} rows; ids must be unique", rows[id_])
        for id_, n in counts.items()
        if n > 1
    ]


def moderation_conflicts(session: Session, listings: list[Listing]) -> list[ImportConflict]:
    """Rows that differ from a listing changed through moderation since its last import."""
    conflicts = []
    for row, listing in enumerate(listings, start=FIRST_DATA_ROW):
        existing = session.get(Service, listing.id)
        moderated = existing is not None and existing.version != existing.imported_version
        if moderated and catalogue.listing_of(existing) != listing:  # type: ignore[arg-type]
            conflicts.append(ImportConflict(row, listing.id, existing.version, existing.imported_version))  # type: ignore[union-attr]
    return conflicts


def import_listings(
    session: Session, listings: list[Listing], *, force: bool = False, source: str = "a CSV file"
) -> ImportReport:
    """Save every listing, audited; raise ImportConflicts (saving nothing) unless forced."""
    conflicts = moderation_conflicts(session, listings)
    if conflicts and not force:
        raise ImportConflicts(conflicts)
    forced = {conflict.service_id for conflict in conflicts}
    report = ImportReport(forced=sorted(forced))
    actor = audit.Actor(f"Import of {source}")
    for number, listing in enumerate(listings, start=1):
        action = audit.AuditAction.IMPORT_FORCED if listing.id in forced else audit.AuditAction.IMPORTED
        event = audit.publish(session, listing, action=action, actor=actor)
        outcome = "unchanged" if event is None else "updated" if event.before else "created"
        getattr(report, outcome).append(listing.id)
        service = catalogue.require_service(session, listing.id)
        service.imported_version = service.version
        session.add(service)
        if number % IMPORT_BATCH == 0:  # written, then forgotten: a large file costs the same per row throughout
            session.flush()
            session.expunge_all()
    session.flush()
    return report


def import_file(session: Session, path: Path, *, force: bool = False) -> ImportReport:
    return import_listings(session, read_listings(path.read_text(encoding="utf-8")), force=force, source=path.name)


def export_text(session: Session) -> str:
    """Every listing in the database as CSV, in the importer's format, ordered by id."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for service in session.exec(select(Service).order_by(Service.id)):
        writer.writerow({key: spreadsheet_safe(value) for key, value in catalogue.listing_of(service).as_row().items()})
    return buffer.getvalue()
