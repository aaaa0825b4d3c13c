"""Submissions from the public and their moderation, as an explicit state machine.

A submission is a suggested new service, a suggested change to a listing, or a quick report. It is `pending` until
a moderator approves it (its listing is validated, published through `audit.publish` and marked checked today, all
in one transaction) or rejects it with a reason the submitter sees. `transition()` is the only way a status changes:
a conditional UPDATE ... WHERE status = <the status we read>, so of two moderators approving one submission at once
exactly one wins and the other is told. A change made against an older version of the listing is not applied
silently: the moderator sees what changed since and edits the merged result instead.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from directory import audit, catalogue
from directory.db import utcnow
from directory.errors import Conflict, DirectoryError, NotFound
from directory.fields import FieldChange, diff_rows
from directory.listing import Listing, parse_listing
from directory.models import AuditEvent, Organisation, Service, Submission

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L or U: easy to read out on the phone
MAX_MESSAGE_LENGTH = 1000
MAX_REASON_LENGTH = 1000


class SubmissionStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


ALLOWED_TRANSITIONS: dict[SubmissionStatus, frozenset[SubmissionStatus]] = {
    SubmissionStatus.PENDING: frozenset({SubmissionStatus.APPROVED, SubmissionStatus.REJECTED}),
    SubmissionStatus.APPROVED: frozenset(),
    SubmissionStatus.REJECTED: frozenset(),
}


class SubmissionKind(StrEnum):
    NEW_SERVICE = "new-service"
    CHANGE = "change"
    REPORT = "report"

    @property
    def label(self) -> str:
        return {"new-service": "New service", "change": "Change to a listing", "report": "Report"}[self.value]


class ReportTopic(StrEnum):
    OUT_OF_DATE = "out-of-date"
    CLOSED = "closed"
    MORE_INFORMATION = "more-information"
    SOMETHING_ELSE = "something-else"

    @property
    def label(self) -> str:
        return {
            "out-of-date": "Something is out of date",
            "closed": "The service has closed",
            "more-information": "I have more information",
            "something-else": "Something else",
        }[self.value]


class AlreadyDecided(Conflict):
    title = "Someone else decided this first"


def transition(
    session: Session, submission: Submission, to: SubmissionStatus, *, moderator_id: int | None, reason: str = ""
) -> None:
    """Move a submission to `to` if the transitions table allows it and nobody else moved it first."""
    current = SubmissionStatus(submission.status)
    if to not in ALLOWED_TRANSITIONS[current]:
        raise AlreadyDecided(f"{submission.reference} has already been {current.value}.", field="status")
    claimed = session.execute(
        update(Submission)
        .where(col(Submission.id) == submission.id, col(Submission.status) == current.value)
        .values(status=to.value, decided_at=utcnow(), decided_by=moderator_id, reason=reason)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.expire(submission)
        raise AlreadyDecided(
            f"Another moderator decided {submission.reference} a moment ago; nothing was changed by you.",
            field="status",
        )
    session.expire(submission)


def _new_reference(session: Session) -> str:
    while True:
        reference = "SUB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if session.exec(select(Submission.id).where(Submission.reference == reference)).first() is None:
            return reference


def _store(session: Session, **values: object) -> Submission:
    submission = Submission(reference=_new_reference(session), status_token=secrets.token_urlsafe(24), **values)
    session.add(submission)
    session.flush()
    return submission


def _check_message(message: str) -> str:
    message = message.strip()
    if len(message) > MAX_MESSAGE_LENGTH:
        raise DirectoryError(
            f"Please keep this to {MAX_MESSAGE_LENGTH} characters (it is {len(message)}).", field="message"
        )
    return message


def slug(text: str, *, fallback: str) -> str:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'", ""))
    return "-".join(words)[:80].strip("-") or fallback


def _free_service_id(session: Session, name: str) -> str:
    base = slug(name, fallback="service")
    candidate, number = base, 2
    while session.get(Service, candidate) is not None:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def _organisation_id(session: Session, name: str) -> str:
    """An existing organisation with this name (in any case), or a new slug from the name."""
    found = session.exec(select(Organisation.id).where(func.lower(Organisation.name) == name.strip().lower())).first()
    return found or slug(name, fallback="organisation")


def submit_new_service(session: Session, raw: Mapping[str, str], *, message: str = "", today: date) -> Submission:
    """Validate a suggested new listing (raises InvalidListing) and queue it. Ids are made from the names."""
    row = dict(raw) | {
        "id": _free_service_id(session, raw.get("name", "")),
        "organisation_id": _organisation_id(session, raw.get("organisation_name", "")),
        "latitude": "", "longitude": "", "last_verified": today.isoformat(),
    }  # fmt: skip
    listing = parse_listing(row)
    return _store(session, kind=SubmissionKind.NEW_SERVICE.value, service_id=listing.id,
                  proposed=audit.to_json(audit.listing_row(listing)), message=_check_message(message))  # fmt: skip


def submit_change(
    session: Session, service: Service, raw: Mapping[str, str], *, message: str = "", today: date
) -> Submission:
    """Validate a suggested change to a listing and queue it against the listing's current version."""
    original = audit.listing_row(catalogue.listing_of(service))
    fixed = {field: original[field] for field in ("id", "organisation_id")}
    row = _coordinates_follow_postcode(original, original | dict(raw) | fixed)
    listing = parse_listing(row | {"last_verified": today.isoformat()})
    return _store(session, kind=SubmissionKind.CHANGE.value, service_id=service.id, base_version=service.version,
                  original=audit.to_json(original), proposed=audit.to_json(audit.listing_row(listing)),
                  message=_check_message(message))  # fmt: skip


def _coordinates_follow_postcode(before: Mapping[str, str], row: dict[str, str]) -> dict[str, str]:
    """Exact coordinates belong to an address: when the postcode changes they are dropped, and the new postcode
    places the listing instead (forms never show coordinates, so nobody could correct them)."""
    if row.get("postcode", "").replace(" ", "").upper() != before.get("postcode", "").replace(" ", "").upper():
        return row | {"latitude": "", "longitude": ""}
    return row | {"latitude": before.get("latitude", ""), "longitude": before.get("longitude", "")}


def submit_report(session: Session, service: Service, topic: str, *, message: str = "") -> Submission:
    try:
        chosen = ReportTopic(topic)
    except ValueError:
        raise DirectoryError("Choose what the problem is.", field="topic") from None
    text = _check_message(message)
    if chosen is ReportTopic.SOMETHING_ELSE and not text:
        raise DirectoryError("Tell us what is wrong with the listing.", field="message")
    original = audit.to_json(audit.listing_row(catalogue.listing_of(service)))
    return _store(session, kind=SubmissionKind.REPORT.value, service_id=service.id, base_version=service.version,
                  original=original, proposed=original, topic=chosen.value, message=text)  # fmt: skip


def find_by_reference(session: Session, reference: str) -> Submission:
    submission = session.exec(select(Submission).where(Submission.reference == reference.strip().upper())).first()
    if submission is None:
        raise NotFound(f"There is no submission {reference[:20]}.", field="reference")
    return submission


def find_by_token(session: Session, token: str) -> Submission:
    submission = (
        session.exec(select(Submission).where(Submission.status_token == token)).first() if len(token) < 100 else None
    )
    if submission is None:
        raise NotFound("We could not find that submission. Check the address you were given.", field="token")
    return submission


def queue(session: Session) -> list[Submission]:
    """Pending submissions, oldest first."""
    query = select(Submission).where(Submission.status == SubmissionStatus.PENDING.value)
    return list(session.exec(query.order_by(col(Submission.created_at), col(Submission.id))).all())


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
        row = _coordinates_follow_postcode(row, row | dict(edited))
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
