"""'By phone or online': the wanted services whose reach covers the person (coverage.py), minus any already near.

Ordered by what people say they look for: the more specific first (for secondary breast cancer, then breast
cancer, any cancer, any life-limiting illness, anyone), then those offering more of the kinds of support the
person chose, then national and nation-wide phone lines, then reach (the person's own area, their nation, the UK),
freshness and name. Only services with a national, nation or area reach are read (the index keeps them apart), so
the list stays small however large the directory grows.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from directory.geography.geocoding import ResolvedPlace
from directory.listings.taxonomy import SUPPORT_TYPES, ServiceArea
from directory.search import coverage
from directory.search.index import AREA_NUMBERS, PHONE_MASK, Keep, Numbers, SearchIndex, term_mask
from directory.search.nearby import MILES_PER_DEGREE_LATITUDE, nearest_flat_d2

UK_WIDE = AREA_NUMBERS[ServiceArea.UK.value]
AREA_LIMITED = AREA_NUMBERS[ServiceArea.AREAS.value]


def candidates(
    index: SearchIndex,
    place: ResolvedPlace,
    radius_miles: float,
    keep: Keep,
    stale_before: date,
    support: frozenset[str] = frozenset(),
) -> Numbers:
    """`support`: the kinds of support chosen, for ranking by how many each offers (a service's stored terms
    include their parents, so choosing 'emotional' counts every kind of emotional support once)."""
    numbers = index.remote[coverage.covers(index, place, index.remote)]
    numbers = numbers[keep(numbers)]
    radius = (radius_miles / MILES_PER_DEGREE_LATITUDE) ** 2
    near = [  # listed in 'near you' already (few national services have a place)
        position
        for position, number in enumerate(numbers)
        if (d2 := nearest_flat_d2(place, index.entries[number])) is not None and d2 <= radius
    ]
    numbers = np.delete(numbers, near)
    return _ordered(index, numbers, coverage.reach_ranks(index, place, numbers), stale_before, support)


def everywhere(index: SearchIndex, keep: Keep, stale_before: date, support: frozenset[str] = frozenset()) -> Numbers:
    """Services anyone in the UK can use by phone or online: what a person outside the UK is offered."""
    numbers = index.remote[index.area[index.remote] == UK_WIDE]
    numbers = numbers[keep(numbers)]
    return _ordered(index, numbers, np.full(numbers.size, 2), stale_before, support)


def _ordered(
    index: SearchIndex, numbers: Numbers, reach: Numbers, stale_before: date, support: frozenset[str]
) -> Numbers:
    """Best first: specificity, support types not matched, not a national phone line, reach, stale, name."""
    bits = index.bits[numbers]
    offered = np.zeros(numbers.size, np.int64)
    for code in support:
        offered += (bits & term_mask(SUPPORT_TYPES.id, [code])) != 0
    national_line = (index.area[numbers] != AREA_LIMITED) & ((bits & PHONE_MASK) != 0)
    stale = index.verified[numbers] < stale_before.toordinal()
    order = np.lexsort((index.name_rank[numbers], stale, reach, ~national_line, -offered, index.rank[numbers]))
    return numbers[order]
