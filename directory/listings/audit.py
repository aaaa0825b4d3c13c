"""The audit log: every published change to a listing, who made it, when, from which submission, and the whole
listing before and after, so a listing's history can be read and any earlier version restored.

`publish()` is the one way moderation, reverts, organisations' confirmations and imports change a listing: it saves
through `catalogue.save_listing` (which bumps the version) and records the event in the same transaction. Functions
flush, never commit.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, col, select

from directory.errors import Conflict, DirectoryError, NotFound
from directory.listings import catalogue
from directory.listings.fields import FieldChange
from directory.listings.listing import Listing, parse_listing
from directory.listings.models import AuditEvent, Service


class AuditAction(StrEnum):
    IMPORTED = "imported"
    IMPORT_FORCED = "import-forced"
    APPROVED = "approved"
    REVERTED = "reverted"
    CONFIRMED = "confirmed"

    @property
    def label(self) -> str:
        return {
            "imported": "Imported from a CSV file",
            "import-forced": "Imported from a CSV file with --force, over changes made through moderation",
            "approved": "Suggestion approved",
            "reverted": "Restored an earlier version",
            "confirmed": "The organisation confirmed it is still accurate",
        }[self.value]


@dataclass(frozen=True)
class Actor:
    """Who made a change, as the history shows it: a moderator, an organisation's link, or an import."""

    label: str
    moderator_id: int | None = None


class StaleVersion(Conflict):
    """The listing changed after the person loaded the page or made the suggestion; `changes` says what changed."""

    def __init__(self, message: str, *, changes: list[FieldChange] | None = None) -> None:
        super().__init__(message, field="version")
        self.changes = changes or []


def listing_row(listing: Listing) -> dict[str, str]:
    """A listing as CSV cells, except that coordinates keep every digit (so a restored version is exact)."""
    row = listing.as_row()
    for field in ("latitude", "longitude"):
        value = getattr(listing, field)
        row[field] = repr(value) if value is not None else ""
    return row


def to_json(row: dict[str, str]) -> str:
    return json.dumps(row, ensure_ascii=False)


def from_json(text: str) -> dict[str, str]:
    return {str(key): str(value) for key, value in json.loads(text).items()} if text else {}


def lock_service(session: Session, service_id: str) -> Service:
    """The service as committed now, and nobody else can change it until this transaction ends.

    An UPDATE that changes nothing takes the row's lock on PostgreSQL and the database's write lock on SQLite (a
    plain SELECT would take neither there), so the version read next is the latest and stays so.
    """
    session.execute(
        update(Service).where(col(Service.id) == service_id).values(version=Service.version)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    query = select(Service).where(Service.id == service_id)
    service = session.exec(query.execution_options(populate_existing=True)).first()
    if service is None:
        raise NotFound(f"There is no listing with the id '{service_id}'.", field="id")
    return service


def publish(
    session: Session,
    listing: Listing,
    *,
    action: AuditAction,
    actor: Actor,
    submission_id: int | None = None,
    note: str = "",
) -> AuditEvent | None:
    """Save the listing and record the change; None (and no event) when it already had exactly these values."""
    existing = session.get(Service, listing.id)
    before = to_json(listing_row(catalogue.listing_of(existing))) if existing is not None else ""
    if catalogue.save_listing(session, listing) is catalogue.SaveOutcome.UNCHANGED:
        return None
    service = catalogue.require_service(session, listing.id)
    # save_listing replaces the terms with equal new objects, and pydantic's field-wise equality makes the in-memory
    # collection drop them (the rows are right): read the saved listing back from the database.
    session.expire(service, ["terms", "service_at_locations"])
    after = to_json(listing_row(catalogue.listing_of(service)))
    return _record(session, service, action, actor, before, after, note=note, submission_id=submission_id)


def record_unchanged(session: Session, service: Service, *, action: AuditAction, actor: Actor) -> AuditEvent:
    """Record an answer that left the listing as it was (an organisation confirming it twice in a day)."""
    row = to_json(listing_row(catalogue.listing_of(service)))
    return _record(session, service, action, actor, row, row, note="No change: already checked today")


def _record(
    session: Session, service: Service, action: AuditAction, actor: Actor, before: str, after: str, *,
    note: str = "", submission_id: int | None = None,
) -> AuditEvent:  # fmt: skip
    event = AuditEvent(
        service_id=service.id, version=service.version, action=action.value, actor=actor.label[:300],
        moderator_id=actor.moderator_id, submission_id=submission_id, note=note, before=before, after=after,
    )  # fmt: skip
    session.add(event)
    session.flush()
    return event


def snapshot_at(session: Session, service_id: str, version: int) -> dict[str, str] | None:
    """The listing's cells at `version`: as the change that made it left it, or as the next change found it."""
    made = session.exec(
        select(AuditEvent).where(AuditEvent.service_id == service_id, AuditEvent.version == version)
        .order_by(col(AuditEvent.id).desc())
    ).first()  # fmt: skip
    if made is not None:
        return from_json(made.after)
    replaced = session.exec(
        select(AuditEvent).where(AuditEvent.service_id == service_id, AuditEvent.version == version + 1)
        .order_by(col(AuditEvent.id))
    ).first()  # fmt: skip
    return from_json(replaced.before) if replaced is not None and replaced.before else None


def restorable_versions(session: Session, service_id: str) -> list[int]:
    """Versions with a recorded snapshot, newest first."""
    events = session.exec(select(AuditEvent).where(AuditEvent.service_id == service_id)).all()
    versions = {event.version for event in events} | {event.version - 1 for event in events if event.before}
    return sorted((version for version in versions if version >= 1), reverse=True)


def revert(session: Session, service_id: str, to_version: int, *, actor: Actor, seen_version: int) -> AuditEvent:
    """Put the listing back exactly as it was at `to_version`, as a new, audited version."""
    service = lock_service(session, service_id)
    if service.version != seen_version:
        raise StaleVersion(
            f"Someone changed this listing (now version {service.version}) after you opened the page. "
            "Check its history again before restoring a version."
        )
    snapshot = snapshot_at(session, service_id, to_version)
    if snapshot is None:
        raise NotFound(f"There is no record of version {to_version} of this listing.", field="version")
    event = publish(
        session, parse_listing(snapshot), action=AuditAction.REVERTED, actor=actor,
        note=f"Restored version {to_version}",
    )  # fmt: skip
    if event is None:
        raise DirectoryError(f"The listing is already exactly as it was at version {to_version}.", field="version")
    return event
