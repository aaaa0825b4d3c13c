"""The Open Referral UK 3.0 feed through the real app: every endpoint against the standard's own JSON schemas,
place searches that agree with the web search, filters, pages, ndjson, caching, CORS and errors."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from directory.listings.taxonomy import AUDIENCES, SUPPORT_TYPES
from directory.openreferral import taxonomies
from tests.glasgow import G12, NEAR_G12_16KM, REMOTE_FOR_G12, service_uuid, slugs_by_uuid
from tests.openreferral.helpers import get_json
from tests.openreferral.schemas import assert_valid

ALL_SLUGS = slugs_by_uuid(
    "glasgow-centre",
    "paisley-group",
    "hamilton-centre",
    "edinburgh-centre",
    "leeds-centre",
    "uk-helpline",
    "scotland-line",
    "wales-line",
    "ayrshire-line",
    "glasgow-line",
)


def service_slugs(page: dict[str, Any]) -> list[str]:
    return [ALL_SLUGS[record["id"]] for record in page["contents"]]


def walk(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [(path, value)] + [pair for key, item in value.items() for pair in walk(item, f"{path}.{key}")]
    if isinstance(value, list):
        return [(path, value)] + [pair for index, item in enumerate(value) for pair in walk(item, f"{path}[{index}]")]
    return [(path, value)]


def test_the_root_names_the_standard(client: TestClient) -> None:
    details = get_json(client, "/api/oruk/")
    assert_valid(details, "api_details.json")
    assert details["version"] == "HSDS-UK-3.0"
    assert details["openapi_url"].endswith("/openapi.json")


LISTS = [  # url, the list's schema, each record's schema, a field each record has in this form
    ("/api/oruk/services", "service_list.json", "service.json", "organization"),
    ("/api/oruk/services?full=true", "service_list.json", "service.json", "attributes"),
    ("/api/oruk/services?minimal=true&per_page=200", "service_list.json", "service.json", "last_modified"),
    (
        f"/api/oruk/services?postcode={G12}&proximity=16000&full=true",
        "service_list.json",
        "service.json",
        "attributes",
    ),
    (
        "/api/oruk/service_at_locations",
        "service_at_location_list.json",
        "service_at_location.json",
        "service",
    ),
    (
        "/api/oruk/service_at_locations?full=true",
        "service_at_location_list.json",
        "service_at_location.json",
        "addresses",
    ),
    ("/api/oruk/organizations", "organization_list.json", "organization.json", "description"),
    ("/api/oruk/organizations?full=true", "organization_list.json", "organization.json", "services"),
    (
        "/api/oruk/organizations?full_service=true",
        "organization_list.json",
        "organization.json",
        "attributes",
    ),
    ("/api/oruk/taxonomies", "taxonomy_list.json", "taxonomy.json", "description"),
    ("/api/oruk/taxonomy_terms?per_page=200", "taxonomy_term_list.json", "taxonomy_term.json", "taxonomy_id"),
    ("/api/oruk/services?search=no-such-words-here", "service_list.json", "service.json", "id"),
]


@pytest.mark.parametrize(("url", "list_schema", "item_schema", "field"), LISTS)
def test_every_list_passes_the_standard_schema_with_its_envelope(
    glasgow: FastAPI, client: TestClient, url: str, list_schema: str, item_schema: str, field: str
) -> None:
    page = get_json(client, url)
    assert_valid(page, list_schema)
    for record in page["contents"]:
        assert_valid(record, item_schema)
        assert any(path.endswith("." + field) for path, _ in walk(record)), f"no {field} in {record}"
    assert set(page) == {
        "total_items",
        "total_pages",
        "page_number",
        "size",
        "first_page",
        "last_page",
        "empty",
        "contents",
    }
    assert page["size"] == len(page["contents"]) and page["empty"] is (not page["contents"])
    if "minimal" in url:
        assert {frozenset(record) for record in page["contents"]} == {
            frozenset({"id", "organization_id", "name", "status", "last_modified"})
        }


def test_every_record_by_id_passes_the_standard_schema(glasgow: FastAPI, client: TestClient) -> None:
    service = get_json(client, f"/api/oruk/services/{service_uuid('glasgow-centre')}")
    assert_valid(service, "service.json")
    link = service["service_at_locations"][0]
    assert_valid(get_json(client, f"/api/oruk/service_at_locations/{link['id']}"), "service_at_location.json")
    organisation = get_json(client, f"/api/oruk/organizations/{service['organization_id']}")
    assert_valid(organisation, "organization.json")
    assert service_uuid("glasgow-centre") in [record["id"] for record in organisation["services"]]
    assert organisation["description"] == "A fictional charity used in tests."  # its own words, not a template
    full = get_json(client, f"/api/oruk/organizations/{service['organization_id']}?full_service=true")
    assert all("attributes" in record for record in full["services"])
    taxonomy = get_json(client, f"/api/oruk/taxonomies/{taxonomies.taxonomy_id(SUPPORT_TYPES)}")
    assert_valid(taxonomy, "taxonomy.json")
    assert len(taxonomy["taxonomy_terms"]) == len(SUPPORT_TYPES.terms)
    term = get_json(client, f"/api/oruk/taxonomy_terms/{taxonomies.term_id(SUPPORT_TYPES, 'counselling')}")
    assert_valid(term, "taxonomy_term.json")
    assert term["parent_id"] == taxonomies.term_id(SUPPORT_TYPES, "emotional")


def test_a_full_service_carries_what_the_listing_says(glasgow: FastAPI, client: TestClient) -> None:
    service = get_json(client, f"/api/oruk/services/{service_uuid('paisley-group')}")
    assert service["assured_date"] == "2026-11-01"  # the listing's last_verified
    assert service["x_phones"][0]["number"] == "01632 960001"  # deprecated, kept one release
    (phone,) = service["phones"]
    assert (phone["number"], phone["type"], phone["service_id"]) == ("01632 960001", "voice", service["id"])
    assert [language["name"] for language in service["languages"]] == ["English", "Polish"]
    location = service["service_at_locations"][0]["location"]
    assert location["addresses"][0]["postal_code"] == "PA1 1AD"
    assert location["addresses"][0]["state_province"] == "Scotland"
    codes = {(attribute["link_type"], attribute["taxonomy_term"]["code"]) for attribute in service["attributes"]}
    assert {
        ("support-type", "peer-support"),
        ("support-type", "emotional"),
        ("delivery-mode", "in-person"),
    } <= codes
    assert service["last_modified"].endswith("Z") and len(service["last_modified"]) == 24


def test_optional_fields_are_left_out_never_null_or_empty(glasgow: FastAPI, client: TestClient) -> None:
    for url in [
        "/api/oruk/services?full=true",
        "/api/oruk/service_at_locations?full=true",
        "/api/oruk/organizations?full_service=true",
        "/api/oruk/taxonomy_terms?per_page=200",
    ]:
        empty = [
            path
            for path, value in walk(get_json(client, url))
            if value is None or value == "" or value == [] and not path.endswith("contents")
        ]
        assert not empty, f"{url}: {empty[:5]}"
    line = get_json(client, f"/api/oruk/services/{service_uuid('glasgow-line')}")  # no cost, referral or email known
    assert "cost_options" not in line and "x_referral" not in line and "email" not in line


def test_terms_shared_by_two_taxonomies_have_different_ids(client: TestClient) -> None:
    assert taxonomies.term_id(SUPPORT_TYPES, "carers") != taxonomies.term_id(AUDIENCES, "carers")
    terms = get_json(client, "/api/oruk/taxonomy_terms?per_page=200")
    assert len({term["id"] for term in terms["contents"]}) == terms["total_items"]


def test_services_near_g12_are_only_those_available_there(glasgow: FastAPI, client: TestClient) -> None:
    page = get_json(client, f"/api/oruk/services?postcode={G12}&proximity=16000&per_page=200")
    slugs = service_slugs(page)
    assert set(slugs) == NEAR_G12_16KM | REMOTE_FOR_G12
    assert slugs[:2] == ["glasgow-centre", "paisley-group"]  # nearest first, then by phone or online
    links = get_json(client, f"/api/oruk/service_at_locations?postcode={G12}&proximity=16000")
    assert {ALL_SLUGS[record["service_id"]] for record in links["contents"]} == NEAR_G12_16KM
    wider = get_json(client, f"/api/oruk/service_at_locations?postcode={G12.lower().replace(' ', '')}")  # 25 miles
    assert {ALL_SLUGS[record["service_id"]] for record in wider["contents"]} == NEAR_G12_16KM | {"hamilton-centre"}


@pytest.mark.parametrize("radius", [10, 25, 50])
def test_the_feed_agrees_with_the_web_search_for_the_same_place(
    glasgow: FastAPI, client: TestClient, radius: int
) -> None:
    soup = BeautifulSoup(client.get(f"/search?location={G12}&radius={radius}").text, "html.parser")
    on_the_page = {urlsplit(link["href"]).path.rsplit("/", 1)[1] for link in soup.select(".card__title a")}
    metres = radius * 1609.344
    feed = get_json(client, f"/api/oruk/services?postcode={G12}&proximity={metres}&per_page=200")
    assert set(service_slugs(feed)) == on_the_page
    links = get_json(client, f"/api/oruk/service_at_locations?postcode={G12}&proximity={metres}")
    nearby = soup.find("section", attrs={"aria-labelledby": "nearby-heading"})
    near_on_page = (
        {urlsplit(link["href"]).path.rsplit("/", 1)[1] for link in nearby.select(".card__title a")} if nearby else set()
    )
    assert {ALL_SLUGS[record["service_id"]] for record in links["contents"]} == near_on_page


def test_filters_combine_with_and(glasgow: FastAPI, client: TestClient) -> None:
    emotional = taxonomies.term_id(SUPPORT_TYPES, "emotional")
    every_emotional = service_slugs(get_json(client, f"/api/oruk/services?taxonomy_term_id={emotional}&per_page=200"))
    assert "glasgow-centre" in every_emotional and "uk-helpline" not in every_emotional
    other = get_json(client, "/api/oruk/organizations?search=other")["contents"][0]["id"]
    assert service_slugs(get_json(client, f"/api/oruk/services?organization_id={other}")) == ["uk-helpline"]
    assert get_json(client, f"/api/oruk/services?organization_id={other}&taxonomy_term_id={emotional}")["empty"]
    assert service_slugs(
        get_json(client, f"/api/oruk/services?search=counselling+drop&taxonomy_term_id={emotional}")
    ) == ["glasgow-centre"]
    carers = taxonomies.term_id(AUDIENCES, "carers")
    near_carers = get_json(client, f"/api/oruk/services?postcode={G12}&taxonomy_term_id={carers}")
    assert service_slugs(near_carers) == ["scotland-line"]
    assert get_json(client, "/api/oruk/services?taxonomy_term_id=not-a-term")["total_items"] == 0
    assert get_json(client, f"/api/oruk/services?taxonomy_id={taxonomies.taxonomy_id(AUDIENCES)}")["total_items"] == 10


def test_modified_after_returns_only_what_changed_since(glasgow: FastAPI, client: TestClient) -> None:
    newest = max(record["last_modified"] for record in get_json(client, "/api/oruk/services?minimal=true")["contents"])
    assert get_json(client, "/api/oruk/services?modified_after=2020-01-01T00:00:00Z")["total_items"] == 10
    assert get_json(client, f"/api/oruk/services?modified_after={newest.replace('Z', '%2B00:00')}")["total_items"] >= 1
    assert get_json(client, "/api/oruk/services?modified_after=2999-01-01")["empty"]
    error = get_json(client, "/api/oruk/services?modified_after=yesterday", 422)["errors"][0]
    assert error["field"] == "modified_after"


def test_pages_follow_the_envelope_and_the_size_is_capped(glasgow: FastAPI, client: TestClient) -> None:
    second = get_json(client, "/api/oruk/services?per_page=3&page=2")
    assert (second["total_items"], second["total_pages"], second["page_number"], second["size"]) == (
        10,
        4,
        2,
        3,
    )
    assert (second["first_page"], second["last_page"], second["empty"]) == (False, False, False)
    last = get_json(client, "/api/oruk/services?per_page=3&page=4")
    assert last["size"] == 1 and last["last_page"]
    beyond = get_json(client, "/api/oruk/services?per_page=3&page=9")
    assert beyond["empty"] and beyond["contents"] == []
    asked = get_json(client, "/api/oruk/services?per_page=500")  # the ORUK Service Finder asks for 500 at start-up
    assert asked["x_per_page"] == 200 and asked["x_per_page_asked"] == 500 and asked["page_number"] == 1
    assert "x_per_page" not in get_json(client, "/api/oruk/services?per_page=200")
    error = get_json(client, "/api/oruk/services?per_page=0", 422)["errors"][0]
    assert error["field"] == "per_page"
