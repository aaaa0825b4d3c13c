"""Anonymous search statistics, for finding gaps in support.

For each search we keep only the outward code (never the full postcode), the filters chosen, the number of results
and the day: no IP address, no cookie, no time of day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from directory.models import SearchStat
from directory.search import SearchResults


def record_search(session: Session, results: SearchResults, *, today: date) -> None:
    query = results.query
    if query.page != 1:  # turning pages is the same search
        return
    session.add(
        SearchStat(
            day=today,
            outward_code=results.place.outward_code,
            support=";".join(query.support),
            delivery=";".join(query.delivery),
            audience=";".join(query.audience),
            nearby_count=results.nearby_total,
            remote_count=results.remote_total,
        )
    )
    session.flush()


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
    counts: dict[tuple[str, str], list] = {}  # type: ignore[type-arg]
    for outward_code, support, searches, last_day in session.exec(
        query.group_by(SearchStat.outward_code, SearchStat.support)
    ):
        for code in support.split(";") if support else [""]:
            entry = counts.setdefault((outward_code, code), [0, last_day])
            entry[0] += searches
            entry[1] = max(entry[1], last_day)
    found = [Gap(outward, code, n, last) for (outward, code), (n, last) in counts.items()]
    return sorted(found, key=lambda gap: (-gap.searches, gap.outward_code, gap.support))
