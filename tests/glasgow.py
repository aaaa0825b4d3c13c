"""A small fictional directory around Glasgow (on SQLite and PostgreSQL), for the JSON API and open-data tests: the
`glasgow` fixture (registered in tests/conftest.py) and what a search from G12 8QQ should find."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from directory.listings.models import public_uuid
from tests.conftest import add_listings, centre_row, listing_row

G12 = "G12 8QQ"


def service_uuid(slug: str) -> str:
    return public_uuid("service", slug)


def slugs_by_uuid(*slugs: str) -> dict[str, str]:
    return {service_uuid(slug): slug for slug in slugs}


GLASGOW_LISTINGS = (
    centre_row(
        id="glasgow-centre",
        name="Glasgow Centre",
        town="Glasgow",
        postcode="G1 1XQ",
        support_types="emotional;counselling",
        description="Counselling and a drop-in in the city centre.",
    ),
    centre_row(
        id="paisley-group",
        name="Paisley Group",
        town="Paisley",
        postcode="PA1 1AD",
        support_types="peer-support",
        languages="English;Polish",
    ),
    centre_row(id="hamilton-centre", name="Hamilton Centre", town="Hamilton", postcode="ML3 6AA"),
    centre_row(
        id="edinburgh-centre",
        name="Edinburgh Centre",
        town="Edinburgh",
        postcode="EH1 1YZ",
        service_area="scotland",
        delivery_modes="in-person;phone",
    ),
    centre_row(id="leeds-centre", name="Leeds Centre", postcode="LS1 3EX"),
    listing_row(
        id="uk-helpline",
        name="UK Helpline",
        organisation_id="other-charity",
        organisation_name="Other Charity",
        support_types="financial",
        email="help@example.org",
    ),
    listing_row(id="scotland-line", name="Scotland Line", service_area="scotland", audiences="carers"),
    listing_row(id="wales-line", name="Wales Line", service_area="wales"),
    listing_row(
        id="ayrshire-line", name="Ayrshire Line", service_area="areas", area_name="Ayrshire", area_postcodes="KA"
    ),
    listing_row(
        id="glasgow-line",
        name="Glasgow Line",
        service_area="areas",
        area_name="Glasgow",
        area_postcodes="G",
        delivery_modes="phone;online",
        cost="",
        referral="",
    ),
)
# Available to someone at G12 8QQ within 16 km: two centres nearby, four services by phone or online.
NEAR_G12_16KM = {"glasgow-centre", "paisley-group"}
REMOTE_FOR_G12 = {"glasgow-line", "edinburgh-centre", "scotland-line", "uk-helpline"}


@pytest.fixture
def glasgow(app: FastAPI) -> FastAPI:
    add_listings(app, *GLASGOW_LISTINGS)
    return app
