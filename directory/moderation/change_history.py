"""A listing's history as moderators read it: each published change with who made it, which submission it came
from and what changed, newest first. (The audit log itself, and restoring a version, are in listings/audit.py.)"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from directory.listings.audit import AuditAction, from_json
from directory.listings.fields import FieldChange, diff_rows
from directory.listings.models import AuditEvent
from directory.moderation.models import Submission


@dataclass(frozen=True)
class HistoryEntry:
    event: AuditEvent
    action_label: str
    submission_reference: str
    changes: list[FieldChange]


def entries(session: Session, service_id: str) -> list[HistoryEntry]:
    """A listing's published changes, newest first, each with what changed."""
    rows = session.exec(
        select(AuditEvent, Submission.reference)
        .join(Submission, col(Submission.id) == AuditEvent.submission_id, isouter=True)
        .where(AuditEvent.service_id == service_id)
        .order_by(col(AuditEvent.version).desc(), col(AuditEvent.id).desc())
    ).all()
    return [
        HistoryEntry(
            event,
            AuditAction(event.action).label,
            reference or "",
            diff_rows(from_json(event.before), from_json(event.after)),
        )
        for event, reference in rows
    ]
