"""axe-core over the suggestion and moderation pages, signed in through the real form, at phone and desktop widths,
including their error states; and none of them scrolls sideways on a phone.

The moderator is created with the real command line (`directory moderators add`, password on standard input) in
the live server's database; the suggestions are sent through the public forms. Nothing is approved, so the live
data the other browser tests read is left as it was.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.browser.conftest import DESKTOP, PHONE, ROOT
from tests.browser.test_accessibility import AXE_OPTIONS

pytestmark = pytest.mark.browser
EMAIL, PASSWORD = "axe-moderator@example.org", "a long enough password for axe"


@dataclass
class Seeded:
    service_id: str
    change_reference: str
    report_reference: str
    status_path: str


def _token(client: httpx.Client, path: str) -> str:
    field = BeautifulSoup(client.get(path).text, "html.parser").find("input", attrs={"name": "csrf_token"})
    return str(field["value"])  # type: ignore[index]


@pytest.fixture(scope="module")
def seeded(live_server) -> Seeded:  # type: ignore[no-untyped-def]
    added = subprocess.run(
        [sys.executable, "-m", "directory.cli", "moderators", "add", EMAIL], input=PASSWORD + "\n", text=True,
        capture_output=True, check=False, cwd=ROOT, env=os.environ | {"DATABASE_URL": live_server.database_url}, timeout=60,
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    with httpx.Client(base_url=live_server.url) as client:
        first = BeautifulSoup(client.get("/services").text, "html.parser").select_one(".card__title a")
        service_id = urlsplit(str(first["href"])).path.rsplit("/", 1)[1]  # type: ignore[index]
        form = BeautifulSoup(client.get(f"/services/{service_id}/suggest").text, "html.parser").find(
            "form", method="post"
        )
        data: dict[str, object] = {}
        for control in form.select("input[name], textarea[name], select[name]"):  # type: ignore[union-attr]
            name = str(control["name"])
            if control.name == "textarea":
                data[name] = control.get_text()
            elif control.name == "select":
                chosen = control.find("option", selected=True)
                data[name] = chosen["value"] if chosen else ""
            elif control.get("type") == "checkbox":
                if control.has_attr("checked"):
                    data.setdefault(name, []).append(control["value"])  # type: ignore[union-attr]
            else:
                data[name] = control.get("value", "")
        data |= {"opening_hours": "Every day, 8am to 8pm", "message": "Their contact page changed."}
        sent = client.post(f"/services/{service_id}/suggest", data=data)
        assert sent.status_code == 303, sent.text[:500]
        status_path = sent.headers["location"]
        report = client.post(f"/services/{service_id}/report", data={
            "csrf_token": _token(client, f"/services/{service_id}"), "topic": "closed", "message": "It closed."})  # fmt: skip
        assert report.status_code == 303
        change_reference = re.findall(r"SUB-[2-9A-Z]{6}", client.get(status_path).text)[0]
        report_reference = re.findall(r"SUB-[2-9A-Z]{6}", client.get(report.headers["location"]).text)[0]
    return Seeded(service_id, change_reference, report_reference, status_path)


def check(page, label: str, axe_source: str, failures: list[str], phone: bool) -> None:  # type: ignore[no-untyped-def]
    page.add_script_tag(content=axe_source)
    result = page.evaluate(f"axe.run(document, {AXE_OPTIONS})")
    for violation in result["violations"]:
        targets = [node["target"] for node in violation["nodes"]][:3]
        failures.append(f"{label}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if phone and overflow > 0:
        failures.append(f"{label}: scrolls sideways by {overflow}px on a phone")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_suggestion_and_moderation_pages_pass_axe(live_server, axe_page, axe_source, seeded, viewport) -> None:  # type: ignore[no-untyped-def]
    page, base, failures = axe_page, live_server.url, []
    phone = viewport == PHONE
    page.set_viewport_size(viewport)

    def visit(path: str) -> None:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        check(page, path, axe_source, failures, phone)

    def checked(label: str) -> None:
        check(page, label, axe_source, failures, phone)

    _public_forms(page, base, seeded, visit, checked)
    _moderators_pages(page, base, seeded, visit, checked)
    page.goto(base + "/moderate")
    page.click("button:text('Sign out')")
    assert "/moderate/login" in page.url
    assert not failures, "\n".join(failures)


def _public_forms(page, base: str, seeded: Seeded, visit, checked) -> None:  # type: ignore[no-untyped-def]
    visit(seeded.status_path)
    page.goto(base + "/suggest")
    page.click("button:text('Send suggestion')")
    checked("/suggest with errors")
    page.goto(base + f"/services/{seeded.service_id}/report")
    page.check("#topic-something-else")
    page.click("button:text('Send report')")
    checked("report with an error")
    page.goto(base + "/moderate/login")
    page.fill("#email", EMAIL)
    page.fill("#password", "not the password")
    page.click("button:text('Sign in')")
    checked("sign-in error")
    page.fill("#password", PASSWORD)
    page.click("button:text('Sign in')")
    assert page.url == base + "/moderate"
    checked("/moderate")


def _moderators_pages(page, base: str, seeded: Seeded, visit, checked) -> None:  # type: ignore[no-untyped-def]
    for path in (
        f"/moderate/submissions/{seeded.change_reference}",
        f"/moderate/submissions/{seeded.change_reference}/edit",
        f"/moderate/submissions/{seeded.report_reference}",
        "/moderate/services",
        f"/moderate/services/{seeded.service_id}/history",
        "/moderate/stale",
    ):
        visit(path)
    page.goto(base + f"/moderate/submissions/{seeded.change_reference}")
    page.click("button:text('Do not accept')")  # no reason given: the error state, nothing decided
    checked("reject without a reason")
    page.goto(base + f"/moderate/services/{seeded.service_id}/history")
    page.evaluate(
        "(id) => { const form = document.createElement('form'); form.method = 'post';"
        " form.action = `/moderate/services/${id}/confirmation-link`;"
        " const token = document.querySelector('input[name=csrf_token]').cloneNode(); form.appendChild(token);"
        " document.body.appendChild(form); form.submit(); }",
        seeded.service_id,
    )
    page.wait_for_selector("#link")
    checked("confirmation link")
    link = page.input_value("#link")
    assert link.startswith(base + "/confirm/")  # the address the service runs on (no PUBLIC_BASE_URL set)
    visit(link.removeprefix(base))
