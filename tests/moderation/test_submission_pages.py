"""The public's suggestion forms, reports and status pages, through the real app: validation that keeps what was
typed, the honeypot, size and rate limits, and 50 submissions at once all stored."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from directory.app import create_app
from directory.moderation.models import Submission
from tests.conftest import add_listings, listing_row, make_settings
from tests.moderation_support import (
    csrf_token,
    form_fields,
    reference_on,
    soup_of,
    suggest_change,
    suggest_new,
)


def stored(app: FastAPI) -> int:
    with Session(app.state.engine) as session:
        return session.exec(select(func.count()).select_from(Submission)).one()


@pytest.fixture
def helpline(app: FastAPI) -> FastAPI:
    add_listings(app, listing_row())
    return app


def test_every_service_page_offers_a_change_form_and_a_one_step_report(helpline: FastAPI, client: TestClient) -> None:
    soup = soup_of(client.get("/services/example-helpline"))
    assert soup.find("a", href="/services/example-helpline/suggest").get_text() == "Suggest a change to this listing"
    report = soup.find("form", action="/services/example-helpline/report")
    topics = [radio["value"] for radio in report.find_all("input", attrs={"name": "topic"})]
    assert topics == ["out-of-date", "closed", "more-information", "something-else"]
    assert report.find("textarea", attrs={"name": "message"}) is not None
    assert report.find("input", attrs={"name": "csrf_token"}) is not None
    assert soup_of(client.get("/")).find("a", href="/suggest").get_text() == "Suggest a new service"


def test_the_change_form_is_prefilled_with_the_listing_as_it_is(helpline: FastAPI, client: TestClient) -> None:
    soup = soup_of(client.get("/services/example-helpline/suggest"))
    assert soup.find("input", id="phone")["value"] == "01632 960000"
    assert soup.find("textarea", id="description").get_text() == "A fictional helpline used in tests."
    assert soup.find("input", id="support_types-emotional").has_attr("checked")
    assert not soup.find("input", id="support_types-practical").has_attr("checked")
    assert soup.find("select", id="cost").find("option", selected=True)["value"] == "free"
    for control in soup.select("form input:not([type=hidden]), form textarea, form select"):
        assert soup.find("label", attrs={"for": control["id"]}) is not None, control["id"]


def test_a_suggested_change_gets_a_reference_and_a_private_status_page(helpline: FastAPI, client: TestClient) -> None:
    response = suggest_change(client, "example-helpline", phone="01632 960999")
    assert response.status_code == 303
    status_url = response.headers["location"]
    token = status_url.split("/")[2].split("?")[0]
    assert len(token) >= 32
    page = client.get(status_url)
    soup = soup_of(page)
    assert reference_on(page) in soup.h1.get_text()
    assert "Waiting for a moderator" in soup.find(class_="status").get_text()
    assert [cell.get_text() for cell in soup.select("table.changes tbody td")] == ["01632 960000", "01632 960999"]
    assert page.headers["x-robots-tag"] == "noindex"
    assert client.get("/submissions/not-the-right-token").status_code == 404


def test_a_bad_field_is_shown_beside_it_and_everything_typed_is_kept(helpline: FastAPI, client: TestClient) -> None:
    response = suggest_change(client, "example-helpline", phone="call us", opening_hours="Tuesdays 10am to 2pm",
                              description="x" * 2001)  # fmt: skip
    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Error:")
    summary = [link["href"] for link in soup.select(".error-summary a")]
    assert summary == ["#description", "#phone"]
    assert "not a UK phone number" in soup.find(id="phone-error").get_text()
    assert "the limit is 2000" in soup.find(id="description-error").get_text()
    assert soup.find("input", id="phone")["value"] == "call us"
    assert soup.find("input", id="opening_hours")["value"] == "Tuesdays 10am to 2pm"
    assert soup.find("input", id="phone")["aria-describedby"].endswith("phone-error")
    assert stored(helpline) == 0


def test_a_new_service_needs_its_required_fields(app: FastAPI, client: TestClient) -> None:
    response = suggest_new(client, name="", support_types="", source_url="")
    assert response.status_code == 422
    soup = soup_of(response)
    assert soup.find(id="name-error").get_text(strip=True).endswith("Enter the service's name")
    assert soup.find(id="support_types-error").get_text(strip=True).endswith("Choose at least one kind of support")
    assert soup.find(id="source_url-error") is not None
    assert soup.find("input", id="name")["aria-invalid"] == "true"
    assert soup.find("input", id="support_types-emotional")["aria-invalid"] == "true"
    summary = [a["href"] for a in soup.select(".error-summary a")]
    assert "#support_types-emotional" in summary
    assert (
        summary.index("#name") < summary.index("#support_types-emotional") < summary.index("#source_url")
    )  # page order
    assert stored(app) == 0


def test_every_empty_required_field_reads_as_a_plain_instruction(app: FastAPI, client: TestClient) -> None:
    response = suggest_new(client, name="", description="", delivery_modes="", audiences="", source_url="")
    messages = [" ".join(p.get_text(" ").split()) for p in soup_of(response).select(".field-error")]
    assert "Error: Choose how people can use the service" in messages
    assert "Error: Choose who the service is for" in messages
    assert not [message for message in messages if "Enter the how" in message or "Enter the who" in message]


def test_a_suggested_change_that_changes_nothing_is_refused_with_a_message(
    helpline: FastAPI, client: TestClient
) -> None:
    response = suggest_change(client, "example-helpline")
    assert response.status_code == 422
    assert "You have not changed anything yet" in soup_of(response).select_one(".error-summary").get_text()
    assert stored(helpline) == 0
    with_a_note = suggest_change(client, "example-helpline", message="The phone number no longer works.")
    assert with_a_note.status_code == 303 and stored(helpline) == 1


def test_the_honeypot_is_thanked_and_nothing_is_stored(helpline: FastAPI, client: TestClient) -> None:
    data = form_fields(listing_row()) | {"csrf_token": csrf_token(client), "fax_number": "555 0100"}
    response = client.post("/suggest", data=data)
    assert response.status_code == 200 and soup_of(response).h1.get_text() == "Thank you"
    assert stored(helpline) == 0


def test_a_form_without_a_valid_csrf_token_is_refused_and_stores_nothing(helpline: FastAPI, client: TestClient) -> None:
    client.get("/suggest")
    data = form_fields(listing_row()) | {"csrf_token": "forged"}
    assert client.post("/suggest", data=data).status_code == 403
    assert client.post("/services/example-helpline/report", data={"topic": "closed"}).status_code == 403
    assert stored(helpline) == 0


def test_an_oversized_request_is_refused_before_it_is_read(helpline: FastAPI, client: TestClient) -> None:
    data = form_fields(listing_row()) | {"csrf_token": csrf_token(client), "message": "x" * 200_000}
    response = client.post("/suggest", data=data)
    assert response.status_code == 413 and "too much" in soup_of(response).h1.get_text()
    assert stored(helpline) == 0


def test_a_one_step_report_is_stored_with_its_topic(helpline: FastAPI, client: TestClient) -> None:
    token = csrf_token(client, "/services/example-helpline")
    missing = client.post("/services/example-helpline/report", data={"csrf_token": token, "topic": "something-else"})
    assert missing.status_code == 422
    soup = soup_of(missing)
    assert soup.find(id="topic-something-else").has_attr("checked") and soup.find(id="report-message-error")
    sent = client.post("/services/example-helpline/report", data={"csrf_token": token, "topic": "closed",
                                                                  "message": "Their website says it closed in May."},
                       follow_redirects=False)  # fmt: skip
    status = soup_of(client.get(sent.headers["location"]))
    assert "Report: The service has closed" in status.get_text()
    assert "Their website says it closed in May." in status.find(class_="user-text").get_text()


def test_too_many_submissions_from_one_address_are_refused_kindly(database_url: str) -> None:
    app = create_app(make_settings(database_url, submission_limit_per_hour=2))
    add_listings(app, listing_row())
    with TestClient(app) as client:
        sent = [suggest_change(client, "example-helpline", phone=f"01632 96099{n}").status_code for n in range(2)]
        assert sent == [303, 303]
        refused = suggest_change(client, "example-helpline", phone="01632 960993")
    assert refused.status_code == 429
    assert "try again in an hour" in soup_of(refused).get_text()
    assert stored(app) == 2


@pytest.fixture
def roomy_app(database_url: str) -> Iterator[FastAPI]:
    app = create_app(make_settings(database_url, submission_limit_per_hour=1000))
    add_listings(app, listing_row())
    yield app
    app.state.engine.dispose()


def test_fifty_concurrent_submissions_are_all_stored(roomy_app: FastAPI) -> None:
    async def fire() -> list[int]:
        transport = httpx.ASGITransport(app=roomy_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            page = await client.get("/services/example-helpline")
            token = soup_of(page).find("input", attrs={"name": "csrf_token"})["value"]

            async def send(number: int) -> int:
                data = {"csrf_token": token, "topic": "more-information", "message": f"Report number {number}"}
                response = await client.post("/services/example-helpline/report", data=data)
                return response.status_code

            return await asyncio.gather(*(send(number) for number in range(50)))

    # A thread of its own: the browser tests' Playwright may already run an event loop in this one.
    with ThreadPoolExecutor(max_workers=1) as runner:
        assert runner.submit(asyncio.run, fire()).result(timeout=120) == [303] * 50
    with Session(roomy_app.state.engine) as session:
        messages = session.exec(select(Submission.message)).all()
        references = session.exec(select(Submission.reference)).all()
    assert sorted(messages) == sorted(f"Report number {number}" for number in range(50))
    assert len(set(references)) == 50


def test_a_new_service_sent_without_its_specificity_gets_one_worked_out_for_the_moderator(
    app: FastAPI, client: TestClient
) -> None:
    sent = suggest_new(client, specificity="", name="Example Secondary Group",
                       description="A monthly group for people living with secondary breast cancer.")  # fmt: skip
    assert sent.status_code == 303
    with Session(app.state.engine) as session:
        proposed = json.loads(session.exec(select(Submission.proposed)).one())
    assert proposed["specificity"] == "secondary-breast-cancer"
