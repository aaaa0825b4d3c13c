"""Freshness: stale listings flagged and listed, and organisations' single-use confirmation links."""

from __future__ import annotations

import time
from datetime import timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from directory.moderation import freshness
from tests.conftest import add_listings, listing_row
from tests.moderation.conftest import service
from tests.moderation_support import (
    TODAY,
    csrf_token,
    sign_in,
    soup_of,
)


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
    assert link.startswith("http://testserver/confirm/")
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
