"""Coverage-aware search: the services really available to a person at a place, in two groups never mixed.

'Near you' (nearby.py): services with a place within the radius, nearest first. 'By phone or online' (remote.py):
services whose reach covers the person (coverage.py) and that can be used by phone or online. Within each group,
listings not checked for a long time come after fresher ones in the same distance band. The web page, the JSON
API, the ORUK feed and the benchmark all call `search()`.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement
from sqlmodel import Session, col

from directory.geography import distance
from directory.geography.geocoding import ResolvedPlace
from directory.listings import timetable
from directory.listings.cards import Card, cards
from directory.listings.models import Service
from directory.listings.taxonomy import AUDIENCES, DELIVERY_MODES, SUPPORT_TYPES, ServiceArea, Specificity
from directory.search import coverage, keywords, nearby, remote, timing_filter
from directory.search.query import NEARBY_COUNT_CAP, Group, Hit, SearchQuery, SearchResults


def search(
    session: Session, place: ResolvedPlace, query: SearchQuery, *, stale_before: date, now: datetime | None = None
) -> SearchResults:
    wanted = _wanted(session, query, now)
    results = SearchResults(place, query)
    offset = (query.page - 1) * query.per_page

    ranked = nearby.nearest(session, place, query.radius_miles, [*wanted, coverage.open_to(place)], stale_before)
    results.nearby_total = min(len(ranked), NEARBY_COUNT_CAP)
    results.nearby_more = len(ranked) > NEARBY_COUNT_CAP
    page_ids = [service_id for *_, service_id in ranked[offset : offset + query.per_page]]
    results.nearby = [_nearby_hit(card, place, stale_before) for card in cards(session, page_ids, with_places=True)]
    if not ranked:
        results.beyond = _beyond(session, place, query, [*wanted, coverage.open_to(place)], stale_before)

    support = frozenset(query.support)
    candidates = remote.candidates(session, place, query.radius_miles, wanted, stale_before, support)
    results.remote_total = len(candidates)
    page_ids = [service_id for *_, service_id in candidates[offset : offset + query.per_page]]
    results.remote = [_remote_hit(card, place, stale_before) for card in cards(session, page_ids)]
    return results


def available_everywhere(
    session: Session, query: SearchQuery, *, stale_before: date, now: datetime | None = None
) -> list[Hit]:
    """The UK-wide phone and online services that match: for a person outside the UK, or before they search."""
    ranked = remote.everywhere(session, _wanted(session, query, now), stale_before, frozenset(query.support))
    page_ids = [service_id for *_, service_id in ranked[: query.per_page]]
    return [
        Hit(card, Group.REMOTE, f"It helps anyone in the UK {_ways(card)}.", card.last_verified < stale_before)
        for card in cards(session, page_ids)
    ]


def _wanted(session: Session, query: SearchQuery, now: datetime | None) -> list[ColumnElement[bool]]:
    """Active services matching every facet: any chosen support type, any delivery mode, any audience, all words,
    and the time filter. Conditions are correlated with the service row, so they cost the number of candidates."""
    conditions: list[ColumnElement[bool]] = [col(Service.status) == "active"]
    if query.secondary_only:
        conditions.append(col(Service.specificity) == Specificity.SECONDARY_BREAST_CANCER.value)
    if query.when is not None:
        moment = now or datetime.now(timetable.UK)
        conditions.append(col(Service.id).in_(sorted(timing_filter.matching_ids(session, query.when, moment))))
    if (matching := keywords.matches(session, query.keywords)) is not None:
        conditions.append(matching)  # first: a membership test, cheaper than the term lookups below
    for vocabulary, codes in (
        (SUPPORT_TYPES.id, SUPPORT_TYPES.expand(query.support)),
        (DELIVERY_MODES.id, frozenset(query.delivery)),
        (AUDIENCES.id, frozenset(query.audience)),
    ):
        if codes:
            conditions.append(coverage.has_term(vocabulary, codes))
    return conditions


def _beyond(
    session: Session, place: ResolvedPlace, query: SearchQuery, conditions: list[Any], stale_before: date
) -> Hit | None:
    found = nearby.nearest_beyond(session, place, query.radius_miles, conditions)
    if found is None:
        return None
    (card,) = cards(session, [found[1]], with_places=True)
    return _nearby_hit(card, place, stale_before)


def _nearby_hit(card: Card, place: ResolvedPlace, stale_before: date) -> Hit:
    distances = [(distance.distance_miles(place.point, (loc.latitude, loc.longitude)), loc) for loc in card.places]
    miles, nearest = min(distances, key=lambda pair: pair[0])
    if nearest.precision == "town":  # no page gave its postcode: placed at its town's centre
        where = f"In {nearest.town}, about {distance.describe_miles(miles)} {place.origin}"
        reason = f"It is in {nearest.town}, about {distance.describe_miles(miles)} {place.origin}."
    else:
        where = f"{distance.describe_miles(miles).capitalize()} {place.origin}"
        reason = f"It has a centre {distance.describe_miles(miles)} {place.origin}."
    return Hit(card, Group.NEARBY, reason, card.last_verified < stale_before, miles, nearest, where)


def _remote_hit(card: Card, place: ResolvedPlace, stale_before: date) -> Hit:
    area = ServiceArea(card.service_area)
    if area is ServiceArea.UK:
        reason = f"It helps anyone in the UK {_ways(card)}."
    elif area is ServiceArea.AREAS:
        reason = f"For people in {card.area_label}: it helps them {_ways(card)}."
    else:
        reason = f"It helps anyone in {place.nation.label} {_ways(card)}."
    return Hit(card, Group.REMOTE, reason, card.last_verified < stale_before)


def _ways(card: Card) -> str:
    return " or ".join(
        way for mode, way in (("phone", "by phone"), ("online", "online")) if mode in card.delivery_modes
    )
