"""What a search asks and what it answers: the query, the two groups of results, and one result (a hit)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from directory.geography.geocoding import ResolvedPlace
from directory.listings.cards import Card, Place
from directory.search.timing_filter import When

RADIUS_CHOICES_MILES = (5, 10, 25, 50, 100)
DEFAULT_RADIUS_MILES = 25
NEARBY_COUNT_CAP = 100  # beyond this a person is told "more than 100": the nearest come first anyway


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
    when: When | None = None  # meets in the next 2 weeks, or open now
    secondary_only: bool = False  # only services for secondary breast cancer
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
    distance_text: str = ""  # '2.3 miles from LS1 3EX', 'in Leeds, about 4 miles from the centre of LS6'


@dataclass
class SearchResults:
    place: ResolvedPlace
    query: SearchQuery
    nearby: list[Hit] = field(default_factory=list)
    nearby_total: int = 0
    nearby_more: bool = False  # there are more than NEARBY_COUNT_CAP nearby
    remote: list[Hit] = field(default_factory=list)
    remote_total: int = 0
    beyond: Hit | None = None  # nothing near: the nearest wanted service beyond the radius

    @property
    def total(self) -> int:
        return self.nearby_total + self.remote_total

    @property
    def pages(self) -> int:
        return max(1, -(-max(self.nearby_total, self.remote_total) // self.query.per_page))
