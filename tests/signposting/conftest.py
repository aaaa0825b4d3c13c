"""Fixtures and helpers shared by the signposting tests: a small stocked directory, and a nurse's clicks."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, func, select

from directory.signposting.models import SharedList
from tests.conftest import add_listings, centre_row, listing_row

HOSTILE = "<script>alert('x')</script>\"quoted\" & 'single'"


BASE = "http://testserver"  # the address the test client's requests come to: share links use it (no PUBLIC_BASE_URL)


def soup_of(response: Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def get(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    return soup_of(response)


def token(client: TestClient) -> str:
    """A CSRF token, read from a form as a browser would."""
    for page in ("/list", "/services"):
        field = get(client, page).find("input", attrs={"name": "csrf_token"})
        if field is not None:
            return str(field["value"])
    raise AssertionError("no page with a form to read a token from")


def post(client: TestClient, url: str, **data: str) -> Response:
    return client.post(url, data={"csrf_token": token(client)} | data, follow_redirects=False)


def add(client: TestClient, service_id: str, return_to: str = "/list") -> Response:
    response = post(client, "/list/add", service_id=service_id, return_to=return_to)
    assert response.status_code == 303, response.text[:500]
    return response


def names_on(soup: BeautifulSoup, selector: str = ".shortlist__name") -> list[str]:
    return [element.get_text(" ", strip=True) for element in soup.select(selector)]


def shared_count(app: FastAPI) -> int:
    with Session(app.state.engine) as session:
        return session.exec(select(func.count()).select_from(SharedList)).one()


def share(client: TestClient) -> str:
    """Save the list; the path of its share link, e.g. /l/7KX3-9QFD-2MWA."""
    assert post(client, "/list/share").headers["location"] == "/list#share-heading"
    return str(get(client, "/list").select_one(".share-link")["href"])


@pytest.fixture
def stocked(app: FastAPI) -> FastAPI:
    add_listings(
        app,
        listing_row(id="uk-helpline", name="UK Helpline", phone="01632 960100"),
        centre_row(id="leeds-centre", name="Leeds Centre", phone="01632 960101", postcode="LS1 3EX"),
        listing_row(id="wales-line", name="Wales Line", phone="01632 960102", service_area="wales", referral="professional"),
    )  # fmt: skip
    return app
