"""Signing in and out, and what a signed-out visitor or a forged form can reach: nothing."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from directory.app import create_app
from directory.moderation import listing_pages, review_pages
from tests.conftest import make_settings
from tests.moderation.conftest import service, submission_status
from tests.moderation_support import (
    MODERATOR_EMAIL,
    add_moderator,
    csrf_token,
    reference_on,
    sign_in,
    soup_of,
    suggest_change,
)


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
