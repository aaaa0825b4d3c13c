"""Coverage-aware search: the services really available to a person at a place, in two groups never mixed.

'Near you' (nearby.py): services with a place within the radius, nearest first. 'By phone or online' (remote.py):
services whose reach covers the person (coverage.py) and that can be used by phone or online. Within each group,
listings not checked for a long time come after fresher ones in the same distance band. The web page, the JSON
API, the ORUK feed and the benchmark all call `search()`. Results are chosen from the in-memory search index
(index.py); only the cards of the page shown are read from the database.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from sqlmodel import Session

from directory.geography import distance
from directory.geography.geocoding import ResolvedPlace
from directory.listings import timetable
from directory.listings.cards import Card
from directory.listings.taxonomy import AUDIENCES, DELIVERY_MODES, SUPPORT_TYPES, ServiceArea, Specificity
from directory.search import coverage, index, keywords, nearby, remote, timing_filter
from directory.search.index import Flags, Keep, Numbers, SearchIndex
from directory.search.query import NEARBY_COUNT_CAP, Group, Hit, SearchQuery, SearchResults


def search(
    session: Session, place: ResolvedPlace, query: SearchQuery, *, stale_before: date, now: datetime | None = None
) -> SearchResults:
    found = index.current(session)
    wanted = _wanted(session, found, query, now)
    results = SearchResults(place, query)
    offset = (query.page - 1) * query.per_page

    def open_and_wanted(numbers: Numbers) -> Flags:
        return coverage.open_to(found, place, numbers) & wanted.keep(found, numbers)

    ranked = nearby.nearest(found, place, query.radius_miles, open_and_wanted, stale_before)
    results.nearby_total = min(ranked.size, NEARBY_COUNT_CAP)
    results.nearby_more = ranked.size > NEARBY_COUNT_CAP
    if not ranked.size:
        results.beyond = _beyond(session, found, place, query, open_and_wanted, stale_before)
    keep = functools.partial(wanted.keep, found)
    candidates = remote.candidates(found, place, query.radius_miles, keep, stale_before, frozenset(query.support))
    results.remote_total = candidates.size

    nearby_ids = [found.entries[number].id for number in ranked[offset : offset + query.per_page]]
    remote_ids = [found.entries[number].id for number in candidates[offset : offset + query.per_page]]
    read = found.cards(session, nearby_ids + remote_ids)
    origin = place.origin
    results.nearby = [_nearby_hit(read[id_], place, stale_before, origin) for id_ in nearby_ids if id_ in read]
    results.remote = [_remote_hit(read[id_], place, stale_before) for id_ in remote_ids if id_ in read]
    return results


def available_everywhere(
    session: Session, query: SearchQuery, *, stale_before: date, now: datetime | None = None
) -> list[Hit]:
    """The UK-wide phone and online services that match: for a person outside the UK, or before they search."""
    found = index.current(session)
    keep = functools.partial(_wanted(session, found, query, now).keep, found)
    ranked = remote.everywhere(found, keep, stale_before, frozenset(query.support))
    page_ids = [found.entries[number].id for number in ranked[: query.per_page]]
    read = found.cards(session, page_ids)
    return [
        Hit(card, Group.REMOTE, f"It helps anyone in the UK {_ways(card)}.", card.last_verified < stale_before)
        for card in (read[id_] for id_ in page_ids if id_ in read)
    ]


SECONDARY_RANK = Specificity.SECONDARY_BREAST_CANCER.rank


@dataclass(frozen=True)
class Wanted:
    """Does a service match every facet: any chosen support type, any delivery mode, any audience (each a mask of
    index bits), every word (its text matches, or a term it names), only secondary breast cancer, and the time
    filter (the ids it allows). Asked of many services at once (index numbers), the one place these rules are."""

    masks: tuple[int, ...] = ()
    secondary_only: bool = False
    timely: frozenset[str] | None = None
    words: tuple[keywords.WordMatch, ...] = ()

    def keep(self, found: SearchIndex, numbers: Numbers) -> Flags:
        kept = np.ones(numbers.size, np.bool_)
        if not (self.masks or self.secondary_only or self.timely is not None or self.words):
            return kept
        bits = found.bits[numbers]
        for mask in self.masks:
            kept &= (bits & mask) != 0
        if self.secondary_only:
            kept &= found.rank[numbers] == SECONDARY_RANK
        if self.timely is not None:
            kept &= found.flags(self.timely)[numbers]
        for word in self.words:
            kept &= found.flags(word.ids)[numbers] | ((bits & word.terms) != 0)
        return kept


def _wanted(session: Session, found: SearchIndex, query: SearchQuery, now: datetime | None) -> Wanted:
    masks = tuple(
        index.term_mask(vocabulary, codes)
        for vocabulary, codes in (
            (SUPPORT_TYPES.id, SUPPORT_TYPES.expand(query.support)),
            (DELIVERY_MODES.id, frozenset(query.delivery)),
            (AUDIENCES.id, frozenset(query.audience)),
        )
        if codes
    )
    timely = None
    if query.when is not None:
        timely = frozenset(timing_filter.matching_ids(session, query.when, now or datetime.now(timetable.UK)))
    words = keywords.word_matches(session, query.keywords, found) or []
    return Wanted(masks, query.secondary_only, timely, tuple(words))


def _beyond(
    session: Session, found_in: SearchIndex, place: ResolvedPlace, query: SearchQuery, keep: Keep, stale_before: date
) -> Hit | None:
    found = nearby.nearest_beyond(found_in, place, query.radius_miles, keep)
    if found is None:
        return None
    (card,) = found_in.cards(session, [found[1].id]).values()
    return _nearby_hit(card, place, stale_before, place.origin)


def _nearby_hit(card: Card, place: ResolvedPlace, stale_before: date, origin: str) -> Hit:
    """`origin`: where distances are measured from, in words (the same for every hit of a search)."""
    if len(card.places) == 1:
        nearest = card.places[0]
        miles = distance.distance_miles(place.point, (nearest.latitude, nearest.longitude))
    else:
        miles, nearest = min(
            ((distance.distance_miles(place.point, (at.latitude, at.longitude)), at) for at in card.places),
            key=lambda pair: pair[0],
        )
    how_far = distance.describe_miles(miles)
    if nearest.precision == "town":  # no page gave its postcode: placed at its town's centre
        where = f"In {nearest.town}, about {how_far} {origin}"
        reason = f"It is in {nearest.town}, about {how_far} {origin}."
    else:
        where = f"{how_far.capitalize()} {origin}"
        reason = f"It has a centre {how_far} {origin}."
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
