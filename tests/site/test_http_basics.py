"""HTTP as clients other than browsers meet it: HEAD on every GET route, gzip for anything over 1 KB, /api/oruk
without a redirect or a cookie, and CSRF tokens that differ on every page (so compression leaks nothing)."""

from __future__ import annotations

import gzip

from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import add_listings, centre_row, listing_row

PAGES = ["/", "/about", "/overview", "/overview/treatment", "/search", "/search?location=LS1+3EX", "/services",
         "/services/example-helpline", "/services/example-helpline/calendar.ics", "/list", "/suggest",
         "/moderate/login", "/static/styles.css", "/docs", "/openapi.json"]  # fmt: skip


def plain_get_paths(client: TestClient) -> list[str]:
    """Every GET operation of the JSON API without a path parameter, and the pages people use."""
    api = client.get("/openapi.json").json()["paths"]
    return sorted(path for path, operations in api.items() if "get" in operations and "{" not in path) + PAGES


def test_every_get_route_answers_head_with_the_same_status_and_headers(app: FastAPI, client: TestClient) -> None:
    add_listings(app, listing_row(), centre_row())
    paths = plain_get_paths(client)
    assert len(paths) > 20
    for path in paths:
        got = client.get(path, headers={"accept-encoding": "identity"}, follow_redirects=False)
        head = client.head(path, headers={"accept-encoding": "identity"}, follow_redirects=False)
        assert head.status_code == got.status_code and head.status_code != 405, path
        assert head.content == b"", path
        assert head.headers.get("content-type") == got.headers.get("content-type"), path
        assert head.headers.get("content-length") == got.headers.get("content-length"), path


def test_pages_and_json_over_1_kb_are_sent_compressed(app: FastAPI, client: TestClient) -> None:
    add_listings(app, listing_row(), centre_row())
    for path in ("/search?location=LS1+3EX", "/api/oruk/services", "/openapi.json", "/overview/treatment"):
        response = client.get(path, headers={"accept-encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip", path
        assert "accept-encoding" in response.headers["vary"].lower()
        raw = client.get(path, headers={"accept-encoding": "identity"})
        assert "content-encoding" not in raw.headers and len(raw.content) == len(response.content)  # httpx unzips
        assert int(raw.headers["content-length"]) > 1000
    small = client.get("/api/oruk/services/nope", headers={"accept-encoding": "gzip"})
    assert "content-encoding" not in small.headers  # under 1 KB: not worth it
    assert gzip.decompress(gzip.compress(b"x")) == b"x"


def test_the_api_root_answers_directly_and_sets_no_cookie(app: FastAPI) -> None:
    with TestClient(app) as fresh:
        for path in ("/api/oruk", "/api/oruk/"):
            response = fresh.get(path, follow_redirects=False)
            assert response.status_code == 200 and "set-cookie" not in response.headers, path
            assert response.json()["openapi_url"] == "http://testserver/openapi.json"
        assert "set-cookie" in fresh.get("/").headers  # pages with forms do get the CSRF cookie


def test_a_forms_token_differs_on_every_page_and_each_one_works(app: FastAPI, client: TestClient) -> None:
    add_listings(app, listing_row())

    def token() -> str:
        page = BeautifulSoup(client.get("/services/example-helpline").text, "html.parser")
        return str(page.find("input", attrs={"name": "csrf_token"})["value"])

    first, second = token(), token()
    assert first != second
    for sent in (first, second):
        added = client.post("/list/add", data={"csrf_token": sent, "service_id": "example-helpline"},
                            follow_redirects=False)  # fmt: skip
        assert added.status_code == 303
    forged = first[:-2] + ("00" if first[-2:] != "00" else "11")
    assert client.post("/list/add", data={"csrf_token": forged, "service_id": "example-helpline"}).status_code == 403
