"""'Near you' against the rule, for many random directories: what it lists is within the radius by the true
(geodesic) distance, it lists everything within the radius when that is no more than 100, and in band order; read
at once or ring by ring, the answer is the same."""

from __future__ import annotations

import math
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from directory.geography import distance
from directory.geography.geocoding import ResolvedPlace
from directory.geography.nations import Nation
from directory.search import index, nearby
from directory.search.query import NEARBY_COUNT_CAP

LEEDS = ResolvedPlace("LS1 3EX", 53.7960, -1.5440, Nation.ENGLAND, "LS1", "postcode")
STALE_BEFORE = date(2025, 12, 1)


def directory_of(points: list[tuple[float, float, int, int]]) -> index.SearchIndex:
    """Local services at (miles north, miles east, specificity rank, days since checked) from Leeds."""
    entries = []
    for number, (north, east, rank, age) in enumerate(points):
        latitude = LEEDS.latitude + north / nearby.MILES_PER_DEGREE_LATITUDE
        longitude = LEEDS.longitude + east / (nearby.MILES_PER_DEGREE_LATITUDE * math.cos(math.radians(53.8)))
        entries.append(index.Entry(f"s{number:04}", f"service {number}", "local", frozenset(), 0,
                                   rank, STALE_BEFORE + timedelta(days=200 - age), ((latitude, longitude),)))  # fmt: skip
    return index._arrays(None, entries)


def everything(numbers: index.Numbers) -> index.Flags:
    return np.ones(numbers.size, np.bool_)


def directory_around(data: st.DataObject, radius: int) -> list[tuple[float, float, int, int]]:
    """Services anywhere within 60 miles, many of them close to the radius's edge (where the rule is hardest)."""
    miles = st.one_of(st.floats(0, 60), st.floats(radius * 0.9, radius * 1.1))
    bearing = st.floats(0, 2 * math.pi)
    polar = data.draw(st.lists(st.tuples(miles, bearing, st.integers(0, 4), st.integers(0, 400)), max_size=300))
    return [(r * math.cos(angle), r * math.sin(angle), rank, age) for r, angle, rank, age in polar]


@settings(max_examples=150, deadline=None)
@given(data=st.data(), radius=st.sampled_from([5, 10, 25, 50]), one_pass=st.sampled_from([0, 10_000]))
def test_near_you_keeps_to_the_rule(data: st.DataObject, radius: int, one_pass: int) -> None:
    found = directory_of(directory_around(data, radius))
    original = nearby.ONE_PASS_PLACES
    nearby.ONE_PASS_PLACES = one_pass  # 0: always ring by ring; 10,000: always at once
    try:
        ranked = nearby.nearest(found, LEEDS, radius, everything, STALE_BEFORE)
    finally:
        nearby.ONE_PASS_PLACES = original
    true_miles = {entry.id: distance.distance_miles(LEEDS.point, entry.points[0]) for entry in found.entries}
    listed = [found.entries[number].id for number in ranked]
    within = {id_ for id_, miles in true_miles.items() if miles <= radius}
    assert set(listed) <= within  # never one beyond the radius
    assert len(listed) == len(set(listed))
    if len(within) <= NEARBY_COUNT_CAP:
        assert set(listed) == within  # all of them
    else:
        assert len(listed) > NEARBY_COUNT_CAP  # "more than 100"
    bands = [int(true_miles[id_] // nearby.DISTANCE_BAND_MILES) for id_ in listed]
    assert all(later >= earlier - 1 for earlier, later in zip(bands, bands[1:], strict=False))  # bands, in order


@pytest.mark.parametrize("one_pass", [0, 10_000])
def test_within_a_band_the_more_specific_then_the_fresher_come_first(one_pass: int) -> None:
    found = directory_of([(0.5, 0, 4, 0), (0.6, 0, 0, 0), (0.7, 0, 0, 300), (0.2, 0, 4, 300), (3.0, 0, 0, 0)])
    original, nearby.ONE_PASS_PLACES = nearby.ONE_PASS_PLACES, one_pass
    try:
        ranked = nearby.nearest(found, LEEDS, 25, everything, STALE_BEFORE)
    finally:
        nearby.ONE_PASS_PLACES = original
    assert [found.entries[number].id for number in ranked] == ["s0001", "s0002", "s0000", "s0003", "s0004"]
