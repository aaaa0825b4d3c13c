"""The condition guide as a reader meets it: the urgent-help panel on every guide page and the home page, every
999 and 111 a number a phone can call, each page's sources and review dates, and plain English measured with
textstat (reading age about 11)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import textstat
from bs4 import BeautifulSoup, Tag
from fastapi import FastAPI
from fastapi.testclient import TestClient

from directory.guide import overview
from tests.conftest import add_listings, listing_row

GUIDE_PAGES = [f"/overview/{page.slug}" for page in overview.PAGES]
TRUSTED = ("nhs.uk", "nice.org.uk", "breastcancernow.org", "macmillan.org.uk", "cancerresearchuk.org",
           "mariecurie.org.uk", "nidirect.gov.uk")  # fmt: skip
# Flesch reading ease 70 and over is "fairly easy" and above; grade 6 is a reading age of about 11 to 12.
MIN_READING_EASE, MAX_GRADE = 70, 6.0
textstat.set_rounding(False)  # textstat otherwise rounds words per sentence and syllables per word to 0.1 first


def soup_of(client: TestClient, path: str) -> BeautifulSoup:
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.text, "html.parser")


def body_text(soup: BeautifulSoup) -> str:
    """The page's own words: each paragraph, list item and heading a sentence of its own."""
    article = soup.find("article")
    assert isinstance(article, Tag)
    for part in article.select(".sources, .pager, h1, .guide-caution"):
        part.decompose()
    sentences = []
    for block in article.find_all(["p", "li", "h2", "h3"]):
        text = " ".join(block.get_text(" ").split())
        sentences.append(text if text.endswith((".", "?", ":", "!")) else f"{text}.")
    return " ".join(sentences)


@pytest.mark.parametrize("path", ["/", "/overview", *GUIDE_PAGES])
def test_the_urgent_help_panel_is_on_every_guide_page_and_the_home_page(client: TestClient, path: str) -> None:
    panel = soup_of(client, path).find("aside", attrs={"aria-labelledby": "get-help-now"})
    assert panel is not None, path
    text = " ".join(panel.get_text(" ").split())
    for sign in ("37.5°C", "numbness or weakness", "thirst", "headache", "24-hour cancer helpline"):
        assert sign in text, (path, sign)
    links = {a["href"] for a in panel.find_all("a")}
    assert {"tel:999", "tel:111", "tel:116123", "/overview/get-help-urgently"} <= links


EMERGENCY = re.compile(r"(?<!\d)(?<!\d )(999|111)(?!\s?\d)")


def untappable(soup: BeautifulSoup) -> list[str]:
    """Every 999 or 111 in the page's visible text that is not inside a tel: link."""
    found = []
    for text in soup.body.find_all(string=EMERGENCY):  # type: ignore[union-attr]
        if text.find_parent(["script", "style", "textarea"]):
            continue
        if not text.find_parent("a", href=re.compile("^tel:")):
            found.append(" ".join(str(text).split()))
    return found


@pytest.mark.parametrize("path", ["/", "/overview", *GUIDE_PAGES, "/services", "/search", "/services/crisis-line"])
def test_every_999_and_111_can_be_tapped_to_call(app: FastAPI, client: TestClient, path: str) -> None:
    add_listings(app, listing_row(id="crisis-line", description="Someone to talk to. In an emergency, ring 999.",
                                  opening_hours="Any time; out of hours call NHS 111"))  # fmt: skip
    assert untappable(soup_of(client, path)) == [], path
    if path == "/services/crisis-line":
        links = {a["href"] for a in soup_of(client, path).find_all("a")}
        assert {"tel:999", "tel:111"} <= links


@pytest.mark.parametrize("page", overview.PAGES, ids=lambda page: page.slug)
def test_each_page_names_its_sources_and_review_dates(client: TestClient, page: overview.OverviewPage) -> None:
    sources = soup_of(client, f"/overview/{page.slug}").find("section", class_="sources")
    assert sources is not None
    links = [a["href"] for a in sources.find_all("a")]
    assert links and all(urlsplit(link).scheme == "https" for link in links)
    assert all(urlsplit(link).hostname.endswith(TRUSTED) for link in links), links  # type: ignore[union-attr]
    reviewed = " ".join(sources.find(class_="reviewed").get_text().split())
    assert f"Page last reviewed: {overview.LAST_REVIEWED.day} {overview.LAST_REVIEWED:%B %Y}" in reviewed
    assert f"Next review due: {overview.NEXT_REVIEW.day} {overview.NEXT_REVIEW:%B %Y}" in reviewed
    assert overview.LAST_REVIEWED < overview.NEXT_REVIEW


def test_the_guide_covers_urgent_help_and_says_treatment_can_control_it(client: TestClient) -> None:
    urgent = body_text(soup_of(client, "/overview/get-help-urgently"))
    for fact in ("37.5°C", "below 36°C", "spinal cord compression", "high calcium", "bladder or bowels",
                 "acute oncology", "NHS 24", "GP Out-of-Hours", "Samaritans"):  # fmt: skip
        assert fact in urgent, fact
    assert "more and more people are living longer" in body_text(soup_of(client, "/overview/what-it-is")).lower()


@pytest.mark.parametrize("page", overview.PAGES, ids=lambda page: page.slug)
def test_each_page_reads_at_a_reading_age_of_about_eleven(client: TestClient, page: overview.OverviewPage) -> None:
    text = body_text(soup_of(client, f"/overview/{page.slug}"))
    assert textstat.flesch_reading_ease(text) >= MIN_READING_EASE, page.slug
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, page.slug


def test_the_whole_guide_is_plain_and_no_longer_thin(client: TestClient) -> None:
    text = " ".join(body_text(soup_of(client, path)) for path in GUIDE_PAGES)
    assert len(text.split()) >= 1_500
    assert textstat.flesch_reading_ease(text) >= 75 and textstat.flesch_kincaid_grade(text) <= 5
