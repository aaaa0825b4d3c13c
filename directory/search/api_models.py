"""The shapes of /api/v1/ responses: the routes build plain dicts and serialise them through these
(api/responses.py `cached_json`), so the OpenAPI document describes exactly what is served."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from directory.listings.api_models import Timing

Text = str | SkipJsonSchema[None]


class Place(BaseModel):
    label: str = Field(description="Where the search was made from.", examples=["G12 8QQ"])
    latitude: float
    longitude: float
    nation: Literal["england", "scotland", "wales", "northern-ireland"]
    precision: str = Field(description="postcode, district or place.", examples=["district"])


class Query(BaseModel):
    radius: float = Field(description="Miles.", examples=[25])
    support: list[str]
    delivery: list[str]
    audience: list[str]
    q: str
    when: str = Field(description="'soon', 'open' or empty.")
    secondary: bool
    page: int
    per_page: int


class NearestPlace(BaseModel):
    address: str
    town: str
    postcode: str
    latitude: float
    longitude: float


class Links(BaseModel):
    self: str = Field(examples=["/api/v1/services/example-centre-glasgow"])
    page: str = Field(examples=["/services/example-centre-glasgow"])


class Hit(BaseModel):
    """One result, with its group, its distance (nearby only) and why it is included."""

    id: str = Field(examples=["example-centre-glasgow"])
    name: str
    organisation: str
    description: str
    group: Literal["nearby", "remote"] = Field(
        description="'nearby': a centre within the radius; 'remote': available to you by phone or online."
    )
    reason: str = Field(description="Why it is included.", examples=["It has a centre 1.2 miles from G12 8QQ."])
    possibly_out_of_date: bool = Field(description="Nobody has checked the listing for a long time.")
    last_verified: str = Field(examples=["2026-11-01"])
    service_area: str = Field(examples=["scotland"])
    support_types: list[str]
    audiences: list[str]
    delivery_modes: list[str]
    specificity: str = Field(examples=["secondary-breast-cancer"])
    links: Links
    timing: Timing
    phone: Text = None
    website: Text = None
    distance_miles: float | SkipJsonSchema[None] = Field(default=None, examples=[1.2])
    distance: Text = Field(default=None, description="The distance as the web page says it.", examples=["1.2 miles"])
    nearest_place: NearestPlace | SkipJsonSchema[None] = None


class NearbyGroup(BaseModel):
    heading: str = Field(examples=["Near you"])
    total: int = Field(description="How many (at most 100: see `more`).")
    more: bool = Field(description="There are more than 100 nearby; the nearest come first.")
    results: list[Hit]


class RemoteGroup(BaseModel):
    heading: str = Field(examples=["Available to you by phone or online"])
    total: int
    results: list[Hit]


class SearchResponse(BaseModel):
    place: Place
    query: Query
    total_pages: int
    nearby: NearbyGroup
    remote: RemoteGroup


class Choice(BaseModel):
    location: str = Field(examples=["Newport, Wales"])
    search: str = Field(
        description="The same search for this place.", examples=["/api/v1/search?location=Newport%2C+Wales"]
    )


class Choices(BaseModel):
    message: str
    field: str = Field(examples=["location"])
    choices: list[Choice]
