"""Our own JSON API under /api/v1/: the web search as JSON (the same parameters, checks and search function as
GET /search), one listing, and the whole directory as CSV (the importer's format) or JSON."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from directory.api.responses import (
    BAD_REQUEST,
    INVALID,
    NOT_FOUND,
    NOT_MODIFIED,
    VALIDATORS,
    cached_json,
    merged,
)
from directory.db import SessionDep
from directory.errors import DirectoryError, NotFound
from directory.geography import full_postcodes, geocoding
from directory.listings import staleness
from directory.listings.taxonomy import AUDIENCES, DELIVERY_MODES, SUPPORT_TYPES, Vocabulary
from directory.search import api_models as models
from directory.search import engine, records
from directory.search.pages import parse_query
from directory.search.query import DEFAULT_RADIUS_MILES, RADIUS_CHOICES_MILES
from directory.search.timing_filter import When
from directory.web.rendering import now, url_with

router = APIRouter(prefix="/api/v1", tags=["Search and export"])


MAX_PER_PAGE = 50


def _example(value: Any, summary: str) -> dict[str, Any]:
    return {summary: {"summary": summary, "value": value}}


def _codes(vocabulary: Vocabulary) -> Any:
    return Query(
        description=f"{vocabulary.name} codes (repeat the parameter): any of them matches.",
        json_schema_extra={"items": {"type": "string", "enum": [term.code for term in vocabulary.terms]}},
        openapi_examples=_example([vocabulary.terms[0].code], vocabulary.terms[0].label),
    )


Location = Annotated[
    str,
    Query(min_length=1, max_length=100, description="A postcode, outward code or town.",
          openapi_examples=_example("G12 8QQ", "A postcode")),
]  # fmt: skip
Radius = Annotated[
    int,
    Query(description="Miles for the 'near you' group.", json_schema_extra={"enum": list(RADIUS_CHOICES_MILES)},
          openapi_examples=_example(10, "Ten miles")),
]  # fmt: skip
Keywords = Annotated[
    str,
    Query(max_length=200, description="Keywords: every word must match.",
          openapi_examples=_example("counselling", "A keyword")),
]  # fmt: skip
WhenFilter = Annotated[
    str,
    Query(description="'soon': groups that meet in the next 2 weeks; 'open': open now (UK time). Blank: any time.",
          json_schema_extra={"enum": ["", *[when.value for when in When]]},
          openapi_examples=_example("open", "Open now")),
]  # fmt: skip
Secondary = Annotated[
    bool,
    Query(description="Only services for secondary breast cancer.", openapi_examples=_example(True, "Only secondary")),
]
Page = Annotated[
    int,
    Query(ge=1, le=1000, description="Which page of each group.", openapi_examples=_example(2, "The second page")),
]
PerPage = Annotated[
    int,
    Query(ge=1, le=MAX_PER_PAGE, description=f"Results per group per page (at most {MAX_PER_PAGE}).",
          openapi_examples=_example(10, "Ten a page")),
]  # fmt: skip


@router.get(
    "/search",
    summary="Find support near a place (the web search, as JSON)",
    response_model=models.SearchResponse,
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
    location: Location,
    radius: Radius = DEFAULT_RADIUS_MILES,
    support: Annotated[list[str], _codes(SUPPORT_TYPES)] = [],
    delivery: Annotated[list[str], _codes(DELIVERY_MODES)] = [],
    audience: Annotated[list[str], _codes(AUDIENCES)] = [],
    q: Keywords = "",
    when: WhenFilter = "",
    secondary: Secondary = False,
    page: Page = 1,
    per_page: PerPage = 20,
) -> Response:
    settings = request.app.state.settings
    query = parse_query(radius, support, delivery, audience, q, page, per_page, when=when, secondary_only=secondary)
    found = _place(session, settings, location)
    if isinstance(found, geocoding.Ambiguous):
        return _choices(request, found)
    stale_before = staleness.stale_cutoff(date.today(), settings.stale_after_days)
    results = engine.search(session, found, query, stale_before=stale_before, now=now(request))
    # Times move on ("open now", the next sessions): Last-Modified is now, and the ETag follows the body.
    return cached_json(request, records.search_record(results, now(request)), now(request))


def _place(session: SessionDep, settings: Any, location: str) -> geocoding.ResolvedPlace | geocoding.Ambiguous:
    try:
        return geocoding.resolve(location, full_postcodes.geocoder_for(session, settings))
    except DirectoryError as error:
        # A place we cannot find is a missing resource here, not a malformed request.
        raise NotFound(error.message, field="location") from error


def _choices(request: Request, found: geocoding.Ambiguous) -> JSONResponse:
    choices = [
        {"location": choice, "search": url_with(request, location=choice, page=None)} for choice in found.choices
    ]
    message = f"'{found.query}' could be one of several places: choose one."
    return JSONResponse({"message": message, "field": "location", "choices": choices}, status_code=300)
