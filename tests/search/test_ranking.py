"""The order of results, as the page explains it: near you, 2-mile distance bands, then services for secondary breast
cancer before breast cancer, any cancer and the rest, then the recently checked; by phone or online, specificity
first, then the kinds of support chosen, then national phone lines. When nothing is near, the nearest beyond."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from directory.listings.taxonomy import Specificity
from directory.search import engine
from directory.search.query import SearchQuery
from tests.conftest import add_listings, centre_row, listing_row
from tests.search.test_answers import _bundled, ids, place, run

STALE_BEFORE = date(2026, 1, 1)


def centre(id_: str, postcode: str, specificity: str, **overrides: str) -> dict[str, str]:
    return centre_row(id=id_, name=id_.replace("-", " ").title(), postcode=postcode, specificity=specificity,
                      **overrides)  # fmt: skip


def test_within_a_distance_band_the_more_specific_service_comes_first(app: FastAPI) -> None:
    add_listings(
        app,
        centre("general-centre", "LS1 3EX", "anyone"),  # at the postcode searched
        centre("cancer-centre", "LS1 4AP", "any-cancer"),
        centre("secondary-group", "LS2 9JT", "secondary-breast-cancer"),  # about a mile away: the same band
        centre("far-secondary-group", "LS17 6AA", "secondary-breast-cancer"),  # 5 miles or more: a later band
    )
    assert ids(run(app, "LS1 3EX", radius_miles=10))[0] == [
        "secondary-group", "cancer-centre", "general-centre", "far-secondary-group"]  # fmt: skip


def test_within_a_band_and_specificity_a_recently_checked_service_comes_first(app: FastAPI) -> None:
    add_listings(app, centre("old-news", "LS1 3EX", "breast-cancer", last_verified="2024-01-01"),
                 centre("checked", "LS1 4AP", "breast-cancer"))  # fmt: skip
    with Session(app.state.engine) as session:
        found = engine.search(session, place("LS1 3EX"), SearchQuery(), stale_before=STALE_BEFORE)
    assert [hit.card.id for hit in found.nearby] == ["checked", "old-news"]


def line(id_: str, specificity: str, **overrides: str) -> dict[str, str]:
    return listing_row(id=id_, name=id_.replace("-", " ").title(), specificity=specificity, **overrides)


def test_by_phone_or_online_specificity_first_then_chosen_support_then_national_lines(app: FastAPI) -> None:
    add_listings(
        app,
        line("living-will-pack", "anyone", delivery_modes="online", phone="", support_types="practical"),
        line("breast-line", "breast-cancer"),
        line("secondary-online", "secondary-breast-cancer", delivery_modes="online", phone="",
             support_types="emotional;practical"),
        line("secondary-helpline", "secondary-breast-cancer", support_types="emotional"),
    )  # fmt: skip
    assert ids(run(app, "LS1 3EX"))[1] == ["secondary-helpline", "secondary-online", "breast-line", "living-will-pack"]
    chosen = ids(run(app, "LS1 3EX", support=("emotional", "practical")))[1]
    assert chosen == ["secondary-online", "secondary-helpline", "breast-line", "living-will-pack"]


def test_only_services_for_secondary_breast_cancer(app: FastAPI, client: TestClient) -> None:
    add_listings(
        app,
        line("breast-line", "breast-cancer"),
        line("secondary-helpline", "secondary-breast-cancer"),
        centre("secondary-group", "LS2 9JT", "secondary-breast-cancer"),
        centre("centre", "LS1 4AP", "anyone"),
    )
    near, remote = ids(run(app, "LS1 3EX", secondary_only=True))
    assert (near, remote) == (["secondary-group"], ["secondary-helpline"])
    page = client.get("/search?location=LS1+3EX&secondary=true").text
    assert "Showing only services for secondary breast cancer" in page and "Breast Line" not in page


def test_in_leeds_the_first_phone_or_online_result_is_for_secondary_breast_cancer(app: FastAPI) -> None:
    _bundled(app)
    for where in ("Leeds", "LS1 3EX", "Penzance", "Cardiff", "G12 8QQ", "BT1 1AA"):
        first = run(app, where).remote[0].card
        assert first.specificity == Specificity.SECONDARY_BREAST_CANCER.value, (where, first.id)


def test_with_nothing_near_the_page_names_the_nearest_and_widens_to_it(app: FastAPI, client: TestClient) -> None:
    add_listings(app, centre("plymouth-hospice", "PL1 1AE", "any-cancer", town="Plymouth"))
    found = run(app, "TR18 2QR", radius_miles=10)  # Penzance: Plymouth is about 65 miles away
    assert found.nearby == [] and found.beyond is not None and found.beyond.card.id == "plymouth-hospice"
    assert 55 < found.beyond.distance_miles < 75
    page = client.get("/search?location=TR18+2QR&radius=10").text
    assert "No in-person support within 10 miles of" in page
    assert "The nearest is" in page and "Plymouth Hospice" in page
    assert "radius=100" in page and "Search within 100 miles" in page
    wider = run(app, "TR18 2QR", radius_miles=100)
    assert ids(wider)[0] == ["plymouth-hospice"]
