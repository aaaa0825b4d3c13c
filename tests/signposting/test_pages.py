"""The shortlist, support sheet and share links through the real app, pages parsed with a real HTML parser."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from directory import db
from directory.listings.models import Service
from tests.conftest import add_listings, listing_row
from tests.signposting.conftest import HOSTILE, add, get, names_on, post, shared_count, soup_of, token


def test_every_search_result_browse_card_and_service_page_offers_add_to_list(
    stocked: FastAPI, client: TestClient
) -> None:
    for url in (
        "/search?location=LS1+3EX",
        "/search?location=LS1&view=compact",
        "/services",
        "/services/uk-helpline",
    ):
        soup = get(client, url)
        forms = soup.select('form[action="/list/add"]')
        assert forms, url
        for form in forms:
            assert form["method"] == "post" and form.find("input", attrs={"name": "csrf_token"})["value"]
            assert form.find("input", attrs={"name": "return_to"})["value"] == url
            button = form.find("button")
            assert button.get_text(" ", strip=True).startswith("Add to list")


def test_adding_goes_back_to_the_same_page_and_counts_in_the_header(stocked: FastAPI, client: TestClient) -> None:
    assert get(client, "/").select_one('a[href="/list"]').get_text(" ", strip=True) == "Your list (0 services )"
    response = add(client, "leeds-centre", return_to="/search?location=LS1+3EX&radius=25")
    assert response.headers["location"] == "/search?location=LS1+3EX&radius=25#shortlist-leeds-centre"
    soup = get(client, "/search?location=LS1+3EX&radius=25")
    assert soup.select_one('a[href="/list"]').get_text(" ", strip=True).startswith("Your list (1")
    marker = soup.find(id="shortlist-leeds-centre")
    assert "In your list" in marker.get_text(" ", strip=True) and marker.find("form") is None
    assert soup.find(id="shortlist-uk-helpline").find("form") is not None


@pytest.mark.parametrize(
    "return_to",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "javascript:alert(1)",
        "search",
        "/a\r\nb",
    ],
)
def test_the_way_back_is_only_ever_a_path_on_this_site(stocked: FastAPI, client: TestClient, return_to: str) -> None:
    assert add(client, "uk-helpline", return_to=return_to).headers["location"] == "/list#shortlist-uk-helpline"


def test_the_cookie_is_signed_http_only_same_site_and_holds_no_patient_details(
    stocked: FastAPI, client: TestClient
) -> None:
    cookie = add(client, "uk-helpline").headers["set-cookie"]
    assert cookie.startswith("shortlist=") and "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Expires" not in cookie and "Max-Age" not in cookie  # gone when the browser closes


def test_a_nurse_can_remove_and_reorder(stocked: FastAPI, client: TestClient) -> None:
    for service_id in ("uk-helpline", "leeds-centre", "wales-line"):
        add(client, service_id)
    soup = get(client, "/list")
    assert names_on(soup) == ["UK Helpline", "Leeds Centre", "Wales Line"]
    first, last = soup.select(".shortlist__item")[0], soup.select(".shortlist__item")[-1]
    assert not first.find("button", string="Move up") and not last.find(string="Move down")
    assert post(client, "/list/move", service_id="wales-line", direction="up").headers["location"] == (
        "/list#shortlist-wales-line"
    )
    post(client, "/list/move", service_id="uk-helpline", direction="down")
    assert names_on(get(client, "/list")) == ["Wales Line", "UK Helpline", "Leeds Centre"]
    post(client, "/list/remove", service_id="uk-helpline")
    assert names_on(get(client, "/list")) == ["Wales Line", "Leeds Centre"]
    post(client, "/list/clear")
    assert "Your list is empty" in get(client, "/list").get_text()


def test_the_note_is_kept_and_shown_safely(stocked: FastAPI, client: TestClient) -> None:
    add(client, "uk-helpline")
    assert post(client, "/list/note", note=f"Ring on Monday.\r\n{HOSTILE}").status_code == 303
    response = client.get("/list")
    assert "<script>alert" not in response.text
    assert get(client, "/list").find("textarea", id="note").get_text() == f"Ring on Monday.\n{HOSTILE}"


def test_a_note_over_1000_characters_is_refused_and_nothing_changes(stocked: FastAPI, client: TestClient) -> None:
    add(client, "uk-helpline")
    post(client, "/list/note", note="The first note.")
    cookie = client.cookies.get("shortlist")
    too_long = "z" * 1001
    response = post(client, "/list/note", note=too_long)
    assert response.status_code == 422 and "set-cookie" not in response.headers
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Error:")
    summary = soup.select_one(".error-summary")
    assert "The note must be 1,000 characters or fewer. It has 1,001." in summary.get_text()
    assert summary.find("a")["href"] == "#note"
    assert soup.find(id="note-error") is not None
    assert soup.find("textarea", id="note").get_text() == too_long  # what was typed is kept
    assert client.cookies.get("shortlist") == cookie
    assert get(client, "/list").find("textarea", id="note").get_text() == "The first note."


def test_a_thirty_first_service_is_refused_and_nothing_changes(app: FastAPI, client: TestClient) -> None:
    add_listings(app, *[listing_row(id=f"line-{number:02d}", name=f"Line {number:02d}") for number in range(31)])
    for number in range(30):
        add(client, f"line-{number:02d}")
    cookie = client.cookies.get("shortlist")
    response = post(client, "/list/add", service_id="line-30", return_to="/services")
    assert response.status_code == 422 and "set-cookie" not in response.headers
    assert "Your list already has 30 services, the most a list can hold." in soup_of(response).main.get_text()
    assert client.cookies.get("shortlist") == cookie
    soup = get(client, "/list")
    assert len(names_on(soup)) == 30 and "Line 30" not in names_on(soup)
    assert soup.select_one('a[href="/list"]').get_text(" ", strip=True).startswith("Your list (30")


def test_a_tampered_cookie_is_refused_and_the_list_starts_again(stocked: FastAPI, client: TestClient) -> None:
    add(client, "uk-helpline")
    csrf = token(client)
    genuine = client.cookies.get("shortlist")
    payload, signature = genuine.rsplit(".", 1)
    domain = next(cookie.domain for cookie in client.cookies.jar if cookie.name == "shortlist")
    requests = [("get", "/list", {}), ("get", "/list/sheet", {}), ("post", "/list/share", {"csrf_token": csrf}),
                ("post", "/list/add", {"csrf_token": csrf, "service_id": "wales-line"}),
                ("post", "/list/note", {"csrf_token": csrf, "note": "A new note"})]  # fmt: skip
    for method, url, data in requests:
        client.cookies.set("shortlist", f"{payload}.{signature[::-1]}", domain=domain)
        response = client.request(method, url, data=data or None, follow_redirects=False)
        assert response.status_code == 400, url
        assert "Your list could not be read" in soup_of(response).main.get_text()
        assert "We have started a new, empty list for you." in soup_of(response).main.get_text()
        assert 'shortlist=""' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
    assert shared_count(stocked) == 0
    assert client.cookies.get("shortlist") is None
    assert "Your list is empty" in get(client, "/list").get_text()


def test_other_pages_still_work_with_a_tampered_cookie(stocked: FastAPI, client: TestClient) -> None:
    client.cookies.set("shortlist", "not-a-real-list")
    soup = get(client, "/services")
    assert soup.select_one('a[href="/list"]').get_text(" ", strip=True).startswith("Your list (0")


def test_an_unknown_or_withdrawn_service_cannot_be_added(stocked: FastAPI, client: TestClient) -> None:
    with db.session_scope(stocked.state.engine) as session:
        session.get(Service, "wales-line").status = "withdrawn"  # type: ignore[union-attr]
    for service_id in ("no-such-service", "wales-line"):
        response = post(client, "/list/add", service_id=service_id)
        assert response.status_code == 404 and "set-cookie" not in response.headers
        assert "It may have been removed" in soup_of(response).main.get_text()


def test_changes_without_the_form_token_are_refused(stocked: FastAPI, client: TestClient) -> None:
    client.get("/list")
    response = client.post("/list/add", data={"service_id": "uk-helpline"}, follow_redirects=False)
    assert response.status_code == 403 and "set-cookie" not in response.headers
