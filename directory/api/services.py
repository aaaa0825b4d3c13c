"""Our own JSON API under /api/v1/: the web search as JSON (the same parameters, checks and search function as
GET /search), one listing, and the whole directory as CSV (the importer's format) or JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from directory import catalogue, exports, feed, geo, importer, postcodes, search, staleness
from directory.api import records
from directory.api import search_models as models
from directory.api.responses import (
    BAD_REQUEST,
    INVALID,
    NOT_FOUND,
    NOT_MODIFIED,
    VALIDATORS,
    cached,
    cached_json,
    merged,
)
from directory.db import SessionDep
from directory.errors import DirectoryError, NotFound
from directory.taxonomy import AUDIENCES, DELIVERY_MODES, SUPPORT_TYPES, Vocabulary
from directory.web.rendering import url_with
from directory.web.search import parse_query

router = APIRouter(prefix="/api/v1", tags=["Search and export"])


class CSVResponse(Response):
    media_type = "text/csv"


MAX_PER_PAGE = 50


def _example(value: Any, summary: str) -> dict[str, Any]:
    return {summary: {"summary": summary, "value": value}}


def _codes(vocabulary: Vocabulary) -> Any:
    return Query(
        description=f"{vocabulary.name} codes (repeat the parameter): any of them matches.",
        json_schema_extra={"items": {"type": "string", "enum": [term.code for term in vocabulary.terms]}},
        openapi_examples=_example([vocabulary.terms[0].code], vocabulary.terms[0].label),
    )


@router.get(
    "/search",
    summary="Find support near a place (the web search, as JSON)",
    response_model=None,
    responses=merged(
        {
            200: {
                "model": models.SearchResponse,
                "description": "Both groups of results.",
                "headers": VALIDATORS,
                "content": {"application/json": {"example": records.search_example()}},
            },
            300: {
                "model": models.Choices,
                "description": "The place name could mean several places: search again with one of the choices.",
            },
        },
        NOT_MODIFIED,
        BAD_REQUEST,
        NOT_FOUND,
        INVALID,
    ),
)
def search_services(
    request: Request,
    session: SessionDep,
    location: Annotated[
        str,
        Query(
            min_length=1,
            max_length=100,
            description="A postcode, outward code or town.",
            openapi_examples=_example("G12 8QQ", "A postcode"),
        ),
    ],
    radius: Annotated[
        int,
        Query(
            description="Miles for the 'near you' group.",
            json_schema_extra={"enum": list(search.RADIUS_CHOICES_MILES)},
            openapi_examples=_example(10, "Ten miles"),
        ),
    ] = search.DEFAULT_RADIUS_MILES,
    support: Annotated[list[str], _codes(SUPPORT_TYPES)] = [],  # noqa: B006 (FastAPI copies defaults)
    delivery: Annotated[list[str], _codes(DELIVERY_MODES)] = [],  # noqa: B006
    audience: Annotated[list[str], _codes(AUDIENCES)] = [],  # noqa: B006
    q: Annotated[
        str,
        Query(
            max_length=200,
            description="Keywords: every word must match.",
            openapi_examples=_example("counselling", "A keyword"),
        ),
    ] = "",
    page: Annotated[
        int,
        Query(
            ge=1,
            le=1000,
            description="Which page of each group.",
            openapi_examples=_example(2, "The second page"),
        ),
    ] = 1,
    per_page: Annotated[
        int,
        Query(
            ge=1,
            le=MAX_PER_PAGE,
            description=f"Results per group per page (at most {MAX_PER_PAGE}).",
            openapi_examples=_example(10, "Ten a page"),
        ),
    ] = 20,
) -> Response:
    settings = request.app.state.settings
    query = parse_query(radius, support, delivery, audience, q, page, per_page)
    try:
        found = geo.resolve(location, postcodes.geocoder_for(session, settings))
    except DirectoryError as error:
        # A place we cannot find is a missing resource here, not a malformed request.
        raise NotFound(error.message, field="location") from error
    if isinstance(found, geo.Ambiguous):
        choices = [
            {"location": choice, "search": url_with(request, location=choice, page=None)} for choice in found.choices
        ]
        message = f"'{found.query}' could be one of several places: choose one."
        return JSONResponse({"message": message, "field": "location", "choices": choices}, status_code=300)
    stale_before = staleness.stale_cutoff(date.today(), settings.stale_after_days)
    results = search.search(session, found, query, stale_before=stale_before)
    return cached_json(request, records.search_record(results), feed.last_changed(session))


@router.get(
    "/services/{id}",
    summary="One listing",
    response_model=None,
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
    return cached_json(
        request, records.listing_detail(service), max(service.updated_at, service.organisation.updated_at)
    )


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
        request, importer.export_text(session).encode(), "text/csv; charset=utf-8", feed.last_changed(session)
    )
    response.headers["Content-Disposition"] = 'inline; filename="organisations.csv"'
    return response


@router.get(
    "/export.json",
    summary="Every listing as JSON",
    response_model=None,
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
    return cached_json(request, exports.export_records(session), feed.last_changed(session))
