"""A moderator's decisions: what a submission would change, approving it (with conflict checks) or rejecting it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from directory.errors import Conflict, DirectoryError
from directory.listings import audit, catalogue
from directory.listings.fields import FieldChange, diff_rows
from directory.listings.listing import Listing, parse_listing
from directory.listings.models import AuditEvent, Service
from directory.moderation.models import Submission
from directory.moderation.states import SubmissionKind, SubmissionStatus, transition
from directory.moderation.submissions import coordinates_follow_postcode

MAX_REASON_LENGTH = 1000


@dataclass(frozen=True)
class Review:
    """What a moderator needs to decide: the submitter's changes and, if the listing moved on, what changed since."""

    submission: Submission
    kind: SubmissionKind
    current: dict[str, str] | None  # the listing now (None for a new service)
    current_version: int | None
    changes: list[FieldChange]  # original -> proposed: what the submitter changed
    changed_since: list[FieldChange]  # original -> current: what others changed since it was made
    merged: dict[str, str]  # current with the submitter's changes: the starting point for editing

    @property
    def conflict(self) -> bool:
        return self.kind is not SubmissionKind.NEW_SERVICE and self.current_version != self.submission.base_version


def review(session: Session, submission: Submission) -> Review:
    kind = SubmissionKind(submission.kind)
    original, proposed = audit.from_json(submission.original), audit.from_json(submission.proposed)
    service = session.get(Service, submission.service_id) if kind is not SubmissionKind.NEW_SERVICE else None
    current = audit.listing_row(catalogue.listing_of(service)) if service is not None else None
    changed = {field for field in proposed if proposed[field] != original.get(field, "") and field != "last_verified"}
    merged = (current or {}) | {field: proposed[field] for field in changed}
    return Review(
        submission, kind, current, service.version if service else None,
        changes=diff_rows(original, proposed, skip=["last_verified"]),
        changed_since=diff_rows(original, current, skip=["last_verified"]) if current is not None else [],
        merged=merged if current is not None else proposed,
    )  # fmt: skip


def approve(
    session: Session,
    submission: Submission,
    *,
    actor: audit.Actor,
    seen_version: int | None,
    edited: Mapping[str, str] | None = None,
    today: date,
) -> AuditEvent | None:
    """Publish the submission (or the moderator's edit of it), marked checked today; then it is approved.

    Raises InvalidListing for a bad edit, StaleVersion if the listing changed since the suggestion (unless the
    moderator edited it having seen the current version) or since the moderator opened the page, and AlreadyDecided
    if another moderator got there first. The caller rolls back on any of them.
    """
    kind = SubmissionKind(submission.kind)
    if edited is None and kind is SubmissionKind.REPORT:
        raise DirectoryError("A report has no changes of its own: edit the listing, then approve.", field="status")
    row = audit.from_json(submission.proposed)
    if edited is not None:
        if kind is not SubmissionKind.NEW_SERVICE:
            row = audit.listing_row(catalogue.listing_of(catalogue.require_service(session, submission.service_id)))
        row = coordinates_follow_postcode(row, row | dict(edited))
    if kind is not SubmissionKind.NEW_SERVICE:
        row |= {"id": submission.service_id, "organisation_id": audit.from_json(submission.original)["organisation_id"]}
    listing = parse_listing(row | {"last_verified": today.isoformat()})
    transition(session, submission, SubmissionStatus.APPROVED, moderator_id=actor.moderator_id)
    _check_versions(session, submission, kind, listing, seen_version, edited is not None)
    if submission.service_id != listing.id:  # a moderator changed a new service's id: the status page links to it
        submission.service_id = listing.id
        session.add(submission)
    try:
        return audit.publish(
            session, listing, action=audit.AuditAction.APPROVED, actor=actor, submission_id=submission.id
        )
    except IntegrityError:  # PostgreSQL: another new listing with this id was published at the same moment
        raise Conflict(
            f"A listing with the id '{listing.id}' exists now. Edit the id, then approve.", field="id"
        ) from None


def _check_versions(
    session: Session,
    submission: Submission,
    kind: SubmissionKind,
    listing: Listing,
    seen_version: int | None,
    edited: bool,
) -> None:
    """Run after claiming the submission, so the versions read here are the committed ones."""
    if kind is SubmissionKind.NEW_SERVICE:
        if session.get(Service, listing.id) is not None:
            raise Conflict(f"A listing with the id '{listing.id}' exists now. Edit the id, then approve.", field="id")
        return
    service = audit.lock_service(session, submission.service_id)
    if seen_version != service.version:
        raise audit.StaleVersion("Someone changed this listing after you opened the page. Review the suggestion again.")
    if not edited and service.version != submission.base_version:
        raise audit.StaleVersion(
            "This listing has changed since the suggestion was made. Approving it as it is would undo those "
            "changes: edit it, then approve."
        )


def reject(session: Session, submission: Submission, *, moderator_id: int | None, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise DirectoryError("Give a reason: the person who sent it will see it.", field="reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise DirectoryError(f"Please keep the reason to {MAX_REASON_LENGTH} characters.", field="reason")
    transition(session, submission, SubmissionStatus.REJECTED, moderator_id=moderator_id, reason=reason)
