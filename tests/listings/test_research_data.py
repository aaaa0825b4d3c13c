"""The bundled directory as researched: enough in-person support in every nation, the groups people ask for, a way
to make contact and a specificity on every listing, organisations described once and in our own words, and the
corrections of the sample audits applied."""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from directory.listings import importer
from directory.listings.coverage import nations_of
from directory.listings.listing import Listing
from directory.listings.taxonomy import Specificity

ROOT = Path(__file__).resolve().parents[2]
RESEARCH = ROOT / "data" / "research" / "v2"
COPIED_RUN = 8  # words in a row that would count as copied


@pytest.fixture(scope="module")
def listings() -> list[Listing]:
    return importer.read_listings((ROOT / "data" / "organisations.csv").read_text(encoding="utf-8"))


def in_person(listing: Listing) -> bool:
    return "in-person" in listing.delivery_modes and listing.has_location


def test_the_directory_is_large_enough_to_help_people_everywhere(listings: list[Listing]) -> None:
    assert len(listings) >= 250
    placed = [listing for listing in listings if in_person(listing) and listing.postcode]
    assert len(placed) >= 150  # at their own postcode, or at the postcode of the hospital they stand in
    for nation in ("england", "scotland", "wales", "northern-ireland"):
        visitable = [
            listing for listing in listings if in_person(listing) and nation in {n.value for n in nations_of(listing)}
        ]
        assert len(visitable) >= 15, nation


def test_maggies_centres_and_secondary_breast_cancer_groups_are_listed(listings: list[Listing]) -> None:
    maggies = [listing for listing in listings if listing.organisation_id == "maggies" and in_person(listing)]
    assert len(maggies) >= 20
    groups = [
        listing for listing in listings
        if listing.specificity is Specificity.SECONDARY_BREAST_CANCER and in_person(listing)
        and "peer-support" in listing.support_types
    ]  # fmt: skip
    assert len(groups) >= 8
    assert sum(1 for group in groups if group.schedules or group.opening_hours) >= 8  # when they meet


def test_every_listing_has_a_contact_a_specificity_and_evidence(listings: list[Listing]) -> None:
    evidence = _snippets()
    for listing in listings:
        assert listing.phone or listing.email or listing.website, listing.id
        assert isinstance(listing.specificity, Specificity), listing.id
        assert listing.id in evidence, f"{listing.id}: no excerpt of its source pages in data/research/v2"


def test_an_approximate_place_gives_no_street_address(listings: list[Listing]) -> None:
    for listing in listings:
        if listing.approximate:
            assert not listing.address and not listing.grounds_of, listing.id


def test_each_organisation_is_described_once_and_in_its_own_words(listings: list[Listing]) -> None:
    by_organisation: dict[str, set[tuple[str, str, str, str]]] = defaultdict(set)
    for listing in listings:
        by_organisation[listing.organisation_id].add(
            (listing.organisation_name, listing.organisation_website, listing.organisation_description,
             listing.charity_number)
        )  # fmt: skip
    assert all(len(values) == 1 for values in by_organisation.values())
    descriptions = Counter(
        next(iter(values))[2].replace(next(iter(values))[0], "") for values in by_organisation.values()
    )
    assert all(description.strip() for description in descriptions)
    assert max(descriptions.values()) / len(by_organisation) < 0.2  # not one generated sentence for everyone


def _snippets() -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for path in RESEARCH.glob("*-snippets.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                found[record["id"]].append(record["excerpt"])
    return found


def _runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + COPIED_RUN]) for i in range(len(words) - COPIED_RUN + 1)}


def test_no_description_copies_eight_words_in_a_row_from_its_sources(listings: list[Listing]) -> None:
    excerpts = _snippets()
    copied = []
    for listing in listings:
        source_runs = set().union(*(_runs(excerpt) for excerpt in excerpts.get(listing.id, [])))
        for field in ("description", "organisation_description"):
            if overlap := _runs(getattr(listing, field)) & source_runs:
                copied.append(f"{listing.id} {field}: {' '.join(next(iter(overlap)))}")
    assert not copied, copied[:10]


def test_the_sample_audits_corrections_are_applied(listings: list[Listing]) -> None:
    by_id = {listing.id: listing for listing in listings}
    cancer_fund = [listing for listing in listings if listing.organisation_id == "cancer-fund-for-children"]
    assert cancer_fund and all(listing.phone != "028 9080 5599" for listing in cancer_fund)  # its press office
    assert not any("HSC Bereavement Network" == listing.organisation_name for listing in listings)
    assert any("Bereaved NI" in listing.organisation_name for listing in listings)
    assert by_id["birmingham-st-marys-hospice"].organisation_name == "Birmingham Hospice"
    cruse = {
        listing.organisation_id
        for listing in listings
        if listing.id.startswith("cruse-") and "scotland" not in listing.id
    }
    assert cruse == {"cruse-bereavement-support"}
    therapies = by_id["dimbleby-cancer-care-guys-complementary-therapies"]
    assert therapies.referral is not None and "professional" in therapies.referral.value
    assert by_id["dimbleby-cancer-care-guys"].id != therapies.id  # the drop-in centre, open to all, is its own listing
    audit = (ROOT / "data" / "research" / "audit-3-2026-12-01.md").read_text(encoding="utf-8")
    assert "random.Random(20261201)" in audit and "Contradicted by a source: **0**" in audit
