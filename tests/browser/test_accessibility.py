"""axe-core over every page, at phone and desktop widths: any WCAG 2.x A/AA violation fails the test."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from directory.guide import overview
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/overview",
    *[f"/overview/{page.slug}" for page in overview.PAGES],
    "/services",
    "/services?support=emotional&delivery=phone&nation=wales",
    "/services/{first_service}",
    "/services/no-such-service",
    "/services?page=abc",
    "/about",
    "/search",
    "/search?location=LS1+3EX",
    "/search?location=G12+8QQ&support=emotional&support=financial&delivery=phone",
    "/search?location=Bangor",
    "/search?location=LS1+3E",
    "/search?location=LS1&view=compact",
    "/search?location=TR1+1AA&radius=5&support=practical",
    "/search?location=Leeds&when=open&secondary=true",
    "/search?location=Blackpool&when=soon&radius=25",
    "/services/breast-cancer-now-lwsbc-blackpool",  # a group that meets: next dates, calendar link
    "/services/breast-cancer-now-lwsbc-blackpool/cancelled",
    "/services/macmillan-support-line",  # a helpline: weekly hours, open now
    "/list",  # empty here; the filled list, support sheet and share pages: tests/browser/test_signposting_journey.py
    "/l/0000-0000-0000",
    "/suggest",  # the moderation pages, signed in, and the forms' error states: tests/browser/test_moderation_pages.py
    "/services/{first_service}/suggest",
    "/services/{first_service}/report",
    "/moderate/login",
]
AXE_OPTIONS = (
    "{runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}}"
)


def first_service_id(page, base_url: str) -> str:  # type: ignore[no-untyped-def]
    page.goto(base_url + "/services")
    return urlsplit(page.locator(".card__title a").first.get_attribute("href")).path.rsplit("/", 1)[1]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_page_has_an_accessibility_violation(live_server, axe_page, axe_source, viewport) -> None:  # type: ignore[no-untyped-def]
    axe_page.set_viewport_size(viewport)
    service_id = first_service_id(axe_page, live_server.url)
    failures = []
    for path in PAGES:
        axe_page.goto(live_server.url + path.format(first_service=service_id))
        axe_page.add_script_tag(content=axe_source)
        result = axe_page.evaluate(f"axe.run(document, {AXE_OPTIONS})")
        for violation in result["violations"]:
            targets = [node["target"] for node in violation["nodes"]][:3]
            failures.append(f"{path}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}")
    assert not failures, "\n".join(failures)


def test_pages_work_without_javascript_and_fit_a_small_screen(live_server, no_js_page) -> None:  # type: ignore[no-untyped-def]
    no_js_page.set_viewport_size({"width": 320, "height": 640})
    for path in ["/", "/overview/treatment", "/services"]:
        response = no_js_page.goto(live_server.url + path)
        assert response is not None and response.status == 200
        overflow = no_js_page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways at 320 px"
    no_js_page.goto(live_server.url + "/services")
    no_js_page.check("#support-emotional")
    no_js_page.click("text=Apply filters")
    assert "support=emotional" in no_js_page.url
