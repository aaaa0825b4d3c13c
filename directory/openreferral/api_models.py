"""The shapes of the ORUK feed's responses, for the OpenAPI document only.

`records.py` builds the records; these models describe them (a field that has no value is left out of a
record, so every optional field here is optional, never null). Extra properties are allowed, as in the standard.
The schemathesis test checks the live responses against these descriptions, and the ORUK test checks them against
the standard's own JSON schemas.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

Uuid = str
Text = str | SkipJsonSchema[None]
UUID_EXAMPLE = "0b6d2f8c-3f1e-5a4b-9c7d-1e2f3a4b5c6d"


class Record(BaseModel):
    model_config = ConfigDict(extra="allow")


class ApiDetails(Record):
    version: str = Field(description="The standard this API follows.", examples=["HSDS-UK-3.0"])
    profile: str = Field(
        description="The profile's address.", examples=["https://openreferraluk.org/specifications/3.0/"]
    )
    openapi_url: str = Field(description="This API's OpenAPI document.", examples=["https://example.org/openapi.json"])


class TaxonomyTerm(Record):
    id: Uuid = Field(examples=[UUID_EXAMPLE])
    name: str = Field(examples=["Counselling"])
    description: str = Field(examples=["Someone to talk to about how you feel."])
    parent_id: Text = Field(default=None, description="The broader term, for a narrower one.")
    taxonomy: Text = Field(default=None, examples=["Support type"])
    taxonomy_id: Text = Field(default=None)
    term: Text = Field(default=None, examples=["Counselling"])
    code: Text = Field(
        default=None,
        description="Our code for the term, as used in the web search.",
        examples=["counselling"],
    )


class Taxonomy(Record):
    id: Uuid
    name: str = Field(examples=["Support type"])
    description: str = Field(examples=["The kind of help a service gives."])
    taxonomy_terms: list[TaxonomyTerm] | SkipJsonSchema[None] = Field(default=None, description="On /taxonomies/{id}.")


class Organization(Record):
    id: Uuid
    name: str = Field(examples=["Example Charity"])
    description: str
    website: Text = Field(default=None, examples=["https://example.org"])
    services: list[Service] | SkipJsonSchema[None] = Field(
        default=None,
        description="Fully nested forms only: the organisation's services (id, name, status), or in "
        "full with `full_service=true`.",
    )


class Address(Record):
    id: Uuid
    address_1: str
    city: str
    state_province: str = Field(description="The UK nation.", examples=["Scotland"])
    postal_code: str = Field(examples=["G12 8QQ"])
    country: str = Field(examples=["GB"])
    address_type: Literal["physical", "postal", "virtual"]


class Location(Record):
    id: Uuid
    location_type: Literal["physical", "postal", "virtual"]
    name: Text = None
    latitude: float | SkipJsonSchema[None] = None
    longitude: float | SkipJsonSchema[None] = None
    addresses: list[Address] | SkipJsonSchema[None] = None


class Phone(Record):
    """HSDS 3.0's phone: the number, its type (voice) and when it is answered."""

    id: Uuid
    service_id: Text = None
    number: str = Field(examples=["0808 800 6000"])
    type: Text = Field(default=None, examples=["voice"])
    description: Text = Field(default=None, examples=["Monday to Friday, 9am to 5pm"])


class Attribute(Record):
    id: Uuid
    link_id: Text = None
    link_type: Text = Field(
        default=None, description="Which of our taxonomies the term is from.", examples=["support-type"]
    )
    taxonomy_term_id: Text = None
    taxonomy_term: TaxonomyTerm | SkipJsonSchema[None] = None


class Identified(Record):
    id: Uuid


class Service(Record):
    """A service. Lists give the one-to-one fields (`minimal=true`: id, organization_id, name, status and
    last_modified only); `full=true` and /services/{id} nest everything."""

    id: Uuid
    organization_id: Text = None
    name: str = Field(examples=["Example Helpline"])
    description: Text = None
    url: Text = None
    email: Text = None
    status: Literal["active", "inactive", "defunct", "temporarily closed"]
    assured_date: Text = Field(
        default=None, description="When a person last checked the listing.", examples=["2026-11-01"]
    )
    last_modified: Text = Field(default=None, examples=["2026-11-02T09:30:00.000Z"])
    organization: Organization | SkipJsonSchema[None] = None
    phones: list[Phone] | SkipJsonSchema[None] = Field(
        default=None, description="The service's phone numbers, as HSDS 3.0's phone objects."
    )
    eligibility_description: Text = Field(default=None, description="Who can use the service (HSDS 3.0).")
    application_process: Text = Field(default=None, description="How to start using the service (HSDS 3.0).")
    x_phones: list[Phone] | SkipJsonSchema[None] = Field(
        default=None, deprecated=True, description="Deprecated: use `phones`. Kept until the next release."
    )
    x_eligibility: Text = Field(
        default=None,
        deprecated=True,
        description="Deprecated: use `eligibility_description`. Kept until the next release.",
    )
    x_referral: Text = Field(
        default=None, deprecated=True, description="Deprecated: use `application_process`. Kept until the next release."
    )
    schedules: list[Identified] | SkipJsonSchema[None] = None
    service_areas: list[Identified] | SkipJsonSchema[None] = None
    service_at_locations: list[ServiceAtLocation] | SkipJsonSchema[None] = None
    languages: list[Identified] | SkipJsonSchema[None] = None
    cost_options: list[Identified] | SkipJsonSchema[None] = None
    attributes: list[Attribute] | SkipJsonSchema[None] = None


class ServiceAtLocation(Record):
    id: Uuid
    service_id: Text = None
    location_id: Text = None
    location: Location | SkipJsonSchema[None] = None
    service: Service | SkipJsonSchema[None] = None


class Page(Record):
    total_items: int = Field(description="How many records match, on every page.")
    total_pages: int
    page_number: int = Field(description="This page's number, from 1.")
    size: int = Field(description="How many records are on this page.")
    first_page: bool
    last_page: bool
    empty: bool = Field(description="True when this page has no records.")


class ServicePage(Page):
    contents: list[Service]


class OrganizationPage(Page):
    contents: list[Organization]


class ServiceAtLocationPage(Page):
    contents: list[ServiceAtLocation]


class TaxonomyPage(Page):
    contents: list[Taxonomy]


class TaxonomyTermPage(Page):
    contents: list[TaxonomyTerm]


Organization.model_rebuild()
Service.model_rebuild()
