"""The search index: what a search needs to know of every active service, held in memory by each process, so a
search reads no rows to choose its results (only the cards of the page it shows, and those it keeps).

For each service (an `Entry`, and a row of the arrays beside it): its reach (the UK, a nation, some postcode
areas, or local), its specificity, when it was last checked, its name (for ordering), its support types,
audiences and delivery modes as the bits of one integer, and its places, in arrays ordered by spatial grid cell
(geography/distance.py), so the places around a point are a few slices and their distances one vector sum. It is
rebuilt, in the searching transaction, whenever the listings' version token (listings/versioning.py) differs from
the one it was built at: a moderator's approval is in the next search of every process, and a rolled-back change
is never taken for a committed one.

Why: a search over 100,000 services read hundreds to thousands of location rows through three joins and a term
lookup each, and built a dozen SQL statements (bench/README.md has the figures).
"""

from __future__ import annotations

import gc
import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col

from directory.geography import distance
from directory.listings import versioning
from directory.listings.cards import Card, cards
from directory.listings.models import Location, Service, ServiceAtLocation, ServiceTerm
from directory.listings.taxonomy import (
    AUDIENCES,
    DELIVERY_MODES,
    POSTCODE_AREA,
    REMOTE_DELIVERY,
    SUPPORT_TYPES,
    ServiceArea,
    specificity_rank,
)

# One bit per term of the three vocabularies searched by facet (31 terms: one integer).
TERM_BITS = {
    (vocabulary.id, term.code): 1 << position
    for position, (vocabulary, term) in enumerate(
        (vocabulary, term) for vocabulary in (SUPPORT_TYPES, AUDIENCES, DELIVERY_MODES) for term in vocabulary.terms
    )
}
log = logging.getLogger(__name__)
AREA_NUMBERS = {area.value: number for number, area in enumerate(ServiceArea)}
CARDS_KEPT = 5000  # the cards of recent searches kept in memory: about 10 MB

Numbers = NDArray[np.int64]  # entry numbers: positions in SearchIndex.entries
Flags = NDArray[np.bool_]
Keep = Callable[[Numbers], Flags]  # which of these entries a search wants


def term_mask(vocabulary: str, codes: Iterable[str]) -> int:
    """The bits of these codes of a vocabulary (unknown codes have none)."""
    mask = 0
    for code in codes:
        mask |= TERM_BITS.get((vocabulary, code), 0)
    return mask


REMOTE_MASK = term_mask(DELIVERY_MODES.id, REMOTE_DELIVERY)
PHONE_MASK = term_mask(DELIVERY_MODES.id, ["phone"])


@dataclass(frozen=True, slots=True, eq=False)
class Entry:
    """One active service, as search sees it."""

    id: str
    name_key: str  # the name in lower case: the last ordering
    area: str  # a ServiceArea value
    area_codes: frozenset[str]  # the postcode areas and districts of an area-limited service
    bits: int  # its support types (with their parents), audiences and delivery modes: TERM_BITS
    specificity_rank: int
    last_verified: date
    points: tuple[tuple[float, float], ...]  # its places (latitude, longitude)

    def has(self, mask: int) -> bool:
        return bool(self.bits & mask)


@dataclass(frozen=True, eq=False)
class SearchIndex:
    token: int | None
    entries: list[Entry]  # ordered by id
    by_id: dict[str, int]  # id -> entry number
    bits: NDArray[np.int64]  # per entry
    area: NDArray[np.int8]  # per entry: AREA_NUMBERS
    rank: NDArray[np.int8]  # per entry: specificity rank
    verified: NDArray[np.int64]  # per entry: last_verified as a day number (date.toordinal)
    name_rank: Numbers  # per entry: its place in the order of names (then ids)
    shared: Flags  # per place: its service has other places too
    any_shared: bool  # some service has several places
    cell: NDArray[np.int64]  # per place, in order: its grid cell
    latitude: NDArray[np.float64]  # per place
    longitude: NDArray[np.float64]  # per place
    owner: Numbers  # per place: its entry
    remote: Numbers  # entries with a reach beyond a place (not local) that can be used by phone or online
    _flags: dict[frozenset[str], Flags] = field(default_factory=dict)
    text_matches: dict[str, frozenset[str]] = field(default_factory=dict)  # word -> ids (search/keywords.py)
    _cards: OrderedDict[str, Card] = field(default_factory=OrderedDict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def count_in(self, ranges: list[tuple[int, int]]) -> int:
        """How many places these ranges of grid cells hold (without reading them)."""
        return int(self._slices(ranges)[1].sum())

    def places_in(self, ranges: list[tuple[int, int]]) -> Numbers:
        """The places in these ranges of grid cells (one range per latitude band: a slice of the ordered cells)."""
        starts, lengths = self._slices(ranges)
        ends = np.cumsum(lengths)
        return np.repeat(starts - ends + lengths, lengths) + np.arange(int(ends[-1]) if ends.size else 0)

    def _slices(self, ranges: list[tuple[int, int]]) -> tuple[Numbers, Numbers]:  # where each starts, its length
        firsts, lasts = zip(*ranges, strict=True) if ranges else ((), ())
        starts = np.searchsorted(self.cell, firsts, "left")
        return starts, np.searchsorted(self.cell, lasts, "right") - starts

    def flags(self, ids: frozenset[str]) -> Flags:
        """Which entries have one of these ids (kept per set: the words and time filters of recent searches)."""
        if (found := self._flags.get(ids)) is None:
            found = np.zeros(len(self.entries), np.bool_)
            found[[self.by_id[id_] for id_ in ids if id_ in self.by_id]] = True
            with self._lock:
                if len(self._flags) > 100:
                    self._flags.clear()
                self._flags[ids] = found
        return found

    def cards(self, session: Session, service_ids: list[str]) -> dict[str, Card]:
        """The result cards of these services, with their places: those of recent searches are kept (the most
        recently shown CARDS_KEPT), since a card changes only when its listing does, and that makes a new index."""
        with self._lock:
            kept = {id_: self._cards[id_] for id_ in service_ids if id_ in self._cards}
            for id_ in kept:
                self._cards.move_to_end(id_)
        missing = [id_ for id_ in service_ids if id_ not in kept]
        if missing:
            read = {card.id: card for card in cards(session, missing, with_places=True)}
            kept |= read
            with self._lock:
                self._cards.update(read)
                while len(self._cards) > CARDS_KEPT:
                    self._cards.popitem(last=False)
        return kept


_indexes: weakref.WeakKeyDictionary[Engine, SearchIndex] = weakref.WeakKeyDictionary()
_building = threading.Lock()
_rebuilding: dict[Engine, threading.Thread] = {}
BUILD_BESIDE_OVER = 20_000  # services: a larger index (seconds to read) is rebuilt beside the searches


def current(session: Session) -> SearchIndex:
    """The index as of this session's transaction: the one built last, unless the listings changed since.

    A small directory's index is rebuilt at once (milliseconds). A large one is rebuilt in a thread of its own
    while searches go on with the one before, for the few seconds it takes, rather than all waiting for it."""
    connection = session.connection()
    engine = connection.engine
    token = versioning.token(connection)
    index = _indexes.get(engine)
    if index is not None and index.token == token:
        return index
    if index is not None and len(index.entries) > BUILD_BESIDE_OVER:
        _rebuild_beside(engine)
        return index
    with _building:  # one build at a time; the others then find it built
        index = _indexes.get(engine)
        if index is None or index.token != token:
            index = build(session, token)
            _indexes[engine] = index
    return index


def _rebuild_beside(engine: Engine) -> None:
    with _building:
        if engine in _rebuilding:
            return
        thread = threading.Thread(target=_rebuild, args=(engine,), name="search-index", daemon=True)
        _rebuilding[engine] = thread
    thread.start()


def _rebuild(engine: Engine) -> None:
    try:
        with Session(engine) as session:
            index = build(session, versioning.token(session.connection()))
        with _building:
            _indexes[engine] = index
    except SQLAlchemyError as error:  # searches go on with the index before; the next one tries again
        log.warning("The search index was not rebuilt (%s).", type(error).__name__)
    finally:
        with _building:
            _rebuilding.pop(engine, None)


def wait_for_rebuilds() -> None:
    """Until no index is being rebuilt beside the searches (for tests and the benchmark)."""
    with _building:
        running = list(_rebuilding.values())
    for thread in running:
        thread.join()


def build(session: Session, token: int | None) -> SearchIndex:
    """Read every active service's searchable facts in three statements (plain rows, no ORM objects: at 100,000
    services that is a few seconds)."""
    connection = session.connection()
    bits, area_codes = _terms(connection)
    points: dict[str, set[tuple[float, float]]] = {}
    for service_id, latitude, longitude in connection.execute(
        select(col(ServiceAtLocation.service_id), col(Location.latitude), col(Location.longitude))
        .join(Location, col(Location.id) == ServiceAtLocation.location_id)
        .where(col(Location.latitude).is_not(None), col(Location.longitude).is_not(None))
    ):
        if latitude is not None and longitude is not None:  # the query leaves these out; the types cannot know it
            points.setdefault(service_id, set()).add((latitude, longitude))
    entries = [
        Entry(service_id, name.lower(), area, frozenset(area_codes.get(service_id, ())), bits.get(service_id, 0),
              specificity_rank(specificity), last_verified, tuple(sorted(points.get(service_id, ()))))
        for service_id, name, area, specificity, last_verified in connection.execute(
            select(col(Service.id), col(Service.name), col(Service.service_area), col(Service.specificity),
                   col(Service.last_verified)).where(col(Service.status) == "active").order_by(col(Service.id))
        )
    ]  # fmt: skip
    index = _arrays(token, entries)
    if len(entries) > BUILD_BESIDE_OVER:
        _keep_out_of_garbage_collection()
    return index


def _keep_out_of_garbage_collection() -> None:
    """A large index is hundreds of thousands of objects that live until the next one: left to the garbage
    collector, every full collection walks them all (95 ms at 100,000 services, a stall in some search). They are
    collected once here and then frozen out of its sight (gc.freeze: still freed when the index is replaced)."""
    gc.collect()
    gc.freeze()


def _terms(connection: Connection) -> tuple[dict[str, int], dict[str, set[str]]]:
    """Each service's facet bits, and the postcode areas of those limited to some."""
    bits: dict[str, int] = {}
    area_codes: dict[str, set[str]] = {}
    for service_id, vocabulary, code in connection.execute(
        select(col(ServiceTerm.service_id), col(ServiceTerm.vocabulary), col(ServiceTerm.code))
    ):
        if vocabulary == POSTCODE_AREA:
            area_codes.setdefault(service_id, set()).add(code)
        else:
            bits[service_id] = bits.get(service_id, 0) | TERM_BITS.get((vocabulary, code), 0)
    return bits, area_codes


def _arrays(token: int | None, entries: list[Entry]) -> SearchIndex:
    places = sorted(
        (distance.grid_cell(latitude, longitude), latitude, longitude, number)
        for number, entry in enumerate(entries)
        for latitude, longitude in entry.points
    )
    remote = [
        number
        for number, entry in enumerate(entries)
        if entry.area != ServiceArea.LOCAL.value and entry.has(REMOTE_MASK)
    ]
    return SearchIndex(
        token=token,
        entries=entries,
        by_id={entry.id: number for number, entry in enumerate(entries)},
        bits=np.array([entry.bits for entry in entries], np.int64),
        area=np.array([AREA_NUMBERS.get(entry.area, -1) for entry in entries], np.int8),
        rank=np.array([entry.specificity_rank for entry in entries], np.int8),
        verified=np.array([entry.last_verified.toordinal() for entry in entries], np.int64),
        name_rank=_ranks([entry.name_key for entry in entries]),
        cell=np.array([place[0] for place in places], np.int64),
        latitude=np.array([place[1] for place in places], np.float64),
        longitude=np.array([place[2] for place in places], np.float64),
        owner=np.array([place[3] for place in places], np.int64),
        shared=np.array([len(entries[place[3]].points) > 1 for place in places], np.bool_),
        any_shared=any(len(entry.points) > 1 for entry in entries),
        remote=np.array(remote, np.int64),
    )


def _ranks(keys: list[str]) -> Numbers:
    """Each key's place in their sorted order (ties in their given order: entries are ordered by id)."""
    ranks = np.empty(len(keys), np.int64)
    ranks[sorted(range(len(keys)), key=keys.__getitem__)] = np.arange(len(keys))
    return ranks
