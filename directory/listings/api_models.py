"""The shapes of the listings' own JSON: one listing in the CSV's columns, and with its links."""

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
    name: str
    description: str
    support_types: list[str]
    audiences: list[str]
    delivery_modes: list[str]
    service_area: str
    area_postcodes: list[str]
    address: str
    town: str
    postcode: str
    latitude: float | SkipJsonSchema[None] = None
    longitude: float | SkipJsonSchema[None] = None
    phone: str
    email: str
    website: str
    opening_hours: str
    cost: Text = Field(default=None, description="free, paid or varies; left out when not known.")
    referral: Text = Field(
        default=None, description="self, professional or self-or-professional; left out when not known."
    )
    languages: list[str]
    eligibility: str
    source_url: str
    last_verified: str


class ListingLinks(BaseModel):
    page: str
    oruk: str


class ListingDetail(ListingRecord):
    uuid: str = Field(description="The id of this service in the ORUK feed.")
    links: ListingLinks
