"""The ORUK feed over HTTP: ndjson, conditional GET, CORS, errors and unknown endpoints."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from directory.listings.models import public_uuid
from tests.conftest import add_listings, listing_row
from tests.glasgow import service_uuid
from tests.openreferral.helpers import get_json
from tests.openreferral.schemas import assert_valid


def test_ndjson_streams_every_result_without_pages(glasgow: FastAPI, client: TestClient) -> None:
    response = client.get("/api/oruk/services?format=ndjson&per_page=2&full=true")
    assert response.status_code == 200 and response.headers["content-type"] == "application/x-ndjson"
    records = [json.loads(line) for line in response.text.splitlines()]
    assert len(records) == 10
    for record in records:
        assert_valid(record, "service.json")


def test_a_conditional_get_with_the_etag_gets_304(glasgow: FastAPI, client: TestClient) -> None:
    for url in [
        "/api/oruk/services",
        f"/api/oruk/services/{service_uuid('uk-helpline')}",
        "/api/oruk/taxonomies",
        "/api/v1/export.csv",
    ]:
        first = client.get(url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == etag
        assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"something-else"'}).status_code == 200
    before = client.get("/api/oruk/services").headers["etag"]
    add_listings(glasgow, listing_row(id="new-line", name="New Line"))
    changed = client.get("/api/oruk/services", headers={"If-None-Match": before})
    assert changed.status_code == 200 and changed.headers["etag"] != before


def test_every_api_response_lets_any_site_read_it_and_sets_no_cookie(glasgow: FastAPI, client: TestClient) -> None:
    etag = client.get("/api/oruk/services").headers["etag"]
    responses = [
        client.get("/api/oruk/services"),
        client.get("/api/oruk/services/nope"),
        client.get("/api/oruk/services?page=0"),
        client.get("/api/oruk/services", headers={"If-None-Match": etag}),
        client.get("/api/no-such-endpoint"),
        client.get("/openapi.json"),
        client.post("/api/oruk/services"),
    ]
    for response in responses:
        assert response.headers["access-control-allow-origin"] == "*", response.url
        if response.url.path != "/api/no-such-endpoint":  # open data: the same for everyone, so no cookie
            assert "set-cookie" not in response.headers
    preflight = client.options(
        "/api/oruk/services",
        headers={"Origin": "https://nhs.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 204 and "GET" in preflight.headers["access-control-allow-methods"]


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/api/oruk/services/not-a-service", 404, "id"),
        (f"/api/oruk/services/{public_uuid('service', 'no-such-service')}", 404, "id"),
        ("/api/oruk/organizations/x", 404, "id"),
        ("/api/oruk/service_at_locations/x", 404, "id"),
        ("/api/oruk/taxonomies/x", 404, "id"),
        ("/api/oruk/taxonomy_terms/x", 404, "id"),
        ("/api/oruk/services?postcode=not+a+postcode", 422, "postcode"),
        ("/api/oruk/services?postcode=ZZ9+9ZZ", 404, "postcode"),
        ("/api/oruk/services?postcode=G12&proximity=0", 422, "proximity"),
        ("/api/oruk/services?page=abc", 422, "page"),
        ("/api/oruk/services?format=xml", 422, "format"),
        ("/api/oruk/services?full=maybe", 422, "full"),
    ],
)
def test_errors_are_json_naming_the_parameter(client: TestClient, url: str, status: int, field: str) -> None:
    errors = get_json(client, url, status)["errors"]
    assert errors[0]["field"] == field and errors[0]["status"] == status and errors[0]["message"]


def test_a_script_in_a_listing_stays_data(app: FastAPI, client: TestClient) -> None:
    payload = "<script>alert(1)</script>"
    add_listings(app, listing_row(id="scripted", name=payload, description=payload))
    response = client.get("/api/oruk/services")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["contents"][0]["name"] == payload


def test_unknown_endpoints_and_methods_are_json_errors_pointing_to_the_docs(client: TestClient) -> None:
    missing = client.get("/api/oruk/nothing-here")
    assert missing.status_code == 404 and "/docs" in missing.json()["errors"][0]["message"]
    posted = client.post("/api/oruk/services")
    assert posted.status_code == 405 and posted.headers["allow"] == "GET"
    assert posted.json()["errors"][0]["status"] == 405
