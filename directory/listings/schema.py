"""The one declaration of a listing's fields: name, label, longest value, and where it is stored.

The validator's limits, the forms' `maxlength`, the API's documented shapes and the models' column lengths all read
this table, and a test compares it with the migrated database on SQLite and PostgreSQL, so they cannot disagree
(they once did: a 150-character town passed validation and then failed in a 100-character column).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    max_length: int
    column: str = ""  # "table.column" where the value is stored as text, if it is stored as text


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("id", "Listing id", 120, "service.id"),
    FieldSpec("organisation_id", "Organisation id", 120, "organisation.id"),
    FieldSpec("organisation_name", "Organisation name", 200, "organisation.name"),
    FieldSpec("organisation_website", "Organisation website", 500, "organisation.website"),
    FieldSpec("organisation_description", "About the organisation", 1000, "organisation.description"),
    FieldSpec("charity_number", "Registered charity number", 20, "organisation.charity_number"),
    FieldSpec("name", "Service name", 200, "service.name"),
    FieldSpec("description", "Description", 2000, "service.description"),
    FieldSpec("specificity", "Who it is specifically for", 30, "service.specificity"),
    FieldSpec("support_types", "Kind of support", 500),
    FieldSpec("audiences", "Who it is for", 200),
    FieldSpec("delivery_modes", "How people can use it", 100),
    FieldSpec("service_area", "Where it is available", 30, "service.service_area"),
    FieldSpec("area_name", "Name of the area covered", 200, "service.area_name"),
    FieldSpec("area_postcodes", "Postcode areas covered", 500, "service.area_postcodes"),
    FieldSpec("address", "Address", 300, "location.address"),
    FieldSpec("grounds_of", "In the grounds of (hospital)", 200, "location.grounds_of"),
    FieldSpec("town", "Town or city", 100, "location.town"),
    FieldSpec("postcode", "Postcode", 10, "location.postcode"),
    FieldSpec("latitude", "Latitude", 20),
    FieldSpec("longitude", "Longitude", 20),
    FieldSpec("phone", "Phone", 40, "service.phone"),
    FieldSpec("email", "Email", 254, "service.email"),
    FieldSpec("website", "Website", 500, "service.website"),
    FieldSpec("opening_hours", "Opening hours", 500, "service.opening_hours"),
    FieldSpec("schedules", "When it meets or opens", 1000),
    FieldSpec("closed_until", "Temporarily closed until", 10),
    FieldSpec("cost", "Cost", 20, "service.cost"),
    FieldSpec("referral", "How to start", 30, "service.referral"),
    FieldSpec("languages", "Languages other than English", 200, "service.languages"),
    FieldSpec("eligibility", "Who can use it", 500, "service.eligibility"),
    FieldSpec("source_url", "Web page where the details can be checked", 1000, "service.source_url"),
    FieldSpec("last_verified", "Last checked", 10),
)

COLUMNS: tuple[str, ...] = tuple(spec.name for spec in FIELDS)
BY_NAME: dict[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
MAX_LENGTHS: dict[str, int] = {spec.name: spec.max_length for spec in FIELDS}
LABELS: dict[str, str] = {spec.name: spec.label for spec in FIELDS}


def max_length(name: str) -> int:
    """The longest value a listing field may hold: the validator's limit and the column's length."""
    return MAX_LENGTHS[name]
