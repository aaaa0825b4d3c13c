"""Our own search as JSON: the same results as the web page, each with its group, distance and reason; one listing;
errors that name the parameter."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import add_listings, listing_row
from tests.glasgow import G12, NEAR_G12_16KM, REMOTE_FOR_G12


def get_json(client: TestClient, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    return response.json()


def ids(group: dict[str, Any]) -> list[str]:
    return [hit["id"] for hit in group["results"]]


def test_results_come_in_two_groups_with_distance_and_reason(glasgow: FastAPI, client: TestClient) -> None:
    found = get_json(client, f"/api/v1/search?location={G12}&radius=10")
    assert found["place"]["label"] == G12 and found["place"]["nation"] == "scotland"
    assert ids(found["nearby"]) == ["glasgow-centre", "paisley-group"]
    assert (
        set(ids(found["remote"])) == REMOTE_FOR_G12 and ids(found["remote"])[0] == "edinburgh-centre"
    )  # a nation-wide phone line before an area one
    centre = found["nearby"]["results"][0]
    assert centre["group"] == "nearby" and 0 < centre["distance_miles"] < 5
    assert centre["reason"] == f"It has a centre {centre['distance']} from {G12}."
    assert centre["nearest_place"]["postcode"] == "G1 1XQ"
    helpline = next(hit for hit in found["remote"]["results"] if hit["id"] == "uk-helpline")
    assert helpline["group"] == "remote" and "distance_miles" not in helpline
    assert helpline["reason"] == "It helps anyone in the UK by phone."
    assert found["nearby"]["heading"] == "Near you"


@pytest.mark.parametrize(
    "query",
    [
        "radius=25",
        "radius=10&support=emotional&delivery=in-person",
        "radius=50&q=counselling",
        "radius=5&audience=carers",
    ],
)
def test_the_api_gives_exactly_what_the_search_page_shows(glasgow: FastAPI, client: TestClient, query: str) -> None:
    page = BeautifulSoup(client.get(f"/search?location={G12}&{query}").text, "html.parser")
    found = get_json(client, f"/api/v1/search?location={G12}&{query}")
    for group in ("nearby", "remote"):
        section = page.find("section", attrs={"aria-labelledby": f"{group}-heading"})
        shown = (
            [urlsplit(link["href"]).path.rsplit("/", 1)[1] for link in section.select(".card__title a")]
            if section
            else []
        )
        assert ids(found[group]) == shown, group


def test_pages_and_their_size(glasgow: FastAPI, client: TestClient) -> None:
    first = get_json(client, f"/api/v1/search?location={G12}&per_page=1")
    second = get_json(client, f"/api/v1/search?location={G12}&per_page=1&page=2")
    assert first["total_pages"] == len(REMOTE_FOR_G12)
    assert ids(first["remote"]) != ids(second["remote"])
    assert first["nearby"]["total"] == len(NEAR_G12_16KM) + 1  # Hamilton is within the default 25 miles
    assert get_json(client, f"/api/v1/search?location={G12}&per_page=51", 422)["errors"][0]["field"] == "per_page"


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("location=G12&radius=7", 400, "radius"),
        ("location=G12&support=cake", 400, "support"),
        ("location=G12&audience=cats", 400, "audience"),
        ("location=Atlantis", 404, "location"),
        ("location=LS1+3E", 404, "location"),
        ("radius=25", 422, "location"),
        ("location=G12&page=0", 422, "page"),
    ],
)
def test_errors_are_json_naming_the_parameter(client: TestClient, query: str, status: int, field: str) -> None:
    error = get_json(client, f"/api/v1/search?{query}", status)["errors"][0]
    assert (error["status"], error["field"]) == (status, field) and error["message"]


def test_a_place_name_shared_by_several_places_offers_the_choices(client: TestClient) -> None:
    response = client.get("/api/v1/search?location=Bangor&support=emotional")
    assert response.status_code == 300
    body = response.json()
    assert body["field"] == "location" and len(body["choices"]) >= 2
    for choice in body["choices"]:
        assert "support=emotional" in choice["search"]
        assert client.get(choice["search"]).status_code == 200


def test_one_listing_by_its_id(glasgow: FastAPI, client: TestClient) -> None:
    listing = get_json(client, "/api/v1/services/paisley-group")
    assert listing["name"] == "Paisley Group" and listing["languages"] == ["English", "Polish"]
    assert listing["links"]["oruk"] == f"/api/oruk/services/{listing['uuid']}"
    assert get_json(client, listing["links"]["oruk"])["name"] == "Paisley Group"
    assert "cost" not in get_json(client, "/api/v1/services/glasgow-line")  # not known: left out
    assert get_json(client, "/api/v1/services/nope", 404)["errors"][0]["field"] == "id"


def test_search_results_are_cached_until_the_data_changes(glasgow: FastAPI, client: TestClient) -> None:
    url = f"/api/v1/search?location={G12}"
    etag = client.get(url).headers["etag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    add_listings(glasgow, listing_row(id="another-line", name="Another Line"))
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200
