"""'Near you': the wanted services with a place within the radius, nearest first, read ring by ring from the
search index's places (index.py).

Each ring orders by a flat-earth distance (cheap); the radius is then applied to the true, geodesic distance for
every service near its edge, so "within 25 miles" never lists one 25.4 miles away. Rings of 2, 6, 10, 24 and 50
miles (whole distance bands) stop once more than the count cap are found, so a search costs about the same however
many services there are further away; the first is the widest expected to hold a few thousand places (where the
radius holds no more, it is read at once), and the next is chosen by the density found.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
from numpy.typing import NDArray

from directory.geography import distance
from directory.geography.geocoding import ResolvedPlace
from directory.search.index import Entry, Keep, Numbers, SearchIndex
from directory.search.query import NEARBY_COUNT_CAP

DISTANCE_BAND_MILES = 2
RING_EDGES_MILES = (2, 6, 10, 24, 50)  # multiples of the band, so a ring holds whole bands
MILES_PER_DEGREE_LATITUDE = 69.05
BEYOND_EDGES_MILES = (50, 100, 200, 400, 800)  # where to look for the nearest when nothing is within the radius
EDGE = 0.06  # the flat-earth distance is within 6% of the true one this close to the UK: check those this near the edge
ONE_PASS_PLACES = 2000  # a ring of this many places costs little more than one of a few (vector arithmetic)

Miles = NDArray[np.float64]


def nearest(index: SearchIndex, place: ResolvedPlace, radius_miles: float, keep: Keep, stale_before: date) -> Numbers:
    """Wanted services within the radius, best first: 2-mile bands, then the more specific (for secondary breast
    cancer first), then the fresher, then the nearer, then by id. More than the count cap means "more than 100":
    only the first that many and the rest of their band are given."""
    numbers: list[Numbers] = []
    miles: list[Miles] = []
    found = 0
    inner = 0.0
    edges = [edge for edge in RING_EDGES_MILES if edge < radius_miles] + [radius_miles]
    # The first ring: the widest that should hold no more than ONE_PASS_PLACES places (the whole radius if it
    # does), judged by the places in the radius's cells, as if evenly spread.
    places = index.count_in(_cells(place, radius_miles * (1 + EDGE)))
    step = max([0] + [at for at, edge in enumerate(edges) if places * (edge / radius_miles) ** 2 <= ONE_PASS_PLACES])
    while step < len(edges):
        outer = edges[step]
        reach = outer * (1 + EDGE) if outer == radius_miles else outer
        found_numbers, found_miles = ring(index, place, inner, reach, keep)
        ahead = sum(int((band_of(m) < _first_edge_band(radius_miles)).sum()) for m in miles)
        ring_numbers, ring_miles = _within(index, place, radius_miles, found_numbers, found_miles, ahead)
        numbers.append(ring_numbers)
        miles.append(ring_miles)
        found += ring_numbers.size
        if found > NEARBY_COUNT_CAP:
            break
        inner = reach
        # Next, the nearest edge that at the density found so far should hold more than the cap (half as many
        # again, to be sure), or else the radius: a sparse place is read in two rings, a dense one in one or two.
        density = (found + 1) / outer**2
        step = next(
            (later for later in range(step + 1, len(edges)) if density * edges[later] ** 2 > 1.5 * NEARBY_COUNT_CAP),
            len(edges) - 1,
        ) if step < len(edges) - 1 else step + 1  # fmt: skip
    return _ordered(index, np.concatenate(numbers), np.concatenate(miles), stale_before)


def _ordered(index: SearchIndex, numbers: Numbers, miles: Miles, stale_before: date) -> Numbers:
    """Best first; of more than the cap, only the bands that hold the first CAP + 1 (the rest is never shown)."""
    bands = band_of(miles)
    if numbers.size > NEARBY_COUNT_CAP:
        last = int(np.searchsorted(np.cumsum(np.bincount(bands)), NEARBY_COUNT_CAP + 1))
        first_bands = bands <= last
        numbers, miles, bands = numbers[first_bands], miles[first_bands], bands[first_bands]
    stale = index.verified[numbers] < stale_before.toordinal()
    return numbers[np.lexsort((numbers, miles, stale, index.rank[numbers], bands))]


def nearest_beyond(
    index: SearchIndex, place: ResolvedPlace, radius_miles: float, keep: Keep
) -> tuple[float, Entry] | None:
    """The nearest wanted service beyond the radius, with its distance, looked for in widening rings: what a
    person with nothing near is told ("the nearest is 66 miles away")."""
    for outer in [edge for edge in BEYOND_EDGES_MILES if edge > radius_miles]:
        numbers, approx = ring(index, place, 0, outer, keep)
        if not numbers.size:
            continue
        # The flat-earth distance is within EDGE of the true one: only those that may be the nearest are measured.
        close = numbers[approx <= approx.min() * (1 + EDGE) / (1 - EDGE)]
        exact = sorted((exact_miles(place, index.entries[n]), index.entries[n].id, int(n)) for n in close)
        beyond = [(miles, index.entries[number]) for miles, _, number in exact if miles > radius_miles]
        if beyond:
            return beyond[0]
    return None


def ring(
    index: SearchIndex, place: ResolvedPlace, inner_miles: float, outer_miles: float, keep: Keep
) -> tuple[Numbers, Miles]:
    """Wanted services whose nearest place is between two distances, with that flat-earth distance in miles: only
    the grid cells around the place are read."""
    outer = outer_miles / MILES_PER_DEGREE_LATITUDE
    shrink = math.cos(math.radians(place.latitude))
    positions = index.places_in(_cells(place, outer_miles))
    north = index.latitude[positions] - place.latitude
    east = (index.longitude[positions] - place.longitude) * shrink
    d2 = north * north + east * east
    inside = d2 <= outer * outer
    positions, d2 = positions[inside], d2[inside]
    owners = index.owner[positions]
    if index.any_shared and index.shared[positions].any():  # a service with several places here: its nearest
        order = np.lexsort((d2, owners))
        owners, d2 = owners[order], d2[order]
        first = np.ones(owners.size, np.bool_)
        first[1:] = owners[1:] != owners[:-1]
        owners, d2 = owners[first], d2[first]
    if inner_miles:
        beyond = d2 > (inner_miles / MILES_PER_DEGREE_LATITUDE) ** 2
        owners, d2 = owners[beyond], d2[beyond]
    wanted = keep(owners)
    return owners[wanted], np.sqrt(d2[wanted]) * MILES_PER_DEGREE_LATITUDE


def _cells(place: ResolvedPlace, miles: float) -> list[tuple[int, int]]:
    """The grid cells of the box around a place that holds every point within `miles` of it."""
    north_south = miles / MILES_PER_DEGREE_LATITUDE
    east_west = north_south / max(math.cos(math.radians(place.latitude)), 0.1)
    latitude, longitude = place.latitude, place.longitude
    return distance.grid_ranges(latitude - north_south, latitude + north_south, longitude - east_west,
                                longitude + east_west)  # fmt: skip


def band_of(miles: Miles) -> Numbers:
    return np.floor_divide(miles, DISTANCE_BAND_MILES).astype(np.int64)


def _first_edge_band(radius: float) -> int:
    """The nearest band a service near the edge can be in (its flat-earth distance is within EDGE of the true)."""
    return int(radius * (1 - EDGE) / (1 + EDGE) // DISTANCE_BAND_MILES)


def _within(
    index: SearchIndex, place: ResolvedPlace, radius: float, numbers: Numbers, approx: Miles, ahead: int
) -> tuple[Numbers, Miles]:
    """The ring's services, those near the edge measured exactly and kept only if truly inside the radius.

    `ahead`: how many found already rank before any service near the edge. Once more than the count cap do
    (and with those of this ring), the edge cannot change what is shown or said: it is left out unmeasured."""
    miles = approx.copy()
    edge = approx > radius * (1 - EDGE)
    if edge.any():
        ahead += int((band_of(approx[~edge]) < _first_edge_band(radius)).sum())
        if ahead > NEARBY_COUNT_CAP:
            return numbers[~edge], miles[~edge]
        positions = np.flatnonzero(edge)
        miles[positions] = [exact_miles(place, index.entries[number]) for number in numbers[positions]]
    inside = miles <= radius
    return numbers[inside], miles[inside]


def exact_miles(place: ResolvedPlace, entry: Entry) -> float:
    """The geodesic distance to the service's nearest place."""
    return min(distance.distance_miles(place.point, point) for point in entry.points)


def nearest_flat_d2(place: ResolvedPlace, entry: Entry) -> float | None:
    """The squared flat-earth distance, in degrees of latitude, to the service's nearest place (None: it has none)."""
    if not entry.points:
        return None
    shrink = math.cos(math.radians(place.latitude))
    return min((lat - place.latitude) ** 2 + ((lon - place.longitude) * shrink) ** 2 for lat, lon in entry.points)
