"""The ORUK feed's query parameters, as the standard names them, each described with an example: pages, forms, the
filters (combined with AND into `feed.Filters`), and a place (`postcode` with `proximity`, into `feed.Near`)."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Request
from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from directory.db import SessionDep
from directory.errors import DirectoryError, NotFound
from directory.geography import distance, full_postcodes, geocoding
from directory.listings.models import public_uuid
from directory.listings.taxonomy import SUPPORT_TYPES
from directory.openreferral import feed, taxonomies
from directory.search.query import DEFAULT_RADIUS_MILES, RADIUS_CHOICES_MILES

MAX_PER_PAGE = 200
# 100 miles, the widest distance the web search offers, rounded up so that 100 miles in metres is always accepted
MAX_PROXIMITY_METRES = math.ceil(max(RADIUS_CHOICES_MILES) * distance.METRES_PER_MILE)
DEFAULT_PROXIMITY_METRES = round(DEFAULT_RADIUS_MILES * distance.METRES_PER_MILE)
POSTCODE_PATTERN = r"^ *[A-Za-z]{1,2}[0-9][A-Za-z0-9]? *([0-9][A-Za-z]{2})? *$"
MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})?)?$")
LEAP_SECOND = re.compile(r"([T ]\d{2}:\d{2}):60")
EMOTIONAL = taxonomies.term_id(SUPPORT_TYPES, "emotional")


class InvalidParameter(DirectoryError):
    status_code = 422


def _example(value: Any, summary: str) -> dict[str, Any]:
    return {summary: {"summary": summary, "value": value}}


def _query(description: str, example: Any, summary: str, **constraints: Any) -> Any:
    return Query(description=description, openapi_examples=_example(example, summary), **constraints)


PageNumber = Annotated[int, _query("Which page, from 1.", 2, "The second page", ge=1, le=10_000)]
PerPage = Annotated[int, _query(
    f"Records per page. More than {MAX_PER_PAGE} gives pages of {MAX_PER_PAGE}, and the page says so in x_per_page.",
    10, "Ten a page", ge=1, le=1_000_000,
)]  # fmt: skip
Search = Annotated[
    str, _query("Words to look for (every word must match).", "counselling", "A keyword", max_length=200)
]
Format = Annotated[
    Literal["json", "ndjson"],
    _query(
        "`json` (pages) or `ndjson`: every result, one JSON record per line, without pages.",
        "ndjson",
        "Everything at once",
        alias="format",
    ),
]
Full = Annotated[bool, _query("Fully nested records.", True, "Fully nested")]
Minimal = Annotated[
    bool,
    _query(
        "Only id, organization_id, name, status and last_modified (it wins over `full`): for "
        "checking what changed. Ask for a large `per_page`.",
        True,
        "Minimal",
    ),
]
TaxonomyId = Annotated[
    str,
    _query(
        "Only records with a term from this taxonomy (its id).",
        taxonomies.taxonomy_id(SUPPORT_TYPES),
        "Support types",
        max_length=100,
    ),
]


def _record_id(what: str, example: str, summary: str) -> Any:
    return Path(description=f"The {what}'s id (a UUID).", openapi_examples=_example(example, summary))


# Examples from the bundled directory, so that "Try it out" finds something.
BCN = public_uuid("organisation", "breast-cancer-now")
HULL_GROUP = public_uuid("service_at_location", "breast-cancer-now-lwsbc-hull-at-location")
ServiceId = Annotated[str, _record_id("service", public_uuid("service", "breast-cancer-now-helpline"), "A helpline")]
LinkId = Annotated[str, _record_id("service at location", HULL_GROUP, "A group in Hull")]
OrganisationId = Annotated[str, _record_id("organisation", BCN, "Breast Cancer Now")]
TaxonomyPathId = Annotated[str, _record_id("taxonomy", taxonomies.taxonomy_id(SUPPORT_TYPES), "Support types")]
TermId = Annotated[str, _record_id("taxonomy term", taxonomies.term_id(SUPPORT_TYPES, "counselling"), "Counselling")]


def list_filters(
    search: Search = "",
    taxonomy_term_id: Annotated[
        str,
        _query("Only services with this taxonomy term (its id).", EMOTIONAL, "Emotional support", max_length=100),
    ] = "",
    taxonomy_id: TaxonomyId = "",
    organization_id: Annotated[
        str, _query("Only services of this organisation (its id).", BCN, "Breast Cancer Now", max_length=100)
    ] = "",
    modified_after: Annotated[
        str | SkipJsonSchema[None],
        _query(
            "Only records changed on or after this moment (ISO 8601; UTC unless it says otherwise).",
            "2026-01-01T00:00:00Z",
            "Since New Year",
            json_schema_extra={"format": "date-time"},
        ),
    ] = None,
) -> feed.Filters:
    return feed.Filters(search, taxonomy_term_id, taxonomy_id, organization_id, _moment(modified_after))


def place_filter(
    request: Request,
    session: SessionDep,
    postcode: Annotated[
        Annotated[str, Field(pattern=POSTCODE_PATTERN)] | SkipJsonSchema[None],
        Query(
            description="A UK postcode or outward code: only services available to someone there, as the web search "
            "finds them (a centre within `proximity`, nearest first, then services covering the place by phone or "
            "online).",
            openapi_examples=_example("G12 8QQ", "Glasgow West End"),
        ),
    ] = None,
    proximity: Annotated[
        float,
        Query(
            ge=1,
            le=MAX_PROXIMITY_METRES,
            allow_inf_nan=False,
            description=f"Metres from the postcode's centre (the default is 25 miles, as on the web search; at most "
            f"{MAX_PROXIMITY_METRES}, 100 miles). Ignored without `postcode`.",
            openapi_examples=_example(16000, "10 miles"),
        ),
    ] = DEFAULT_PROXIMITY_METRES,
) -> feed.Near | None:
    if postcode is None:
        return None
    try:
        found = geocoding.resolve(postcode, full_postcodes.geocoder_for(session, request.app.state.settings))
    except DirectoryError as error:
        raise NotFound(error.message, field="postcode") from error
    if isinstance(found, geocoding.Ambiguous):
        raise NotFound(f"We could not place the postcode '{postcode.strip()}'.", field="postcode")
    return feed.Near(found, proximity / distance.METRES_PER_MILE)


Filters = Annotated[feed.Filters, Depends(list_filters)]
Near = Annotated[feed.Near | None, Depends(place_filter)]


def _moment(text: str | None) -> datetime | None:
    """An ISO 8601 date or date-time; a naive one is UTC."""
    if text is None:
        return None
    problem = InvalidParameter(
        f"'{text[:40]}' is not a date and time like 2026-01-01T00:00:00Z.", field="modified_after"
    )
    if not MOMENT.match(text.strip()):
        raise problem
    # A leap second (23:59:60) is a real moment that Python cannot hold: the second before it will do.
    normalised = LEAP_SECOND.sub(r"\1:59", text.strip().upper().replace("Z", "+00:00"))
    try:
        moment = datetime.fromisoformat(normalised)
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except ValueError as error:
        raise problem from error
    except OverflowError:  # a moment at the edge of the calendar: nothing changed before or after it
        return datetime.min.replace(tzinfo=UTC) if text.startswith("0") else datetime.max.replace(tzinfo=UTC)


FullService = Annotated[bool, _query("Nest each of the organisation's services in full.", True, "Services in full")]


TopOnly = Annotated[bool, _query("Only broad terms (those with no parent).", True, "Broad terms")]
ParentId = Annotated[
    str,
    _query(
        "Only the narrower terms of this term (its id).",
        EMOTIONAL,
        "Kinds of emotional support",
        max_length=100,
    ),
]
