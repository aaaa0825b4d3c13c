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
from datetime import date

from sqlmodel import Session, col, func, select

from directory.errors import DirectoryError, NotFound
from directory.listings import audit, catalogue
from directory.listings.listing import parse_listing
from directory.listings.models import Organisation, Service
from directory.moderation.models import Submission
from directory.moderation.states import ReportTopic, SubmissionKind, SubmissionStatus

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L or U: easy to read out on the phone
MAX_MESSAGE_LENGTH = 1000


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
    row = coordinates_follow_postcode(original, original | dict(raw) | fixed)
    listing = parse_listing(row | {"last_verified": today.isoformat()})
    return _store(session, kind=SubmissionKind.CHANGE.value, service_id=service.id, base_version=service.version,
                  original=audit.to_json(original), proposed=audit.to_json(audit.listing_row(listing)),
                  message=_check_message(message))  # fmt: skip


def coordinates_follow_postcode(before: Mapping[str, str], row: dict[str, str]) -> dict[str, str]:
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
