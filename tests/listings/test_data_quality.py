"""The bundled directory data (data/organisations.csv): every listing valid, sourced, dated and distinct."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from directory.listings import importer
from directory.listings.listing import Listing

DATA = Path(__file__).resolve().parents[2] / "data" / "organisations.csv"


@pytest.fixture(scope="module")
def listings() -> list[Listing]:
    try:
        return importer.read_listings(DATA.read_text(encoding="utf-8"))
    except importer.ImportRejected as rejected:
        pytest.fail("data/organisations.csv has problems:\n" + "\n".join(map(str, rejected.problems)))


def test_the_bundled_file_passes_the_importers_checks(listings: list[Listing]) -> None:
    """Source, check date, phone, URL, postcode the gazetteer places, in-person address, vocabularies."""
    assert len(listings) >= 15


def test_every_listing_says_where_and_when_it_was_checked(listings: list[Listing]) -> None:
    for listing in listings:
        assert listing.source_url.startswith("https://") or listing.source_url.startswith("http://"), listing.id
        assert date(2025, 1, 1) <= listing.last_verified <= date.today(), listing.id


def test_no_listing_duplicates_another(listings: list[Listing]) -> None:
    names = Counter((listing.organisation_id, listing.name.lower()) for listing in listings)
    assert not [key for key, count in names.items() if count > 1]
    # Services of one organisation may share a phone line or a page, but not all of their contact and offer.
    offers = Counter(
        (
            listing.website,
            listing.postcode,
            listing.town,
            listing.phone,
            listing.support_types,
            listing.delivery_modes,
            listing.service_area,
        )
        for listing in listings
        if listing.website or listing.phone
    )
    assert not [key for key, count in offers.items() if count > 1]


def test_descriptions_are_plain_sentences(listings: list[Listing]) -> None:
    for listing in listings:
        assert 40 <= len(listing.description) <= 600, listing.id
        assert listing.description.rstrip().endswith((".", "!", ")")), listing.id


def test_every_column_is_documented() -> None:
    from directory.listings.schema import COLUMNS

    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    assert not [column for column in COLUMNS if f"| {column} |" not in readme]


def test_the_directory_covers_every_nation(listings: list[Listing]) -> None:
    """At least 120 listings; at least 10 in or for each nation, each with emotional, practical and family support."""
    from directory.geography.nations import Nation
    from directory.listings.coverage import coverage

    report = coverage(listings)
    assert report.total >= 120
    for nation in Nation:
        assert report.per_nation[nation] >= 10, nation
        for support in ("emotional", "practical", "family"):
            assert report.support_per_nation[nation][support] >= 1, (nation, support)


def test_the_coverage_report_in_data_readme_is_current(listings: list[Listing]) -> None:
    from directory.listings.coverage import coverage, render

    readme = (DATA.parent / "README.md").read_text(encoding="utf-8")
    assert render(coverage(listings)) in readme, "Paste `directory report coverage` into data/README.md"
