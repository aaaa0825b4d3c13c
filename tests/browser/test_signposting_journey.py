"""A nurse's journey in a real browser: build a list from two searches, reorder it, add a note, print the support
sheet and open the share link; the sheet fits one A4 page; every signposting page passes axe-core."""

from __future__ import annotations

import csv
import io
import re

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from directory.listings import cards
from directory.listings.taxonomy import Referral
from tests.browser.conftest import DESKTOP, PHONE, ROOT
from tests.browser.test_accessibility import AXE_OPTIONS

pytestmark = pytest.mark.browser


def search(page, base_url: str, location: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/search")
    page.fill("#location", location)
    page.click("button:text('Search')")


def add_first_results(page, count: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Press 'Add to list' on the first `count` results not in the list yet; their names, in that order."""
    names = []
    for _ in range(count):
        card = page.locator(".card:has(.add-to-list button)").first
        names.append(card.locator(".card__title").inner_text().strip())
        url = page.url.split("#")[0]
        card.locator(".add-to-list button").click()
        assert page.url.split("#")[0] == url  # back on the same page
    return names


def share_list(page, base_url: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/list")
    page.click("button:text('Save the list and make a share link')")
    return str(page.locator(".share-link").get_attribute("href"))


def test_a_nurse_builds_a_list_from_two_searches_and_hands_it_over(live_server, no_js_page) -> None:  # type: ignore[no-untyped-def]
    page = no_js_page  # no JavaScript at all, at phone width
    search(page, live_server.url, "LS1 3EX")
    first, second = add_first_results(page, 2)
    search(page, live_server.url, "Cardiff")
    (third,) = add_first_results(page, 1)
    assert page.locator(".site-nav a[href='/list']").inner_text().startswith("Your list (3")

    page.click(".site-nav a[href='/list']")
    assert page.locator(".shortlist__name").all_inner_texts() == [first, second, third]
    page.locator(".shortlist__item", has_text=third).get_by_role("button", name=re.compile("^Move up")).click()
    wanted = [first, third, second]
    assert page.locator(".shortlist__name").all_inner_texts() == wanted
    page.fill("#note", "Ring the helpline on Monday morning.")
    page.click("button:text('Save note')")
    page.click("button:text('Save the list and make a share link')")
    share_path = str(page.locator(".share-link").get_attribute("href"))

    page.click("text=Open the support sheet to print")
    assert [name.strip() for name in page.locator(".sheet__service h2").all_inner_texts()] == wanted
    assert "Ring the helpline on Monday morning." in page.locator(".sheet__note").inner_text()
    assert live_server.url + share_path in page.locator(".sheet__link").inner_text()

    page.goto(live_server.url + share_path)
    assert page.locator(".shortlist__name").all_inner_texts() == wanted
    assert "Ring the helpline on Monday morning." in page.locator(".note").inner_text()
    page.goto(live_server.url + "/list/sheet")
    assert [name.strip() for name in page.locator(".sheet__service h2").all_inner_texts()] == wanted


def test_a_note_typed_before_making_the_share_link_is_on_the_shared_list(live_server, no_js_page) -> None:  # type: ignore[no-untyped-def]
    page = no_js_page
    search(page, live_server.url, "Leeds")
    add_first_results(page, 1)
    page.goto(live_server.url + "/list")
    page.fill("#note", "Ask about the Thursday group.")  # typed, and 'Save note' never pressed
    page.click("button:text('Save the list and make a share link')")
    share_path = str(page.locator(".share-link").get_attribute("href"))
    assert page.locator("#note").input_value() == "Ask about the Thursday group."
    page.goto(live_server.url + share_path)
    assert "Ask about the Thursday group." in page.locator(".note").inner_text()
    page.goto(live_server.url + share_path + "/sheet?size=large")
    assert "Ask about the Thursday group." in page.locator(".sheet__note").inner_text()
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.sheet__offers')).fontSize)")
    assert size >= 16 * 96 / 72  # 16 pt in CSS pixels


def test_the_qr_code_on_the_sheet_scans_as_the_share_link(live_server, browser_page) -> None:  # type: ignore[no-untyped-def]
    search(browser_page, live_server.url, "G12 8QQ")
    add_first_results(browser_page, 2)
    share_path = share_list(browser_page, live_server.url)
    browser_page.goto(live_server.url + share_path + "/sheet")
    picture = Image.open(io.BytesIO(browser_page.locator(".sheet__qr svg").screenshot()))
    assert [barcode.text for barcode in zxingcpp.read_barcodes(picture)] == [
        live_server.url + share_path
    ]  # the address it runs on


def six_longest_services() -> list[str]:
    """The six bundled services that take the most room on a sheet: the hardest case for 'fits one page'."""
    with (ROOT / "data" / "organisations.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))

    def printed_length(row: dict[str, str]) -> int:
        fields = ("name", "phone", "opening_hours", "website", "address", "town", "postcode")
        words = sum(len(row[field]) for field in fields) + len(cards.summary(row["description"]))
        return words + len(Referral(row["referral"]).label if row["referral"] else "Ask the service how to start")

    return [row["id"] for row in sorted(rows, key=printed_length)[-6:]]


def test_the_support_sheet_prints_on_one_a4_page_for_six_services(live_server, browser_page) -> None:  # type: ignore[no-untyped-def]
    for service_id in six_longest_services():
        browser_page.goto(f"{live_server.url}/services/{service_id}")
        browser_page.click("button:has-text('Add to list')")
    browser_page.goto(live_server.url + "/list")
    browser_page.fill("#note", "Ring the hospice on Tuesday about the day centre. Ask your GP about a referral.")
    browser_page.click("button:text('Save note')")
    share_path = share_list(browser_page, live_server.url)
    browser_page.goto(live_server.url + share_path + "/sheet")
    assert browser_page.locator(".sheet__service").count() == 6
    printed = PdfReader(io.BytesIO(browser_page.pdf(format="A4")))
    assert len(printed.pages) == 1
    assert "In an emergency, call 999" in printed.pages[0].extract_text()
    download = browser_page.request.get(live_server.url + share_path + "/sheet.pdf")
    assert len(PdfReader(io.BytesIO(download.body())).pages) == 1


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_signposting_pages_have_no_accessibility_violation(live_server, axe_page, axe_source, viewport) -> None:  # type: ignore[no-untyped-def]
    axe_page.set_viewport_size(viewport)
    search(axe_page, live_server.url, "LS1 3EX")
    add_first_results(axe_page, 2)
    share_path = share_list(axe_page, live_server.url)
    failures = []

    def check(label: str) -> None:
        axe_page.add_script_tag(content=axe_source)
        result = axe_page.evaluate(f"axe.run(document, {AXE_OPTIONS})")
        for violation in result["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            failures.append(f"{label}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")

    for path in ("/list", "/list/sheet", share_path, share_path + "/sheet", "/services"):
        axe_page.goto(live_server.url + path)
        check(path)
    axe_page.goto(live_server.url + "/list")
    axe_page.fill("#note", "x" * 1001)
    axe_page.click("button:text('Save note')")
    assert axe_page.locator(".error-summary").count() == 1
    check("/list with a note that is too long")
    assert not failures, "\n".join(failures)
