"""Moderation through the real app: whole journeys from a suggestion to the public page, signing in, CSRF, the
sign-in throttle, hostile text shown escaped everywhere, conflicts, history and restore, and confirmation links."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from directory.app import create_app
from directory.listings import catalogue
from directory.listings.models import Service
from directory.moderation import freshness, listing_pages, review_pages
from directory.moderation.models import Submission
from tests.conftest import add_listings, listing_row, make_settings
from tests.moderation_support import (
    HOSTILE,
    MODERATOR_EMAIL,
    add_moderator,
    csrf_token,
    reference_on,
    seen_version,
    sign_in,
    soup_of,
    suggest_change,
    suggest_new,
)

TODAY = date.today()


@pytest.fixture
def helpline(app: FastAPI) -> FastAPI:
    add_listings(app, listing_row(last_verified="2026-01-05"))
    add_moderator(app)
    return app


def service(app: FastAPI, service_id: str = "example-helpline") -> Service:
    with Session(app.state.engine) as session:
        found = catalogue.require_service(session, service_id)
        session.expunge_all()
        return found


def submission_status(app: FastAPI, reference: str) -> str:
    with Session(app.state.engine) as session:
        return session.exec(select(Submission.status).where(Submission.reference == reference)).one()


def review(client: TestClient, reference: str):  # type: ignore[no-untyped-def]
    page = client.get(f"/moderate/submissions/{reference}")
    assert page.status_code == 200
    return page


def approve(client: TestClient, reference: str):  # type: ignore[no-untyped-def]
    page = review(client, reference)
    data = {"csrf_token": csrf_token(client, "/moderate"), "seen_version": seen_version(page)}
    return client.post(f"/moderate/submissions/{reference}/approve", data=data, follow_redirects=False)


# 1. Whole journeys


def test_a_suggested_change_travels_from_the_form_to_the_public_page(helpline: FastAPI, client: TestClient) -> None:
    status_url = suggest_change(client, "example-helpline", phone="01632 960999").headers["location"]
    assert "Waiting for a moderator" in soup_of(client.get(status_url)).find(class_="status").get_text()

    signed_in = sign_in(client)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/moderate"
    queue = client.get("/moderate")
    reference = reference_on(queue)
    assert soup_of(queue).find("a", href=f"/moderate/submissions/{reference}") is not None

    diff = soup_of(review(client, reference)).find("table", class_="changes")
    assert [[cell.get_text() for cell in row.find_all(["th", "td"])] for row in diff.tbody.find_all("tr")] == [
        ["Phone", "01632 960000", "01632 960999"]]  # fmt: skip
    assert approve(client, reference).status_code == 303

    public = soup_of(client.get("/services/example-helpline"))
    assert public.find(class_="contact__phone").get_text() == "01632 960999"
    assert TODAY.strftime("%B %Y") in public.find(class_="checked").get_text()
    history = soup_of(client.get("/moderate/services/example-helpline/history"))
    entry = history.find(class_="history__entry")
    assert "Version 2: Suggestion approved" in entry.h3.get_text()
    assert f"Moderator {MODERATOR_EMAIL}" in entry.get_text() and entry.find("a", string=reference) is not None
    assert "Approved" in soup_of(client.get(status_url)).find(class_="status").get_text()


def test_a_rejected_change_leaves_the_listing_alone_and_tells_the_sender_why(
    helpline: FastAPI, client: TestClient
) -> None:
    status_url = suggest_change(client, "example-helpline", phone="01632 960999").headers["location"]
    sign_in(client)
    reference = reference_on(client.get("/moderate"))
    token = csrf_token(client, "/moderate")
    empty = client.post(f"/moderate/submissions/{reference}/reject", data={"csrf_token": token, "reason": " "})
    assert empty.status_code == 400 and soup_of(empty).find(id="reason-error") is not None
    rejected = client.post(f"/moderate/submissions/{reference}/reject", follow_redirects=False,
                           data={"csrf_token": token, "reason": "Their website still shows the old number."})  # fmt: skip
    assert rejected.status_code == 303
    assert service(helpline).phone == "01632 960000"
    status = soup_of(client.get(status_url))
    assert "Not accepted" in status.find(class_="status").get_text()
    assert "Their website still shows the old number." in status.get_text()
    assert reference not in client.get("/moderate").text


def test_a_suggested_new_service_is_published_when_approved(helpline: FastAPI, client: TestClient) -> None:
    status_url = suggest_new(client, name="Example Peer Group").headers["location"]
    sign_in(client)
    reference = reference_on(client.get("/moderate"))
    rows = soup_of(review(client, reference)).select("table.changes tbody th")
    assert "Service name" in [row.get_text() for row in rows]
    assert approve(client, reference).status_code == 303
    assert soup_of(client.get("/services/example-peer-group")).h1.get_text() == "Example Peer Group"
    history = client.get("/moderate/services/example-peer-group/history")
    assert "Version 1: Suggestion approved" in history.text
    assert "Approved" in soup_of(client.get(status_url)).find(class_="status").get_text()


def test_a_moderator_can_edit_a_suggestion_then_approve_it(helpline: FastAPI, client: TestClient) -> None:
    suggest_change(client, "example-helpline", phone="01632 960999")
    sign_in(client)
    reference = reference_on(client.get("/moderate"))
    form = soup_of(client.get(f"/moderate/submissions/{reference}/edit"))
    assert form.find("input", id="phone")["value"] == "01632 960999"
    data: dict[str, object] = {field["name"]: field.get("value", "") for field in form.select("form input[name]")
                               if field.get("type") not in ("checkbox", "radio")}  # fmt: skip
    data |= {area["name"]: area.get_text() for area in form.select("textarea")}
    data |= {select["name"]: select.find("option", selected=True)["value"] for select in form.select("select")}
    for group in ("support_types", "audiences", "delivery_modes"):
        data[group] = [box["value"] for box in form.select(f"input[name={group}][checked]")]
    bad = client.post(f"/moderate/submissions/{reference}/edit", data=data | {"phone": "nonsense"})
    assert bad.status_code == 422 and soup_of(bad).find("input", id="phone")["value"] == "nonsense"
    done = client.post(f"/moderate/submissions/{reference}/edit", data=data | {"phone": "01632 960777"},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert service(helpline).phone == "01632 960777"


# 2. Signing in, CSRF, throttling, escaping


def moderation_routes() -> list[APIRoute]:
    """Every route of the moderation routers; only the sign-in page may be public."""
    assert {route.path for route in review_pages.public_router.routes} == {"/moderate/login"}  # type: ignore[attr-defined]
    return [route for route in review_pages.router.routes + listing_pages.router.routes if isinstance(route, APIRoute)]


def test_no_moderation_page_is_reachable_without_signing_in(helpline: FastAPI, client: TestClient) -> None:
    suggest_change(client, "example-helpline", phone="01632 960999")
    routes = moderation_routes()
    assert len(routes) >= 10
    for route in routes:
        path = route.path.replace("{reference}", "SUB-AAAAAA").replace("{service_id}", "example-helpline")
        for method in route.methods:
            response = client.request(method, path, data={"csrf_token": csrf_token(client)}, follow_redirects=False)
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/moderate/login")
    api = client.get("/api/moderation/submissions")
    assert api.status_code == 401 and api.json()["errors"][0]["status"] == 401
    assert service(helpline).version == 1


def test_signing_in_sets_a_safe_cookie_and_signing_out_ends_the_session(database_url: str) -> None:
    app = create_app(make_settings(database_url, public_base_url="https://directory.example"))
    add_moderator(app)
    with TestClient(app, base_url="https://testserver") as client:
        cookie = sign_in(client).headers["set-cookie"].lower()
        assert all(part in cookie for part in ("httponly", "samesite=lax", "secure", "path=/"))
        assert client.get("/moderate").status_code == 200
        old_session = client.cookies.get("moderator_session")
        refused = client.post("/moderate/logout", data={"csrf_token": "forged"})
        assert refused.status_code == 403
        client.post("/moderate/logout", data={"csrf_token": csrf_token(client, "/moderate")})
        assert client.get("/moderate", follow_redirects=False).status_code == 303
        client.cookies.set("moderator_session", old_session)
        assert client.get("/moderate", follow_redirects=False).status_code == 303


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(helpline: FastAPI, client: TestClient) -> None:
    for email, password in ((MODERATOR_EMAIL, "not the password"), ("nobody@example.org", "not the password")):
        response = sign_in(client, email, password)
        assert response.status_code == 401
        soup = soup_of(response)
        assert soup.find(class_="error-summary").a.get_text() == "The email address or password is not right."
        assert soup.find("input", id="email")["value"] == email


def test_the_sixth_rapid_failed_sign_in_from_one_address_is_throttled(helpline: FastAPI, client: TestClient) -> None:
    assert [sign_in(client, password="wrong password!").status_code for _ in range(5)] == [401] * 5
    throttled = sign_in(client)  # even the right password
    assert throttled.status_code == 429
    soup = soup_of(throttled)
    assert soup.h1.get_text() == "Too many attempts" and "wait 15 minutes" in soup.get_text()
    assert "moderator_session" not in throttled.headers.get("set-cookie", "")


def test_a_decision_without_a_valid_csrf_token_is_refused_and_changes_nothing(
    helpline: FastAPI, client: TestClient
) -> None:
    suggest_change(client, "example-helpline", phone="01632 960999")
    sign_in(client)
    reference = reference_on(client.get("/moderate"))
    for action, data in (("approve", {"seen_version": "1"}), ("reject", {"reason": "No."}), ("edit", {"phone": "x"})):
        for token in ({}, {"csrf_token": "forged"}):
            response = client.post(f"/moderate/submissions/{reference}/{action}", data=data | token)
            assert response.status_code == 403, action
    revert = client.post("/moderate/services/example-helpline/revert", data={"version": "1", "seen_version": "1"})
    assert revert.status_code == 403
    assert submission_status(helpline, reference) == "pending" and service(helpline).version == 1


def test_hostile_text_is_shown_escaped_on_every_page(helpline: FastAPI, client: TestClient) -> None:
    status_url = suggest_new(client, name=HOSTILE, description=HOSTILE, opening_hours=HOSTILE, eligibility=HOSTILE,
                             message=HOSTILE).headers["location"]  # fmt: skip
    sign_in(client)
    reference = reference_on(client.get("/moderate"))
    before = [status_url, "/moderate", f"/moderate/submissions/{reference}", f"/moderate/submissions/{reference}/edit"]
    with Session(helpline.state.engine) as session:
        new_id = session.exec(select(Submission.service_id).where(Submission.reference == reference)).one()
    after = [f"/services/{new_id}", f"/moderate/services/{new_id}/history", "/moderate/services", "/services",
             f"/services/{new_id}/suggest", status_url]  # fmt: skip
    for url in before + ["approve"] + after:
        if url == "approve":
            assert approve(client, reference).status_code == 303
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<script>alert" not in response.text, url
        soup = soup_of(response)
        assert not soup.find_all("script"), url
        assert HOSTILE in soup.get_text() or HOSTILE in str([i.get("value") for i in soup.find_all("input")]), url


# Conflicts and races through the pages


def test_a_suggestion_overtaken_by_a_newer_change_shows_the_conflict(helpline: FastAPI, client: TestClient) -> None:
    suggest_change(client, "example-helpline", phone="01632 960111")
    suggest_change(client, "example-helpline", opening_hours="Weekends only")
    sign_in(client)
    first, second = [row.a.get_text() for row in soup_of(client.get("/moderate")).select("table.queue tbody tr")]
    approve(client, first)
    page = soup_of(review(client, second))
    conflict = page.find(id="conflict")
    assert "changed since the suggestion was made" in conflict.get_text()
    assert [cell.get_text() for cell in conflict.select("tbody td")] == ["01632 960000", "01632 960111"]
    assert page.find("form", action=f"/moderate/submissions/{second}/approve") is None
    forced = client.post(f"/moderate/submissions/{second}/approve", data={"csrf_token": csrf_token(client, "/moderate"),
                                                                         "seen_version": "2"})  # fmt: skip
    assert forced.status_code == 409 and "would undo those changes" in forced.text
    assert submission_status(helpline, second) == "pending" and service(helpline).opening_hours != "Weekends only"
    edit = soup_of(client.get(f"/moderate/submissions/{second}/edit"))
    assert edit.find("input", id="phone")["value"] == "01632 960111"
    assert edit.find("input", id="opening_hours")["value"] == "Weekends only"


def test_approving_what_someone_else_already_decided_says_so(helpline: FastAPI, client: TestClient) -> None:
    suggest_change(client, "example-helpline", phone="01632 960999")
    sign_in(client)
    reference = reference_on(client.get("/moderate"))
    page = review(client, reference)
    data = {"csrf_token": csrf_token(client, "/moderate"), "seen_version": seen_version(page)}
    assert (
        client.post(f"/moderate/submissions/{reference}/approve", data=data, follow_redirects=False).status_code == 303
    )
    again = client.post(f"/moderate/submissions/{reference}/approve", data=data)
    assert (
        again.status_code == 409 and "already been approved" in soup_of(again).find(class_="error-summary").get_text()
    )
    assert service(helpline).version == 2


# 4. History and restore, freshness and confirmation links


def test_restoring_an_earlier_version_from_the_history_page(helpline: FastAPI, client: TestClient) -> None:
    suggest_change(client, "example-helpline", phone="01632 960999", name="Renamed")
    sign_in(client)
    approve(client, reference_on(client.get("/moderate")))
    history = soup_of(client.get("/moderate/services/example-helpline/history"))
    assert [option["value"] for option in history.select("select#version option")] == ["1"]
    data = {"csrf_token": csrf_token(client, "/moderate"), "version": "1", "seen_version": "2"}
    assert (
        client.post("/moderate/services/example-helpline/revert", data=data, follow_redirects=False).status_code == 303
    )
    restored = service(helpline)
    assert (restored.phone, restored.name, restored.last_verified, restored.version) == (
        "01632 960000", "Example Helpline", date(2026, 1, 5), 3)  # fmt: skip
    entry = soup_of(client.get("/moderate/services/example-helpline/history")).find(class_="history__entry")
    assert "Version 3: Restored an earlier version" in entry.h3.get_text() and "Restored version 1" in entry.get_text()
    stale = client.post("/moderate/services/example-helpline/revert", data=data)
    assert stale.status_code == 409


def test_stale_listings_are_flagged_publicly_and_listed_for_moderators(helpline: FastAPI, client: TestClient) -> None:
    old = (TODAY - timedelta(days=400)).isoformat()
    add_listings(helpline, listing_row(id="old-line", name="Old Line", last_verified=old),
                 listing_row(id="fresh-line", name="Fresh Line", last_verified=TODAY.isoformat()))  # fmt: skip
    assert "may be out of date" in soup_of(client.get("/services/old-line")).find(class_="checked").get_text()
    assert soup_of(client.get("/services/fresh-line")).find(class_="stale-flag") is None
    sign_in(client)
    listed = [link.get_text() for link in soup_of(client.get("/moderate/stale")).select("table.queue tbody td a")]
    assert "Old Line" in listed and "Fresh Line" not in listed


def test_an_organisation_confirms_its_listing_through_a_signed_link(helpline: FastAPI, client: TestClient) -> None:
    sign_in(client)
    token = csrf_token(client, "/moderate/stale")
    issued = soup_of(client.post("/moderate/services/example-helpline/confirmation-link", data={"csrf_token": token}))
    link = issued.find("input", id="link")["value"]
    assert link.startswith("http://127.0.0.1:8000/confirm/")
    client.post("/moderate/logout", data={"csrf_token": csrf_token(client, "/moderate")})

    path = link.removeprefix("http://127.0.0.1:8000")
    page = soup_of(client.get(path))
    assert "Example Helpline" in page.h1.get_text()
    assert page.find("a", href="/services/example-helpline/suggest").get_text() == "No, something needs changing"
    assert client.post(path, data={"seen_version": "1"}).status_code == 403
    confirmed = client.post(path, data={"csrf_token": csrf_token(client, path), "seen_version": "1"})
    assert confirmed.status_code == 200 and "checked today" in confirmed.text
    assert service(helpline).last_verified == TODAY
    sign_in(client)
    entry = soup_of(client.get("/moderate/services/example-helpline/history")).find(class_="history__entry")
    assert "The organisation confirmed it is still accurate" in entry.h3.get_text()


def test_a_confirmation_link_works_once_and_then_says_it_was_used(helpline: FastAPI, client: TestClient) -> None:
    path = f"/confirm/{freshness.confirmation_token(helpline.state.settings.secret_key, service(helpline))}"
    version = str(service(helpline).version)
    assert client.post(path, data={"csrf_token": csrf_token(client, path), "seen_version": version}).status_code == 200
    again = client.get(path)
    assert again.status_code == 410 and "already been used" in again.text
    token = csrf_token(client, "/services/example-helpline/report")
    replay = client.post(path, data={"csrf_token": token, "seen_version": version})
    assert replay.status_code == 410 and "already been used" in replay.text


def test_a_link_made_before_the_listing_changed_says_it_is_out_of_date(helpline: FastAPI, client: TestClient) -> None:
    path = f"/confirm/{freshness.confirmation_token(helpline.state.settings.secret_key, service(helpline))}"
    add_listings(helpline, listing_row(description="A new description, published since the link was made."))
    superseded = client.get(path)
    assert superseded.status_code == 410 and "updated since this link was made" in superseded.text


def test_confirming_twice_on_the_same_day_still_uses_up_the_link(helpline: FastAPI, client: TestClient) -> None:
    add_listings(helpline, listing_row(last_verified=TODAY.isoformat()))
    path = f"/confirm/{freshness.confirmation_token(helpline.state.settings.secret_key, service(helpline))}"
    version = str(service(helpline).version)
    assert client.post(path, data={"csrf_token": csrf_token(client, path), "seen_version": version}).status_code == 200
    assert client.get(path).status_code == 410


def test_a_tampered_or_expired_confirmation_link_gets_a_kind_page(
    helpline: FastAPI, client: TestClient, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    secret = helpline.state.settings.secret_key
    assert client.get(f"/confirm/{freshness.confirmation_token(secret, service(helpline))}x").status_code == 404
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() - 31 * 86_400)
    old_token = freshness.confirmation_token(secret, service(helpline))
    monkeypatch.setattr(time, "time", real_time)
    expired = client.get(f"/confirm/{old_token}")
    assert expired.status_code == 410 and "no longer works" in expired.text
