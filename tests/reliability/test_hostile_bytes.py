"""A NUL byte or another control character anywhere (path, query, form field, JSON field) is refused at the edge
with a clear 4xx, on both databases, for every route and every field: never a 500, never a stored row."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from directory.listings.schema import COLUMNS
from directory.moderation.models import Submission
from tests.conftest import add_listings, api_routes, listing_row
from tests.moderation_support import add_moderator, csrf_token, sign_in

NUL, BAD = "%00", ["\x00", "\x01", "\x1b", "\x7f"]
# Every name any form or the JSON API sends.
POSTED_FIELDS = sorted(
    set(COLUMNS) | {"message", "topic", "email", "password", "next", "service_id", "note", "direction", "reason",
                    "seen_version", "fax_number", "csrf_token"}
)  # fmt: skip


@pytest.fixture
def hostile_client(app: FastAPI) -> TestClient:
    add_listings(app, listing_row())
    add_moderator(app)
    client = TestClient(app, raise_server_exceptions=False)
    sign_in(client)  # so that moderators' routes reach the guard's answer, not the sign-in redirect
    return client


def _routes(app: FastAPI) -> list[APIRoute]:
    return api_routes(app)


def _path(route: APIRoute, value: str = "example-helpline") -> str:
    return re.sub(r"\{[^}]+\}", value, route.path)


def _refused(response_status: int) -> bool:
    return 400 <= response_status < 500


def test_a_control_character_in_any_path_is_refused(app: FastAPI, hostile_client: TestClient) -> None:
    failures = []
    for route in _routes(app):
        for method in route.methods - {"HEAD"}:
            path = _path(route, f"a{NUL}b") if "{" in route.path else route.path + NUL
            response = hostile_client.request(method, path)
            if not _refused(response.status_code):
                failures.append(f"{method} {path}: {response.status_code}")
    assert not failures, failures


def test_a_control_character_in_any_query_parameter_is_refused(app: FastAPI, hostile_client: TestClient) -> None:
    failures = []
    for route in _routes(app):
        if "GET" not in route.methods:
            continue
        names = [param.alias for param in route.dependant.query_params] + ["x"]
        for name in names:
            response = hostile_client.get(f"{_path(route)}?{name}=a{NUL}b")
            if not _refused(response.status_code) or "control character" not in response.text:
                failures.append(f"GET {route.path} ?{name}: {response.status_code}")
    assert not failures, failures


@pytest.mark.parametrize("character", BAD)
def test_a_control_character_in_any_form_field_is_refused_and_nothing_is_stored(
    app: FastAPI, hostile_client: TestClient, character: str
) -> None:
    token = csrf_token(hostile_client, "/suggest")
    failures = []
    for route in _routes(app):
        if "POST" not in route.methods or route.path.startswith("/api/"):
            continue
        for field in POSTED_FIELDS:
            data = {"csrf_token": token, field: f"before{character}after"}
            response = hostile_client.post(_path(route), data=data, follow_redirects=False)
            if response.status_code != 400 or "control character" not in response.text:
                failures.append(f"POST {route.path} {field}: {response.status_code}")
    assert not failures, failures[:20]
    with Session(app.state.engine) as session:
        assert session.exec(select(func.count()).select_from(Submission)).one() == 0


def test_a_control_character_in_a_json_field_is_refused(app: FastAPI, hostile_client: TestClient) -> None:
    for field in ("name", "town", "message", "support_types"):
        body = {field: ["emotional\u0000"] if field == "support_types" else "before\u0000after"}
        response = hostile_client.post("/api/v1/suggestions", json=body)
        assert response.status_code == 422, field
        assert "control character" in response.json()["errors"][0]["message"]


def test_tabs_and_line_breaks_in_a_text_box_are_welcome(app: FastAPI, hostile_client: TestClient) -> None:
    token = csrf_token(hostile_client, "/services/example-helpline/report")
    sent = hostile_client.post(
        "/services/example-helpline/report",
        data={"csrf_token": token, "topic": "something-else", "message": "Line one\r\nLine two\tand a tab"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
