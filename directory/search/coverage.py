"""Who may use a service at a place: the one coverage rule, for both groups of results.

A service is available to a person when its area is the UK, or the person's nation, or it is limited to some
postcode areas (`areas`) and the person is inside one of them (by any delivery mode: a hospice line for
Inverclyde is not offered in Dumfries), or it is a local, place-based service (then only by distance).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from directory.geography.geocoding import ResolvedPlace
from directory.listings.taxonomy import ServiceArea
from directory.search.index import AREA_NUMBERS, Flags, Numbers, SearchIndex

UK, AREAS, LOCAL = ServiceArea.UK.value, ServiceArea.AREAS.value, ServiceArea.LOCAL.value


def open_to(index: SearchIndex, place: ResolvedPlace, numbers: Numbers) -> Flags:
    """May this person use them at all: the condition on 'near you' (a Scotland-only centre is never offered in
    Belfast, however near; an Inverclyde-only one never outside Inverclyde)."""
    return _reaching(index, place, numbers, (UK, place.nation.value, LOCAL))


def covers(index: SearchIndex, place: ResolvedPlace, numbers: Numbers) -> Flags:
    """Does their reach (the UK, the nation, or an area the place is in) include the place: the candidates for
    'by phone or online'. Local services never reach beyond their places."""
    return _reaching(index, place, numbers, (UK, place.nation.value))


def _reaching(index: SearchIndex, place: ResolvedPlace, numbers: Numbers, areas: tuple[str, ...]) -> Flags:
    reach = index.area[numbers]
    reaches = _allowed(areas)[reach]
    limited = np.flatnonzero(reach == AREA_NUMBERS[AREAS])
    if limited.size:  # few: the area-limited services, each with its own list of postcode areas
        codes = frozenset(place.area_codes)
        reaches[limited] = [not index.entries[number].area_codes.isdisjoint(codes) for number in numbers[limited]]
    return reaches


@lru_cache(maxsize=16)
def _allowed(areas: tuple[str, ...]) -> Flags:
    """A table from area number to whether it is one of these areas."""
    allowed = np.zeros(len(AREA_NUMBERS), np.bool_)
    allowed[[AREA_NUMBERS[area] for area in areas]] = True
    return allowed


def reach_ranks(index: SearchIndex, place: ResolvedPlace, numbers: Numbers) -> Numbers:
    """0 for a service of the person's own area, 1 for their nation's, 2 for the UK's."""
    reach = index.area[numbers]
    ranks = np.full(numbers.size, 2, np.int64)
    ranks[reach == AREA_NUMBERS[place.nation.value]] = 1
    ranks[reach == AREA_NUMBERS[AREAS]] = 0
    return ranks
