"""The search page through the real app: groups, messages, choices, shareable URLs, anonymous statistics."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select
from typer.testing import CliRunner

from directory.cli import app as cli
from directory.search.models import SearchStat
from tests.conftest import add_listings, centre_row, listing_row


def soup_of(client: TestClient, url: str, status: int = 200) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == status, response.text[:300]
    return BeautifulSoup(response.text, "html.parser")


@pytest.fixture
def stocked(app: FastAPI) -> FastAPI:
    add_listings(
        app,
        centre_row(id="leeds-centre", name="Leeds Centre", postcode="LS1 3EX"),
        centre_row(id="bradford-centre", name="Bradford Centre", town="Bradford", postcode="BD1 1HY"),
        listing_row(id="uk-helpline", name="UK Helpline"),
        listing_row(id="scotland-line", name="Scotland Line", service_area="scotland"),
    )
    return app


def test_results_come_in_two_labelled_groups(stocked: FastAPI, client: TestClient) -> None:
    soup = soup_of(client, "/search?location=ls13ex")
    nearby = soup.find("section", attrs={"aria-labelledby": "nearby-heading"})
    remote = soup.find("section", attrs={"aria-labelledby": "remote-heading"})
    assert nearby.h2.get_text(" ", strip=True) == "Near LS1 3EX (2)"
    assert remote.h2.get_text(" ", strip=True) == "Available to you by phone or online (1)"
    assert [a.get_text() for a in nearby.select(".card__title a")] == ["Leeds Centre", "Bradford Centre"]
    assert [urlsplit(a["href"]).path for a in remote.select(".card__title a")] == ["/services/uk-helpline"]
    assert parse_qs(urlsplit(remote.select_one(".card__title a")["href"]).query)["back"] == ["/search?location=ls13ex"]
    distance = nearby.select(".card__distance")[1]
    assert distance.get_text(" ", strip=True).startswith("8.")  # geodesic, between the two postcodes' own points
    assert "miles from LS1 3EX." in distance.get_text()
    assert soup.find("input", id="location")["value"] == "ls13ex"


def test_an_invalid_postcode_gets_a_clear_message_and_keeps_what_was_typed(client: TestClient) -> None:
    soup = soup_of(client, "/search?location=LS1+3E", 400)
    assert "There is a problem" in soup.find(class_="error-summary").get_text()
    assert "'LS1 3E' is not a valid UK postcode" in soup.find(id="location-error").get_text()
    assert soup.find("input", id="location")["value"] == "LS1 3E"
    assert "Error:" in soup.title.get_text()


def test_an_unknown_place_gets_a_clear_message(client: TestClient) -> None:
    soup = soup_of(client, "/search?location=Atlantis", 400)
    assert "could not find a UK place called 'Atlantis'" in soup.get_text()


def test_an_ambiguous_place_offers_a_choice_that_keeps_the_filters(stocked: FastAPI, client: TestClient) -> None:
    soup = soup_of(client, "/search?location=Bangor&support=emotional&radius=10")
    links = soup.select(".choices a")
    assert [a.get_text() for a in links] == [
        "Bangor, near Newtownards, Northern Ireland",
        "Bangor, near Colwyn Bay, Wales",
    ]
    chosen = soup_of(client, links[1]["href"])
    assert chosen.find("input", id="support-emotional").has_attr("checked")
    assert chosen.find("option", selected=True)["value"] == "10"
    assert "for Bangor, near Colwyn Bay, Wales" in chosen.find(class_="results-summary").get_text()


def test_no_nearby_results_suggests_widening_the_radius_or_removing_filters(
    stocked: FastAPI, client: TestClient
) -> None:
    soup = soup_of(client, "/search?location=TR1+1AA&radius=5&support=practical")
    no_results = soup.find(class_="no-results")
    assert "No in-person support within 5 miles of TR1 1AA that matches your filters" in no_results.get_text()
    links = {a.get_text(): a["href"] for a in no_results.find_all("a")}
    assert "radius=10" in links["Search within 10 miles"]
    assert "support" not in links["Remove all filters"] and "location=TR1" in links["Remove all filters"]


@pytest.mark.parametrize(
    ("url", "field"),
    [("/search?location=LS1&radius=7", "radius"), ("/search?location=LS1&support=hugs", "support"),
     ("/search?location=LS1&page=0", "page"), ("/search?location=" + "x" * 101, "location")],
)  # fmt: skip
def test_malformed_parameters_get_a_friendly_page(client: TestClient, url: str, field: str) -> None:
    response = client.get(url)
    assert response.status_code in (400, 422)
    assert field in response.text and "Traceback" not in response.text


def test_the_compact_view_shows_more_per_screen_with_contacts(stocked: FastAPI, client: TestClient) -> None:
    soup = soup_of(client, "/search?location=LS1&view=compact")
    assert soup.select(".cards--compact .card__meta a[href^='tel:']")
    assert soup.find("a", string="Full results")


def test_each_search_is_counted_by_outward_code_only(stocked: FastAPI, client: TestClient) -> None:
    client.get("/search?location=LS1+3EX&support=emotional")
    client.get("/search?location=TR1+1AA&support=practical&support=family")
    client.get("/search?location=TR1+1AA&support=practical&page=2")  # the same search, not counted again
    client.get("/search?location=Atlantis")  # not a place: nothing to count
    with Session(stocked.state.engine) as session:
        stats = session.exec(select(SearchStat).order_by(SearchStat.id)).all()
    assert [(s.outward_code, s.support, s.nearby_count) for s in stats] == [
        ("LS1", "emotional", 2),
        ("TR1", "practical;family", 0),
    ]
    stored = " ".join(str(value) for s in stats for value in s.model_dump().values())
    assert "3EX" not in stored and "1AA" not in stored


def test_the_gaps_report_lists_places_and_support_types_with_no_local_service(
    stocked: FastAPI, client: TestClient, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from directory.settings import get_settings

    for _ in range(2):
        client.get("/search?location=TR1+1AA&support=practical")
    client.get("/search?location=LS1+3EX&support=emotional")  # found a centre: not a gap
    monkeypatch.setenv("DATABASE_URL", database_url)
    get_settings.cache_clear()
    output = CliRunner().invoke(cli, ["report", "gaps"]).output
    get_settings.cache_clear()
    lines = output.splitlines()
    assert lines[1].split() == ["TR1", "Practical", "support", "2", lines[1].split()[-1]]
    assert not any(line.startswith("LS1") for line in lines)


def test_a_full_postcode_file_can_be_loaded(sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from directory.settings import get_settings

    ons = tmp_path / "onspd.csv"
    ons.write_text("pcds,lat,long\nLS1 3EX,53.799600,-1.549100\nZZ99 3WZ,99.999999,0.000000\n", encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", sqlite_url)
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["postcodes", "load", str(ons)])
    bad = tmp_path / "bad.csv"
    bad.write_text("code,x\nLS1,1\n", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["postcodes", "load", str(bad)])
    get_settings.cache_clear()
    assert "Loaded 1 postcodes" in result.output
    assert refused.exit_code == 1 and "Nothing was changed" in refused.output
