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
from dataclasses import replace
from datetime import date, datetime

from sqlmodel import Session, col, func, select

from directory.errors import DirectoryError, NotFound
from directory.listings import audit, catalogue, schedules, timetable
from directory.listings import schedule_words as words
from directory.listings.listing import parse_listing
from directory.listings.models import Organisation, Service
from directory.listings.taxonomy import likely_specificity
from directory.moderation.models import Submission
from directory.moderation.states import ReportTopic, SubmissionKind, SubmissionStatus

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L or U: easy to read out on the phone
MAX_MESSAGE_LENGTH = 1000


def _new_reference(session: Session) -> str:
    while True:
        reference = "SUB-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if session.exec(select(Submission.id).where(Submission.reference == reference)).first() is None:
            return reference


def _store(
    session: Session, *, kind: str, service_id: str, proposed: str, message: str, base_version: int | None = None,
    original: str = "", topic: str = "",
) -> Submission:  # fmt: skip
    submission = Submission(reference=_new_reference(session), status_token=secrets.token_urlsafe(24), kind=kind,
                            service_id=service_id, base_version=base_version, original=original, proposed=proposed,
                            topic=topic, message=message)  # fmt: skip
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
        "specificity": raw.get("specificity") or likely_specificity(
            " ".join(raw.get(field, "") for field in ("name", "description", "eligibility"))
        ).value,
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
    proposed = audit.listing_row(listing)
    said = _check_message(message)
    if not said and _same_but_date(original, proposed):
        raise DirectoryError(NOTHING_CHANGED, field="message")
    return _store(session, kind=SubmissionKind.CHANGE.value, service_id=service.id, base_version=service.version,
                  original=audit.to_json(original), proposed=audit.to_json(proposed), message=said)  # fmt: skip


NOTHING_CHANGED = (
    "You have not changed anything yet. Change the details that are out of date, or say what is wrong in the last box."
)


def _same_but_date(original: Mapping[str, str], proposed: Mapping[str, str]) -> bool:
    return all(original.get(field, "") == value for field, value in proposed.items() if field != "last_verified")


def cancellable_sessions(service: Service, now: datetime, count: int = 8) -> list[tuple[str, str]]:
    """The next sessions someone can report as cancelled: (choice, 'Thursday 17 December, 11am to 1pm, in person')."""
    listing = catalogue.listing_of(service)
    upcoming = timetable.next_sessions(listing.schedules, now, count=count, closed_until=listing.closed_until)
    return [
        (f"{listing.schedules.index(session.schedule) + 1}:{session.starts.date().isoformat()}",
         f"{words.session_text(session, now.date())}, {words.ATTENDING_WORDS[session.schedule.attending.value]}")
        for session in upcoming
    ]  # fmt: skip


def submit_cancelled_session(
    session: Session, service: Service, choice: str, *, message: str = "", now: datetime
) -> Submission:
    """One session off (an EXDATE on its rule), the pattern unchanged: a suggested change a moderator approves."""
    if choice not in {value for value, _ in cancellable_sessions(service, now, count=60)}:
        raise DirectoryError("Choose the session that is cancelled.", field="session")
    position, day = int(choice.split(":")[0]), date.fromisoformat(choice.split(":")[1])
    listing = catalogue.listing_of(service)
    rules = list(listing.schedules)
    rule = rules[position - 1]
    kept = {exdate for exdate in rule.exdates if exdate >= now.date()}  # past cancellations no longer matter
    rules[position - 1] = replace(rule, exdates=tuple(sorted(kept | {day})))
    said = message.strip() or f"The session on {words.long_day(day)} is cancelled."
    return submit_change(session, service, {"schedules": schedules.format_cell(tuple(rules))}, message=said,
                         today=now.date())  # fmt: skip


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
