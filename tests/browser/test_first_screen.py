"""On a phone (390 x 844), the first screen after a search shows how many services were found and the first
result, not the form again; a service page opened from the results leads back to the same results."""

from __future__ import annotations

import pytest

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser


def on_first_screen(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 60) <= PHONE["height"]


@pytest.mark.parametrize("location", ["Leeds", "LS1 3EX", "Penzance", "Cardiff"])
def test_the_first_screen_after_a_search_shows_the_counts_and_the_first_result(
    live_server, no_js_page, location
) -> None:  # type: ignore[no-untyped-def]
    page = no_js_page
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/search")
    page.fill("#location", location)
    page.click("button:text('Search')")
    assert on_first_screen(page, ".results-counts"), "the counts are below the first screen"
    assert on_first_screen(page, ".card__title"), "the first result is below the first screen"
    assert not page.locator("#location").is_visible()  # the form is folded away under 'Change search'
    page.screenshot(path=str(live_server.log_path.parent / f"first-screen-{location.replace(' ', '-')}.png"))


def test_back_to_results_keeps_the_search(live_server, no_js_page) -> None:  # type: ignore[no-untyped-def]
    page = no_js_page
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/search?location=Leeds&radius=25&support=emotional")
    name = page.locator(".card__title a").first.inner_text()
    page.locator(".card__title a").first.click()
    assert page.locator("h1").inner_text() == name
    page.click("text=Back to results")
    assert page.url.endswith("/search?location=Leeds&radius=25&support=emotional")
