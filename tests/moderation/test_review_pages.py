"""Moderation through the real app: whole journeys from a suggestion to the public page, signing in, CSRF, the
sign-in throttle, hostile text shown escaped everywhere, conflicts, history and restore, and confirmation links."""

from __future__ import annotations

from datetime import date

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from directory.moderation.models import Submission
from tests.moderation.conftest import service, submission_status
from tests.moderation_support import (
    HOSTILE,
    MODERATOR_EMAIL,
    csrf_token,
    reference_on,
    seen_version,
    sign_in,
    soup_of,
    suggest_change,
    suggest_new,
)

TODAY = date.today()


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
