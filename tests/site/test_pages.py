"""The public pages: what a person sees, parsed with a real HTML parser."""

from __future__ import annotations

import logging

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient

from directory.guide import overview
from tests.conftest import add_listings, centre_row, listing_row

HOSTILE = "<script>alert('x')</script>\"quoted\" & 'single'"


def page(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"].startswith("text/html")
    return BeautifulSoup(response.text, "html.parser")


def test_home_page_offers_search_and_the_guide(client: TestClient) -> None:
    soup = page(client, "/")
    assert soup.h1.get_text(strip=True) == "Find support for secondary breast cancer"
    form = soup.find("form", attrs={"action": "/search"})
    assert form is not None and form.find("input", attrs={"name": "location"}) is not None
    assert soup.find("label", attrs={"for": "location"}) is not None
    assert soup.find("a", href="/overview") is not None
    assert soup.find("a", class_="skip-link")["href"] == "#main-content"
    assert soup.find("main", id="main-content") is not None


def test_every_overview_page_has_a_reviewed_date_and_get_help_panel(client: TestClient) -> None:
    contents = page(client, "/overview")
    assert [a["href"] for a in contents.select(".contents-list--large a")] == [
        f"/overview/{p.slug}" for p in overview.PAGES
    ]
    for item in overview.PAGES:
        soup = page(client, f"/overview/{item.slug}")
        assert soup.h1.get_text(strip=True) == item.title
        assert f"Page last reviewed: {overview.LAST_REVIEWED.day} {overview.LAST_REVIEWED:%B %Y}" in soup.get_text()
        assert soup.find(id="get-help-now") is not None
        assert "999" in soup.find(id="get-help-now").parent.get_text()


def test_overview_pages_cover_the_facts(client: TestClient) -> None:
    text = " ".join(page(client, f"/overview/{p.slug}").get_text(" ") for p in overview.PAGES).lower()
    for fact in ("bone", "liver", "lung", "brain", "ct", "mri", "biopsy", "chemotherapy", "hormone", "bisphosphonates"):
        assert fact in text


def test_unknown_overview_page_is_a_friendly_404(client: TestClient) -> None:
    soup = page(client, "/overview/nothing-here", 404)
    assert soup.h1.get_text(strip=True) == "Page not found"


def test_browse_lists_services_and_filters_them(app: FastAPI, client: TestClient) -> None:
    add_listings(
        app,
        listing_row(),
        listing_row(id="money-line", name="Example Money Line", support_types="financial"),
        centre_row(),
    )
    soup = page(client, "/services")
    assert soup.find(class_="results-count").get_text(strip=True) == "3 services"
    names = [a.get_text(strip=True) for a in soup.select(".card__title a")]
    assert names == ["Example Centre Leeds", "Example Helpline", "Example Money Line"]

    practical = page(client, "/services?support=practical")
    assert [a.get_text(strip=True) for a in practical.select(".card__title a")] == ["Example Money Line"]
    assert practical.find("input", id="support-practical").has_attr("checked")

    in_person = page(client, "/services?delivery=in-person")
    assert [a.get_text(strip=True) for a in in_person.select(".card__title a")] == ["Example Centre Leeds"]


def test_browse_by_nation_shows_only_what_is_available_there(app: FastAPI, client: TestClient) -> None:
    add_listings(
        app,
        listing_row(id="uk-line", name="UK Line"),
        listing_row(id="scotland-line", name="Scotland Line", service_area="scotland"),
        centre_row(),
    )
    scotland = page(client, "/services?nation=scotland")
    assert [a.get_text(strip=True) for a in scotland.select(".card__title a")] == ["Scotland Line", "UK Line"]
    england = page(client, "/services?nation=england")
    assert [a.get_text(strip=True) for a in england.select(".card__title a")] == ["Example Centre Leeds", "UK Line"]


def test_browse_paginates(app: FastAPI, client: TestClient) -> None:
    add_listings(app, *[listing_row(id=f"line-{n:02}", name=f"Line {n:02}") for n in range(25)])
    first = page(client, "/services")
    assert len(first.select(".card")) == 20
    assert first.find("a", rel="next")["href"] == "/services?page=2"
    second = page(client, "/services?page=2")
    assert len(second.select(".card")) == 5


def test_service_page_has_everything_needed_to_make_contact(app: FastAPI, client: TestClient) -> None:
    add_listings(app, centre_row(email="hello@example.org", languages="Welsh"))
    soup = page(client, "/services/example-centre-leeds")
    assert soup.h1.get_text(strip=True) == "Example Centre Leeds"
    phone = soup.find("a", class_="contact__phone")
    assert phone["href"] == "tel:+441632960001" and phone.get_text(strip=True) == "01632 960001"
    text = soup.get_text(" ", strip=True)
    for expected in ("1 Example Street", "LS1 3EX", "Monday to Friday, 9am to 5pm", "https://example.org/helpline",
                     "People living with secondary breast cancer", "Contact them yourself", "Free",
                     "English, Welsh", "1 November 2026"):  # fmt: skip
        assert expected in text
    assert soup.find("a", href="mailto:hello@example.org") is not None


def test_hostile_text_in_a_listing_is_shown_escaped(app: FastAPI, client: TestClient) -> None:
    add_listings(app, listing_row(name=HOSTILE, description=HOSTILE, opening_hours=HOSTILE, organisation_name=HOSTILE))
    for url in ("/services/example-helpline", "/services"):
        response = client.get(url)
        assert "<script>alert" not in response.text
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#34;quoted&#34; &amp; &#39;single&#39;" in response.text
        assert BeautifulSoup(response.text, "html.parser").find("script") is None


def test_unknown_service_is_a_friendly_404(client: TestClient) -> None:
    soup = page(client, "/services/no-such-service", 404)
    assert soup.h1.get_text(strip=True) == "Page not found"
    assert "no-such-service" in soup.get_text()
    assert soup.find("a", href="/search") is not None


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/services?page=abc", 422, "page"),
        ("/services?page=0", 422, "page"),
        ("/services?support=hugs", 400, "hugs"),
        ("/services?nation=france", 422, "nation"),
        ("/services?delivery=%00", 400, "delivery"),
    ],
)
def test_malformed_query_parameters_get_a_friendly_page(client: TestClient, url: str, status: int, field: str) -> None:
    soup = page(client, url, status)
    assert soup.h1 is not None and "problem" in soup.h1.get_text().lower()
    assert field in soup.find("main").get_text() or status == 400
    assert "Traceback" not in str(soup)


def test_unknown_page_is_a_friendly_404(client: TestClient) -> None:
    assert page(client, "/no/such/page", 404).h1.get_text(strip=True) == "Page not found"


def test_security_headers_are_on_every_response(client: TestClient) -> None:
    for url in ("/", "/services", "/no-such-page", "/static/styles.css"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"


def test_pages_load_nothing_from_other_sites(app: FastAPI, client: TestClient) -> None:
    add_listings(app, listing_row())
    for url in ("/", "/overview", "/services", "/services/example-helpline"):
        soup = page(client, url)
        assert not soup.find_all("script")
        for tag in soup.find_all(["link", "img", "iframe"]):
            assert (tag.get("href") or tag.get("src") or "").startswith("/")


def test_access_log_never_records_the_query_string(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="directory.access"):
        client.get("/services?support=emotional&location=LS1+3EX")
    lines = [record.getMessage() for record in caplog.records if record.name == "directory.access"]
    assert lines and lines[-1].startswith("GET /services 200")
    assert not any("LS1" in line or "support=" in line for line in lines)
