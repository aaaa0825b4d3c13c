"""The fictional example listing that the API documents itself with: its examples are made from this record by the
real mapping code, so they cannot drift from what the API sends. Phone numbers are from Ofcom's drama range."""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import lru_cache

from directory.listings.models import Location, Organisation, Service, ServiceAtLocation, ServiceTerm, public_uuid

CHANGED = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)


@lru_cache(maxsize=1)
def example_service() -> Service:
    record = Service(
        id="example-centre-glasgow",
        uuid=public_uuid("service", "example-centre-glasgow"),
        organisation_id="example-charity",
        name="Example Centre Glasgow",
        description="Drop-in support, a weekly group and complementary therapies for people with secondary breast "
        "cancer and the people close to them.",
        service_area="scotland",
        specificity="secondary-breast-cancer",
        area_name="",
        area_postcodes="",
        phone="01632 960001",
        email="glasgow@example.org",
        website="https://example.org/glasgow",
        opening_hours="Monday to Friday, 10am to 4pm",
        cost="free",
        referral="self",
        languages="English;Polish",
        eligibility="Anyone affected by secondary breast cancer",
        source_url="https://example.org/glasgow",
        last_verified=date(2026, 11, 1),
        updated_at=CHANGED,
    )
    record.organisation = _organisation()
    record.terms = [ServiceTerm(service_id=record.id, vocabulary=vocabulary, code=code) for vocabulary, code in CODES]
    record.service_at_locations = [_at_location(record.id)]
    return record


CODES = [
    ("support-type", "emotional"),
    ("support-type", "peer-support"),
    ("audience", "living-with-secondary"),
    ("delivery-mode", "in-person"),
    ("delivery-mode", "phone"),
]


def _organisation() -> Organisation:
    return Organisation(
        id="example-charity",
        uuid=public_uuid("organisation", "example-charity"),
        name="Example Charity",
        website="https://example.org",
        updated_at=CHANGED,
    )


def _at_location(service_id: str) -> ServiceAtLocation:
    place = Location(
        id="example-centre-glasgow-location",
        uuid=public_uuid("location", "example-centre-glasgow-location"),
        organisation_id="example-charity",
        address="1 Example Street",
        town="Glasgow",
        postcode="G12 8QQ",
        latitude=55.8721,
        longitude=-4.2882,
        nation="scotland",
    )
    link_id = "example-centre-glasgow-at-location"
    return ServiceAtLocation(
        id=link_id, uuid=public_uuid("service_at_location", link_id), service_id=service_id, location_id=place.id,
        location=place,
    )  # fmt: skip
