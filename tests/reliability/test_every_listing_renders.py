"""Every template renders every listing: each bundled listing, and one with every optional field empty, opens as a
service page, an organisation's confirmation page, the suggest-a-change and report forms, a support sheet, a shared
list and an ORUK record, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from directory import db
from directory.listings import catalogue, importer
from directory.listings.models import Service
from directory.moderation import freshness
from directory.settings import PROJECT_ROOT
from directory.signposting import shared_lists, shortlists
from tests.conftest import add_listings, listing_row

EMPTY_OPTIONALS = listing_row(
    id="bare-listing", organisation_website="", phone="", email="", opening_hours="", cost="", referral="",
    languages="", eligibility="", website="https://example.org/bare",
)  # fmt: skip


@pytest.fixture
def every_listing(app: FastAPI) -> list[Service]:
    with db.session_scope(app.state.engine) as session:
        importer.import_file(session, PROJECT_ROOT / "data" / "organisations.csv")
    add_listings(app, EMPTY_OPTIONALS)
    with Session(app.state.engine) as session:
        services = list(session.exec(select(Service).order_by(Service.id)))
        session.expunge_all()
    return services


def _shared_code(app: FastAPI, service_ids: list[str]) -> str:
    with db.session_scope(app.state.engine) as session:
        shortlist = shortlists.Shortlist(tuple(service_ids), "A note from the nurse.")
        shared = shared_lists.share(session, shortlist, today=date.today())
    assert shared.code
    return shared.code


def test_every_page_that_shows_a_listing_opens_for_every_listing(
    app: FastAPI, client: TestClient, every_listing: list[Service]
) -> None:
    secret = app.state.settings.secret_key
    failures = []
    for service in every_listing:
        code = _shared_code(app, [service.id])
        pages = [
            f"/services/{service.id}",
            f"/services/{service.id}/suggest",
            f"/services/{service.id}/report",
            f"/confirm/{freshness.confirmation_token(secret, service)}",
            f"/l/{code}",
            f"/l/{code}/sheet",
            f"/l/{code}/text",
            f"/api/oruk/services/{service.uuid}",
            f"/api/v1/services/{service.id}",
        ]
        for path in pages:
            status = client.get(path).status_code
            if status != 200:
                failures.append(f"{service.id}: {path.split('/')[1]} {status}")
    assert len(every_listing) > 100
    assert not failures, failures[:20]


def test_the_listing_with_nothing_optional_reads_sensibly(
    app: FastAPI, client: TestClient, every_listing: list[Service]
) -> None:
    page = client.get("/services/bare-listing").text
    assert "Ask the service how to start" in page and "Ask the service whether there is a charge" in page
    with Session(app.state.engine) as session:
        listing = catalogue.listing_of(catalogue.require_service(session, "bare-listing"))
    assert listing.cost is None and listing.referral is None
