"""The shapes of the listings' own JSON: one listing in the CSV's columns, and with its links and timing.

The routes serialise through these (api/responses.py `cached_json`): a field a record carries and a model leaves
out is not served, so every column of the CSV is here."""

from __future__ import annotations

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

Text = str | SkipJsonSchema[None]


class ListingRecord(BaseModel):
    """One listing in the CSV's columns (see data/README.md); lists are arrays."""

    id: str
    organisation_id: str
    organisation_name: str
    organisation_website: str
    organisation_description: str
    charity_number: str
    name: str
    description: str
    specificity: str = Field(examples=["secondary-breast-cancer"])
    support_types: list[str]
    audiences: list[str]
    delivery_modes: list[str]
    service_area: str
    area_name: str = Field(description="The area an area-limited service covers, as people say it.")
    area_postcodes: list[str]
    address: str
    grounds_of: str = Field(description="The hospital or hospice whose grounds it is in, if any.")
    town: str
    postcode: str
    latitude: float | SkipJsonSchema[None] = None
    longitude: float | SkipJsonSchema[None] = None
    phone: str
    email: str
    website: str
    opening_hours: str
    schedules: list[str] = Field(description="When it meets or opens, as the CSV's rules (iCalendar RRULE).")
    closed_until: Text = Field(default=None, description="Closed until this day (YYYY-MM-DD); left out when open.")
    cost: Text = Field(default=None, description="free, paid or varies; left out when not known.")
    referral: Text = Field(
        default=None, description="self, professional or self-or-professional; left out when not known."
    )
    languages: list[str]
    eligibility: str
    source_url: str
    last_verified: str


class NextSession(BaseModel):
    starts: str = Field(examples=["2026-12-03T10:00:00+00:00"])
    ends: str
    attending_type: str = Field(examples=["in person"])
    description: str


class Timing(BaseModel):
    """When it next meets and whether it is open now (UK time), as its page says."""

    next_sessions: list[NextSession]
    open_now: bool | None = Field(description="null when it has no opening hours.")
    open_text: str
    closed_until: str | None


class ListingLinks(BaseModel):
    page: str
    oruk: str


class ListingDetail(ListingRecord):
    uuid: str = Field(description="The id of this service in the ORUK feed.")
    links: ListingLinks
    timing: Timing
