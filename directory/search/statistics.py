"""Anonymous search statistics, for finding gaps in support.

For each search we keep only the outward code (never the full postcode), the filters chosen, the number of results
and the day: no IP address, no cookie, no time of day.

Recording is best-effort and off the request path: the page is sent first, then the row is written in a
transaction of its own that waits at most a second for the database. A busy or read-only database costs one
statistics row (logged without its values), never a search.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from directory import db
from directory.search.engine import SearchResults
from directory.search.models import SearchStat

log = logging.getLogger(__name__)
STATISTICS_WAIT_MS = 1000


def search_stat(results: SearchResults, *, today: date) -> SearchStat | None:
    """The anonymous row for one search, or None when it is not a new search (turning pages is the same one)."""
    query = results.query
    if query.page != 1:
        return None
    return SearchStat(
        day=today,
        outward_code=results.place.outward_code,
        support=";".join(query.support),
        delivery=";".join(query.delivery),
        audience=";".join(query.audience),
        nearby_count=results.nearby_total,
        remote_count=results.remote_total,
    )


def record_search(engine: Engine, results: SearchResults, *, today: date) -> None:
    """Store a search's statistics row in its own short transaction; never raises."""
    stat = search_stat(results, today=today)
    if stat is None:
        return
    try:
        with db.session_scope(engine, wait_ms=STATISTICS_WAIT_MS) as session:
            session.add(stat)
    except SQLAlchemyError as error:
        log.warning("A search statistics row was not recorded (%s); the search was answered.", type(error).__name__)


@dataclass(frozen=True)
class Gap:
    outward_code: str
    support: str  # a support type code, or "" for searches with no support type chosen
    searches: int
    last_day: date


def gaps(session: Session, *, since: date | None = None) -> list[Gap]:
    """Outward codes and support types where searches found no service nearby, most searched first."""
    query = select(SearchStat.outward_code, SearchStat.support, func.count(), func.max(SearchStat.day)).where(
        SearchStat.nearby_count == 0
    )
    if since is not None:
        query = query.where(col(SearchStat.day) >= since)
    counts: dict[tuple[str, str], list] = {}
    for outward_code, support, searches, last_day in session.exec(
        query.group_by(SearchStat.outward_code, SearchStat.support)
    ):
        for code in support.split(";") if support else [""]:
            entry = counts.setdefault((outward_code, code), [0, last_day])
            entry[0] += searches
            entry[1] = max(entry[1], last_day)
    found = [Gap(outward, code, n, last) for (outward, code), (n, last) in counts.items()]
    return sorted(found, key=lambda gap: (-gap.searches, gap.outward_code, gap.support))
