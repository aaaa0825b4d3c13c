"""JSON routes for the listings themselves: one listing by id, and the whole directory as CSV or JSON."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from directory.api.responses import (
    INVALID,
    NOT_FOUND,
    NOT_MODIFIED,
    VALIDATORS,
    cached,
    cached_json,
    merged,
)
from directory.db import SessionDep
from directory.listings import api_models as models
from directory.listings import catalogue, exports, importer, records
from directory.web.rendering import now

router = APIRouter(prefix="/api/v1", tags=["Search and export"])


def _example(value: Any, summary: str) -> dict[str, Any]:
    return {summary: {"summary": summary, "value": value}}


class CSVResponse(Response):
    media_type = "text/csv"


@router.get(
    "/services/{id}",
    summary="One listing",
    response_model=models.ListingDetail,
    responses=merged(
        {
            200: {
                "model": models.ListingDetail,
                "description": "The listing, in the CSV's columns.",
                "headers": VALIDATORS,
                "content": {"application/json": {"example": records.listing_example()}},
            }
        },
        NOT_MODIFIED,
        NOT_FOUND,
        INVALID,
    ),
)
def get_listing(
    request: Request,
    session: SessionDep,
    id: Annotated[
        str,
        Path(
            description="The listing's id, as in its web page's address.",
            openapi_examples=_example("breast-cancer-now-helpline", "A helpline"),
        ),
    ],
) -> Response:
    service = catalogue.require_service(session, id)
    changed = max(service.updated_at, service.organisation.updated_at)
    if service.schedules:  # "open now" and the next sessions move on with time; the ETag follows the body
        changed = now(request)
    return cached_json(request, records.listing_detail(service, now(request)), changed)


@router.get(
    "/export.csv",
    summary="Every listing as CSV (the importer's format)",
    response_model=None,
    response_class=CSVResponse,
    responses=merged(
        {
            200: {
                "description": "CSV with a header row; `directory import` reads it back unchanged.",
                "headers": VALIDATORS,
                "content": {"text/csv": {"schema": {"type": "string"}, "example": records.csv_example()}},
            }
        },
        NOT_MODIFIED,
    ),
)
def export_csv(request: Request, session: SessionDep) -> Response:
    response = cached(
        request, importer.export_text(session).encode(), "text/csv; charset=utf-8", catalogue.last_changed(session)
    )
    response.headers["Content-Disposition"] = 'inline; filename="organisations.csv"'
    return response


@router.get(
    "/export.json",
    summary="Every listing as JSON",
    response_model=list[models.ListingRecord],
    responses=merged(
        {
            200: {
                "model": list[models.ListingRecord],
                "description": "One record per listing, in the CSV's columns; reads back unchanged.",
                "headers": VALIDATORS,
                "content": {"application/json": {"example": [exports.listing_record(records.example_listing())]}},
            }
        },
        NOT_MODIFIED,
    ),
)
def export_json(request: Request, session: SessionDep) -> Response:
    return cached_json(request, exports.export_records(session), catalogue.last_changed(session))
