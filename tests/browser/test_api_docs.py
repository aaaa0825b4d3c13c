"""The interactive API documentation at /docs: Swagger UI from our own address, working under our strict
Content-Security-Policy, with nothing loaded from another site."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_accessibility import AXE_OPTIONS

pytestmark = pytest.mark.browser


def test_the_api_documentation_works_under_the_content_security_policy(live_server, browser_page) -> None:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    hosts: set[str] = set()
    browser_page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    browser_page.on("pageerror", lambda error: problems.append(str(error)))
    browser_page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    response = browser_page.goto(live_server.url + "/docs")
    assert response is not None and response.status == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    browser_page.wait_for_selector(".opblock-summary", timeout=20_000)
    operations = browser_page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/oruk/services" in text for text in operations)
    assert any("/api/v1/search" in text for text in operations)
    assert not [text for text in operations if not text.replace("\u200b", "").startswith("/api/")]
    assert hosts == {urlsplit(live_server.url).netloc}, hosts
    assert not problems, problems


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_api_documentation_has_no_accessibility_violation(live_server, axe_page, axe_source, viewport) -> None:  # type: ignore[no-untyped-def]
    """As it opens, with every operation listed (Swagger UI's expanded forms are its own: see README)."""
    axe_page.set_viewport_size(viewport)
    axe_page.goto(live_server.url + "/docs")
    axe_page.wait_for_selector(".opblock-summary", timeout=20_000)
    axe_page.add_script_tag(content=axe_source)
    result = axe_page.evaluate(f"axe.run(document, {AXE_OPTIONS})")
    failures = [
        f"{violation['id']}: {violation['help']} at {[node['target'] for node in violation['nodes']][:3]}"
        for violation in result["violations"]
    ]
    assert not failures, "\n".join(failures)


def test_without_javascript_the_documentation_points_to_the_openapi_document(live_server, no_js_page) -> None:  # type: ignore[no-untyped-def]
    no_js_page.goto(live_server.url + "/docs")
    assert no_js_page.get_by_role("link", name="OpenAPI document").first.is_visible()
