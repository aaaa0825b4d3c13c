"""JSON for moderators' own tools: the review queue. Needs a signed-in moderator's session cookie; without one it
answers 401 with a JSON error (never a redirect)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from directory.db import SessionDep
from directory.listings import audit
from directory.moderation import submissions
from directory.moderation.review_pages import current_moderator

router = APIRouter(
    prefix="/api/moderation", include_in_schema=False, dependencies=[Depends(current_moderator)]
)  # private: not in the public API docs


@router.get("/submissions")
def pending_submissions(session: SessionDep) -> dict[str, Any]:
    """Pending submissions, oldest first."""
    return {
        "submissions": [
            {
                "reference": submission.reference,
                "kind": submission.kind,
                "service_id": submission.service_id,
                "name": audit.from_json(submission.proposed).get("name", ""),
                "created_at": submission.created_at.isoformat(),
            }
            for submission in submissions.queue(session)
        ]
    }
