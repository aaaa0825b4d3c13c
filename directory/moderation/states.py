"""Submissions as a state machine: their kinds, the report topics, the statuses and the allowed transitions."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import update
from sqlmodel import Session, col

from directory.db import utcnow
from directory.errors import Conflict
from directory.moderation.models import Submission


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
