"""Helpers for the submission and moderation tests: forms filled in as a person would, and a moderator who signs in
through the real sign-in form."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response

from directory import db
from directory.moderation import auth
from directory.moderation.listing_form import PUBLIC_FIELDS
from tests.conftest import listing_row

MODERATOR_EMAIL = "moderator@example.org"
MODERATOR_PASSWORD = "a long enough password"
HOSTILE = "<script>alert('x')</script>\"quoted\" & 'single'"


def soup_of(response: Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def csrf_token(client: TestClient, path: str = "/suggest") -> str:
    """The token a form on `path` carries (visiting it also gives the browser its CSRF cookie)."""
    found = soup_of(client.get(path)).find("input", attrs={"name": "csrf_token"})
    assert found is not None, f"no CSRF field on {path}"
    return str(found["value"])


def form_fields(row: dict[str, str]) -> dict[str, str | list[str]]:
    """A listing row as the public form posts it: checkbox groups as several values."""
    fields: dict[str, str | list[str]] = {}
    for field in PUBLIC_FIELDS:
        value = row.get(field, "")
        fields[field] = (
            [code for code in value.split(";") if code]
            if field in ("support_types", "audiences", "delivery_modes")
            else value
        )
    return fields


def add_moderator(app: FastAPI, email: str = MODERATOR_EMAIL, password: str = MODERATOR_PASSWORD) -> None:
    with db.session_scope(app.state.engine) as session:
        auth.create_moderator(session, email, password)


def sign_in(client: TestClient, email: str = MODERATOR_EMAIL, password: str = MODERATOR_PASSWORD) -> Response:
    """Through the sign-in form, as a moderator would."""
    token = csrf_token(client, "/moderate/login")
    return client.post(
        "/moderate/login", data={"email": email, "password": password, "csrf_token": token, "next": "/moderate"},
        follow_redirects=False,
    )  # fmt: skip


def suggest_change(client: TestClient, service_id: str, **changes: str) -> Response:
    row = listing_row() | changes
    data = form_fields(row) | {"csrf_token": csrf_token(client, f"/services/{service_id}/suggest"), "message": ""}
    return client.post(f"/services/{service_id}/suggest", data=data, follow_redirects=False)


def suggest_new(client: TestClient, **values: str) -> Response:
    row = listing_row(name="Example Peer Group", description="A fictional peer support group.") | values
    data = form_fields(row) | {"csrf_token": csrf_token(client), "message": values.get("message", "")}
    return client.post("/suggest", data=data, follow_redirects=False)


def reference_on(page: Response) -> str:
    found = re.search(r"SUB-[2-9A-Z]{6}", page.text)
    assert found, "no submission reference on the page"
    return found.group(0)


def seen_version(page: Response) -> str:
    found = soup_of(page).find("input", attrs={"name": "seen_version"})
    assert found is not None
    return str(found["value"])
