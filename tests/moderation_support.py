"""Helpers for the submission and moderation tests: forms filled in as a person would, and a moderator who signs in
through the real sign-in form."""

from __future__ import annotations

import re
from datetime import date

from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session

from directory import db
from directory.listings import audit, catalogue
from directory.listings.models import Service
from directory.moderation import auth, decisions, submissions
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
    data = form_fields(row) | {
        "csrf_token": csrf_token(client, f"/services/{service_id}/suggest"),
        "message": changes.get("message", ""),
    }
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


TODAY = date.today()


EDITABLE = {key: value for key, value in listing_row().items() if key not in ("id", "organisation_id", "last_verified")}


def session_of(app: FastAPI) -> Session:
    return Session(app.state.engine)


def moderator_actor(app: FastAPI, email: str = "mod@example.org") -> audit.Actor:
    with db.session_scope(app.state.engine) as session:
        moderator = auth.create_moderator(session, email, "a long enough password")
        return audit.Actor(f"Moderator {moderator.email}", moderator.id)


def change(app: FastAPI, **fields: str) -> str:
    """Suggest a change to some fields of example-helpline; returns the reference."""
    with db.session_scope(app.state.engine) as session:
        service = catalogue.require_service(session, "example-helpline")
        row = audit.listing_row(catalogue.listing_of(service)) | fields
        return submissions.submit_change(session, service, row, today=TODAY).reference


def approve(app: FastAPI, reference: str, actor: audit.Actor, **options: object) -> tuple[int, str] | None:
    """Approve in a transaction of its own; the audit event's (version, actor), or None if nothing changed."""
    with db.session_scope(app.state.engine) as session:
        submission = submissions.find_by_reference(session, reference)
        service = catalogue.get_service(session, submission.service_id)
        version = options.pop("seen_version", service.version if service else None)
        event = decisions.approve(session, submission, actor=actor, seen_version=version, today=TODAY, **options)  # type: ignore[arg-type]
        return (event.version, event.actor) if event else None


def current(app: FastAPI, service_id: str = "example-helpline") -> Service:
    with session_of(app) as session:
        service = catalogue.require_service(session, service_id)
        session.expunge_all()
        return service
