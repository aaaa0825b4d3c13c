"""POST /api/v1/suggestions: an organisation's tools can suggest a new listing as JSON.

The same path as the web form: the one validator (so the same over-long value gets the same field error from the
importer, the form and the API), the same moderation queue, and the same per-address limit, counted before the
suggestion is stored. There is no cookie and so no CSRF: the body must be JSON, which a cross-site form cannot
send without the browser asking first (and the API allows no cross-site POST).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, JsonValue, create_model

from directory.db import SessionDep
from directory.errors import DirectoryError, InvalidListing
from directory.listings.fields import VOCABULARY_FIELDS
from directory.listings.schema import BY_NAME
from directory.moderation import submissions
from directory.moderation.listing_form import PUBLIC_FIELDS
from directory.moderation.submission_pages import release_submission, reserve_submission

router = APIRouter(prefix="/api/v1", tags=["Suggestions"])
MESSAGE_LIMIT = 2000
EXAMPLE_RECEIVED = {"reference": "SUB-2K9F7Q", "status": "pending", "status_url": "/submissions/3q9mT0bW..."}
EXAMPLE_INVALID = {"errors": [{"status": 422, "field": "town", "message": "is 150 characters long; the limit is 100"}]}


def _field(name: str) -> tuple[Any, Any]:
    spec = BY_NAME[name]
    if name in VOCABULARY_FIELDS:
        codes = [term.code for term in VOCABULARY_FIELDS[name].terms]
        items: dict[str, JsonValue] = {"enum": list[JsonValue](codes)}
        return list[str], Field(default=[], description=spec.label, json_schema_extra={"items": items})
    # The length is documented, not enforced here: the one validator enforces it, with its own message.
    return str, Field(default="", description=spec.label, json_schema_extra={"maxLength": spec.max_length})


SuggestedListing = create_model(  # type: ignore[call-overload]
    "SuggestedListing",
    __config__=ConfigDict(extra="forbid"),
    **{name: _field(name) for name in PUBLIC_FIELDS},
    message=(str, Field(default="", description="Anything the moderators should know.", max_length=MESSAGE_LIMIT)),
)


class SuggestionReceived(BaseModel):
    reference: str = Field(description="The suggestion's reference, e.g. SUB-2K9F7Q.")
    status: str = Field(description="Always `pending`: a moderator reviews every suggestion.")
    status_url: str = Field(description="The private page that says whether it was approved.")


@router.post(
    "/suggestions",
    status_code=201,
    summary="Suggest a new listing (a moderator reviews it before it is published)",
    response_model=SuggestionReceived,
    responses={
        201: {
            "description": "The suggestion is waiting for a moderator.",
            "content": {"application/json": {"example": EXAMPLE_RECEIVED}},
        },
        422: {
            "description": "A field is not valid: each error names its field.",
            "content": {"application/json": {"example": EXAMPLE_INVALID}},
        },
        400: {"description": "The body is not JSON."},
        429: {"description": "Too many suggestions from this address in the last hour."},
    },
)
def suggest(request: Request, session: SessionDep, body: SuggestedListing) -> Any:  # type: ignore[valid-type]
    reserve_submission(request)
    data = body.model_dump()  # type: ignore[attr-defined]
    row = {name: ";".join(value) if isinstance(value, list) else value for name, value in data.items()}
    message = row.pop("message")
    try:
        submission = submissions.submit_new_service(session, row, message=message, today=date.today())
    except InvalidListing as invalid:
        release_submission(request)
        session.rollback()
        errors = [{"status": 422, "field": p.column, "message": p.reason} for p in invalid.problems]
        return JSONResponse({"errors": errors}, status_code=422)
    except DirectoryError as error:
        release_submission(request)
        session.rollback()
        return JSONResponse({"errors": [{"status": 422, "field": error.field, "message": error.message}]}, 422)
    return SuggestionReceived(
        reference=submission.reference, status=submission.status, status_url=f"/submissions/{submission.status_token}"
    )
