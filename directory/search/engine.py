"""Coverage-aware search: the services really available to a person at a place, in two groups never mixed.

'Near you': services with a location within the radius, nearest first (a bounding-box prefilter on the indexed
latitude/longitude columns, then a flat-earth distance in SQL for ordering; the page's distances are geodesic).
'By phone or online': services whose area covers the person's nation, the whole UK, or their postcode area, and
that can be used by phone or online. Within each group, listings not checked for a long time come after fresher
ones in the same distance band. The web page, the JSON API and the benchmark all call `search()`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from sqlalchemy import ColumnElement, Select, TextClause, and_, case, exists, func, or_
from sqlmodel import Session, col, select

from directory.geography import distance
from directory.geography.geocoding import ResolvedPlace
from directory.geography.postcodes import postcode_area
from directory.listings.cards import Card, Place, cards
from directory.listings.models import Location, Service, ServiceAtLocation, ServiceTerm
from directory.listings.taxonomy import (
    AUDIENCES,
    DELIVERY_MODES,
    POSTCODE_AREA,
    REMOTE_DELIVERY,
    SUPPORT_TYPES,
    ServiceArea,
)
from directory.search import keywords

RADIUS_CHOICES_MILES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS_MILES = 25
DISTANCE_BAND_MILES = 2
RING_EDGES_MILES = (2, 6, 10, 24, 50)  # multiples of the band, so a ring holds whole bands
NEARBY_COUNT_CAP = 100  # beyond this a person is told "more than 100": the nearest come first anyway
MILES_PER_DEGREE_LATITUDE = 69.05


class Group(StrEnum):
    NEARBY = "nearby"
    REMOTE = "remote"

    @property
    def heading(self) -> str:
        return "Near you" if self is Group.NEARBY else "Available to you by phone or online"


@dataclass(frozen=True)
class SearchQuery:
    radius_miles: float = DEFAULT_RADIUS_MILES  # the web offers RADIUS_CHOICES_MILES; the ORUK feed any distance
    support: tuple[str, ...] = ()
    delivery: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    keywords: str = ""
    page: int = 1
    per_page: int = 20


@dataclass(frozen=True)
class Hit:
    card: Card
    group: Group
    reason: str
    stale: bool
    distance_miles: float | None = None
    place: Place | None = None  # the nearest of the service's locations


@dataclass
class SearchResults:
    place: ResolvedPlace
    query: SearchQuery
    nearby: list[Hit] = field(default_factory=list)
    nearby_total: int = 0
    nearby_more: bool = False  # there are more than NEARBY_COUNT_CAP nearby
    remote: list[Hit] = field(default_factory=list)
    remote_total: int = 0

    @property
    def total(self) -> int:
        return self.nearby_total + self.remote_total

    @property
    def pages(self) -> int:
        return max(1, -(-max(self.nearby_total, self.remote_total) // self.query.per_page))


def search(session: Session, place: ResolvedPlace, query: SearchQuery, *, stale_before: date) -> SearchResults:
    wanted = _wanted(session, query)
    results = SearchResults(place, query)
    offset = (query.page - 1) * query.per_page

    ranked = _nearest(session, place, query.radius_miles, [*wanted, _open_to(place)], stale_before)
    results.nearby_total = min(len(ranked), NEARBY_COUNT_CAP)
    results.nearby_more = len(ranked) > NEARBY_COUNT_CAP
    page_ids = [service_id for *_, service_id in ranked[offset : offset + query.per_page]]
    results.nearby = [_nearby_hit(card, place, stale_before) for card in cards(session, page_ids, with_places=True)]

    remote = _remote_candidates(session, place, query.radius_miles, wanted, stale_before)
    results.remote_total = len(remote)
    page_ids = [service_id for *_, service_id in remote[offset : offset + query.per_page]]
    results.remote = [_remote_hit(card, place, stale_before) for card in cards(session, page_ids)]
    return results


def _nearest(
    session: Session,
    place: ResolvedPlace,
    radius_miles: float,
    conditions: list[ColumnElement[bool]],
    stale_before: date,
) -> list[tuple[int, bool, float, str]]:
    """Wanted services within the radius as (band, stale, squared distance, id), best first.

    Reads ring after ring outwards (2, 6, 10, 24, 50 miles: whole distance bands) and stops once it has more than
    the count cap, so a search costs about the same however many services there are further away."""
    ranked: list[tuple[int, bool, float, str]] = []
    inner = 0.0
    for outer in [edge for edge in RING_EDGES_MILES if edge < radius_miles] + [radius_miles]:
        rows = session.exec(_ring(place, inner, outer, conditions)).all()
        ranked += sorted((_band(d2), last_verified < stale_before, d2, id_) for id_, d2, last_verified in rows)
        if len(ranked) > NEARBY_COUNT_CAP:
            break
        inner = outer
    return ranked


def _ring(
    place: ResolvedPlace, inner_miles: float, outer_miles: float, conditions: list[ColumnElement[bool]]
) -> Select:  # type: ignore[type-arg]
    """Services whose nearest location is between two distances: only the grid cells around the place are read."""
    outer = outer_miles / MILES_PER_DEGREE_LATITUDE
    east_west = outer / max(math.cos(math.radians(place.latitude)), 0.1)
    d2 = func.min(_squared_degrees(place.latitude, place.longitude))
    south, north = place.latitude - outer, place.latitude + outer
    west, east = place.longitude - east_west, place.longitude + east_west
    cells = or_(
        *(
            col(Location.grid_cell).between(first, last)
            for first, last in distance.grid_ranges(south, north, west, east)
        )
    )
    inside = d2 <= outer * outer
    if inner_miles:
        inside = and_(inside, d2 > (inner_miles / MILES_PER_DEGREE_LATITUDE) ** 2)
    return (
        select(ServiceAtLocation.service_id, d2.label("d2"), Service.last_verified)
        .join(Location, col(Location.id) == ServiceAtLocation.location_id)
        .join(Service, col(Service.id) == ServiceAtLocation.service_id)
        .where(cells, col(Location.latitude).between(south, north), col(Location.longitude).between(west, east))
        .where(*conditions)
        .group_by(ServiceAtLocation.service_id, Service.last_verified)
        .having(inside)
    )


def _band(d2: float) -> int:
    """0 within 2 miles, 1 within 4, ...: a stale listing only drops below fresher ones in the same band."""
    return int(math.sqrt(d2) * MILES_PER_DEGREE_LATITUDE // DISTANCE_BAND_MILES)


def _remote_candidates(
    session: Session,
    place: ResolvedPlace,
    radius_miles: float,
    conditions: list[ColumnElement[bool]],
    stale_before: date,
) -> list[tuple[int, int, str, str]]:
    """Wanted services covering the place by phone or online, minus those already near: (specificity, stale, name, id).

    Only services with a national, nation or postcode-area reach are read, so the list stays small."""
    radius = radius_miles / MILES_PER_DEGREE_LATITUDE
    nearest = (
        select(func.min(_squared_degrees(place.latitude, place.longitude)))
        .select_from(ServiceAtLocation)
        .join(Location, col(Location.id) == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id == Service.id)
        .scalar_subquery()
    )
    rows = session.exec(
        select(
            _specificity(place),
            case((col(Service.last_verified) < stale_before, 1), else_=0),
            func.lower(Service.name),
            Service.id,
            nearest,
        ).where(  # fmt: skip
            col(Service.id).in_(_covering_ids(place)), _has_term(DELIVERY_MODES.id, REMOTE_DELIVERY), *conditions
        )
    ).all()
    return sorted(
        (specific, stale, name, id_) for specific, stale, name, id_, d2 in rows if d2 is None or d2 > radius**2
    )


def _wanted(session: Session, query: SearchQuery) -> list[ColumnElement[bool] | TextClause]:
    """Active services matching every facet: any chosen support type, any delivery mode, any audience, all words.

    Conditions are correlated with the service row, so they cost the number of candidates, not of services."""
    conditions: list[ColumnElement[bool] | TextClause] = [Service.status == "active"]
    if (matching := keywords.matches(session, query.keywords)) is not None:
        conditions.append(matching)  # first: a membership test, cheaper than the term lookups below
    for vocabulary, codes in (
        (SUPPORT_TYPES.id, SUPPORT_TYPES.expand(query.support)),
        (DELIVERY_MODES.id, frozenset(query.delivery)),
        (AUDIENCES.id, frozenset(query.audience)),
    ):
        if codes:
            conditions.append(_has_term(vocabulary, codes))
    return conditions


def _has_term(vocabulary: str, codes: frozenset[str]) -> ColumnElement[bool]:
    return exists().where(
        ServiceTerm.service_id == Service.id, ServiceTerm.vocabulary == vocabulary, col(ServiceTerm.code).in_(codes)
    )


def _area_codes(place: ResolvedPlace) -> list[str]:
    return [place.outward_code, postcode_area(place.outward_code)]


def _covers(place: ResolvedPlace) -> ColumnElement[bool]:
    """The service's area includes the place: the whole UK, its nation, or its postcode area or district."""
    return or_(
        col(Service.service_area).in_([ServiceArea.UK.value, place.nation.value]),
        _has_term(POSTCODE_AREA, frozenset(_area_codes(place))),
    )


def _covering_ids(place: ResolvedPlace) -> Select:  # type: ignore[type-arg]
    """The same rule as `_covers`, as a set of ids read through indexes (not a scan of every service)."""
    by_area = select(Service.id).where(col(Service.service_area).in_([ServiceArea.UK.value, place.nation.value]))
    by_postcode = select(ServiceTerm.service_id).where(
        ServiceTerm.vocabulary == POSTCODE_AREA, col(ServiceTerm.code).in_(_area_codes(place))
    )
    return by_area.union(by_postcode)


def _open_to(place: ResolvedPlace) -> ColumnElement[bool]:
    """Who may use it allows this person: its area covers them, or it is a local centre open to anyone who comes.

    A Scotland-only service is never offered in Belfast, however near its centre is."""
    open_centre = and_(Service.service_area == ServiceArea.LOCAL.value, Service.area_postcodes == "")
    return or_(open_centre, _covers(place))


def _squared_degrees(latitude: float, longitude: float) -> ColumnElement[float]:
    """Squared flat-earth distance in degrees of latitude: for ordering and the radius, not for display."""
    shrink = math.cos(math.radians(latitude))
    north = col(Location.latitude) - latitude
    east = (col(Location.longitude) - longitude) * shrink
    return north * north + east * east


def _specificity(place: ResolvedPlace) -> ColumnElement[int]:
    """Local-area services first, then the nation's own, then UK-wide ones."""
    return case(
        (_has_term(POSTCODE_AREA, frozenset(_area_codes(place))), 0),
        (Service.service_area == place.nation.value, 1),
        else_=2,
    )


def _nearby_hit(card: Card, place: ResolvedPlace, stale_before: date) -> Hit:
    distances = [(distance.distance_miles(place.point, (loc.latitude, loc.longitude)), loc) for loc in card.places]
    miles, nearest = min(distances, key=lambda pair: pair[0])
    reason = f"It has a centre {format_miles(miles)} from {place.label}."
    return Hit(card, Group.NEARBY, reason, card.last_verified < stale_before, miles, nearest)


def _remote_hit(card: Card, place: ResolvedPlace, stale_before: date) -> Hit:
    ways = " or ".join(
        way for mode, way in (("phone", "by phone"), ("online", "online")) if mode in card.delivery_modes
    )
    area = ServiceArea(card.service_area)
    if area is ServiceArea.UK:
        where = "anyone in the UK"
    elif area.value == place.nation.value:
        where = f"anyone in {place.nation.label}"
    else:
        where = f"people in postcode area {postcode_area(place.outward_code)}"
    return Hit(card, Group.REMOTE, f"It helps {where} {ways}.", card.last_verified < stale_before)


def format_miles(miles: float) -> str:
    """Distances the NHS way: '0.4 miles', '1 mile', '4.3 miles', '12 miles'."""
    if miles < 10:
        rounded = round(miles, 1)
        text = f"{rounded:.1f}".removesuffix(".0")
    else:
        rounded = round(miles)
        text = str(int(rounded))
    return f"{text} mile" if text == "1" else f"{text} miles"
