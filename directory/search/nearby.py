"""'Near you': the wanted services with a place within the radius, nearest first, read ring by ring.

The database orders by a flat-earth distance (fast, through the spatial grid index); the radius is then applied to
the true, geodesic distance for every service near its edge, so "within 25 miles" never lists one 25.4 miles away.
Rings of 2, 6, 10, 24 and 50 miles (whole distance bands) stop once more than the count cap are found, so a search
costs about the same however many services there are further away.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from directory.geography import distance
from directory.geography.geocoding import ResolvedPlace
from directory.listings.models import Location, Service, ServiceAtLocation
from directory.listings.taxonomy import specificity_rank
from directory.search.query import NEARBY_COUNT_CAP

DISTANCE_BAND_MILES = 2
RING_EDGES_MILES = (2, 6, 10, 24, 50)  # multiples of the band, so a ring holds whole bands
MILES_PER_DEGREE_LATITUDE = 69.05
BEYOND_EDGES_MILES = (50, 100, 200, 400, 800)  # where to look for the nearest when nothing is within the radius
EDGE = 0.06  # the flat-earth distance is within 6% of the true one this close to the UK: check those this near the edge

Ranked = tuple[int, int, bool, float, str]  # (band, specificity rank, stale, miles, service id)


def nearest(
    session: Session,
    place: ResolvedPlace,
    radius_miles: float,
    conditions: list[ColumnElement[bool]],
    stale_before: date,
) -> list[Ranked]:
    """Wanted services within the radius, best first: 2-mile bands, then the more specific (for secondary breast
    cancer first), then the fresher, then the nearer."""
    found: list[Ranked] = []
    inner = 0.0
    sqlite = session.get_bind().dialect.name == "sqlite"
    edges = [edge for edge in RING_EDGES_MILES if edge < radius_miles] + [radius_miles]
    step = 0
    while step < len(edges):
        outer = edges[step]
        reach = outer * (1 + EDGE) if outer == radius_miles else outer
        rows = session.execute(_ring(place, inner, reach, conditions, sqlite=sqlite)).all()
        found += _within(session, place, radius_miles, rows, stale_before)
        if len(found) > NEARBY_COUNT_CAP:
            break
        inner = reach
        # Sparse so far: at this density the whole radius stays under the cap, so read the rest in one ring.
        sparse = (len(found) + 1) * (radius_miles / outer) ** 2 <= NEARBY_COUNT_CAP
        step = len(edges) - 1 if sparse and step < len(edges) - 1 else step + 1
    return sorted(found)


def nearest_beyond(
    session: Session, place: ResolvedPlace, radius_miles: float, conditions: list[ColumnElement[bool]]
) -> tuple[float, str] | None:
    """The nearest wanted service beyond the radius, as (miles, id), looked for in widening rings: what a person
    with nothing near is told ("the nearest is 66 miles away")."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    for outer in [edge for edge in BEYOND_EDGES_MILES if edge > radius_miles]:
        rows = session.execute(_ring(place, 0, outer, conditions, sqlite=sqlite)).all()
        exact = _exact_miles(session, place, [row[0] for row in rows]) if rows else {}
        beyond = sorted((miles, id_) for id_, miles in exact.items() if miles > radius_miles)
        if beyond:
            return beyond[0]
    return None


def _within(
    session: Session,
    place: ResolvedPlace,
    radius: float,
    rows: Sequence[Any],
    stale_before: date,
) -> list[Ranked]:
    """The ring's services, those near the edge measured exactly and kept only if truly inside the radius."""
    approx = {id_: math.sqrt(d2) * MILES_PER_DEGREE_LATITUDE for id_, d2, *_ in rows}
    edge = [id_ for id_, miles in approx.items() if miles > radius * (1 - EDGE)]
    exact = _exact_miles(session, place, edge) if edge else {}
    ranked = []
    for id_, _, last_verified, specificity in rows:
        miles = exact.get(id_, approx[id_])
        if miles <= radius:
            band = int(miles // DISTANCE_BAND_MILES)
            ranked.append((band, specificity_rank(specificity), last_verified < stale_before, miles, id_))
    return ranked


def _exact_miles(session: Session, place: ResolvedPlace, service_ids: list[str]) -> dict[str, float]:
    located = (
        select(ServiceAtLocation.service_id, Location.latitude, Location.longitude)
        .join(Location, col(Location.id) == ServiceAtLocation.location_id)
        .where(col(ServiceAtLocation.service_id).in_(service_ids), col(Location.latitude).is_not(None))
    )
    nearest_miles: dict[str, float] = {}
    for service_id, latitude, longitude in session.exec(located):
        if latitude is None or longitude is None:  # the query leaves these out; the types cannot know it
            continue
        miles = distance.distance_miles(place.point, (latitude, longitude))
        nearest_miles[service_id] = min(miles, nearest_miles.get(service_id, miles))
    return nearest_miles


def _ring(
    place: ResolvedPlace,
    inner_miles: float,
    outer_miles: float,
    conditions: list[ColumnElement[bool]],
    *,
    sqlite: bool = False,
) -> Select:
    """Services whose nearest location is between two distances: only the grid cells around the place are read.

    On SQLite the grouping key is written `+service_id`: grouped by the bare column, the planner prefers to walk
    the service_id index (no sort needed) and reads every location, not just the grid cells (20 ms became 110)."""
    outer = outer_miles / MILES_PER_DEGREE_LATITUDE
    east_west = outer / max(math.cos(math.radians(place.latitude)), 0.1)
    d2 = func.min(squared_degrees(place.latitude, place.longitude))
    south, north = place.latitude - outer, place.latitude + outer
    west, east = place.longitude - east_west, place.longitude + east_west
    ranges = distance.grid_ranges(south, north, west, east)
    cells = or_(*(col(Location.grid_cell).between(first, last) for first, last in ranges))
    inside = d2 <= outer * outer
    if inner_miles:
        inside = and_(inside, d2 > (inner_miles / MILES_PER_DEGREE_LATITUDE) ** 2)
    return (
        sa_select(
            col(ServiceAtLocation.service_id), d2.label("d2"), col(Service.last_verified), col(Service.specificity)
        )
        .join(Location, col(Location.id) == ServiceAtLocation.location_id)
        .join(Service, col(Service.id) == ServiceAtLocation.service_id)
        .where(cells, col(Location.latitude).between(south, north), col(Location.longitude).between(west, east))
        .where(*conditions)
        .group_by(
            literal_column("+service_at_location.service_id") if sqlite else col(ServiceAtLocation.service_id),
            col(Service.last_verified),
            col(Service.specificity),
        )  # fmt: skip
        .having(inside)
    )


def squared_degrees(latitude: float, longitude: float) -> ColumnElement[float | None]:
    """Squared flat-earth distance in degrees of latitude: for ordering and the first cut, not for display."""
    shrink = math.cos(math.radians(latitude))
    north = col(Location.latitude) - latitude
    east = (col(Location.longitude) - longitude) * shrink
    return north * north + east * east
