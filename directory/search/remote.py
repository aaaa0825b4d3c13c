"""'By phone or online': the wanted services whose reach covers the person (coverage.py), minus any already near.

Ordered by what people say they look for: the more specific first (for secondary breast cancer, then breast
cancer, any cancer, any life-limiting illness, anyone), then those offering more of the kinds of support the
person chose, then national and nation-wide phone lines, then reach (the person's own area, their nation, the UK),
freshness and name. Only services with a national, nation or area reach are read, so the list stays small however
large the directory grows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, literal
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from directory.geography.geocoding import ResolvedPlace
from directory.listings.models import Location, Service, ServiceAtLocation, ServiceTerm
from directory.listings.taxonomy import DELIVERY_MODES, REMOTE_DELIVERY, SUPPORT_TYPES, ServiceArea, specificity_rank
from directory.search import coverage
from directory.search.nearby import MILES_PER_DEGREE_LATITUDE, squared_degrees

# (specificity, support types not matched, not a national phone line, reach, stale, name, service id)
Ranked = tuple[int, int, int, int, int, str, str]
PHONE = frozenset({"phone"})


def candidates(
    session: Session,
    place: ResolvedPlace,
    radius_miles: float,
    conditions: list[ColumnElement[bool]],
    stale_before: date,
    support: frozenset[str] = frozenset(),
) -> list[Ranked]:
    """`support`: the kinds of support chosen, for ranking by how many each offers (a service's stored terms
    include their parents, so choosing 'emotional' counts every kind of emotional support once)."""
    radius = radius_miles / MILES_PER_DEGREE_LATITUDE
    nearest = (
        select(func.min(squared_degrees(place.latitude, place.longitude)))
        .select_from(ServiceAtLocation)
        .join(Location, col(Location.id) == ServiceAtLocation.location_id)
        .where(col(ServiceAtLocation.service_id) == col(Service.id))
        .scalar_subquery()
    )
    reach = case(
        (col(Service.service_area) == ServiceArea.AREAS.value, 0),
        (col(Service.service_area) == place.nation.value, 1),
        else_=2,
    )
    rows = session.execute(
        _ranking_columns(stale_before, reach, nearest)
        .where(col(Service.id).in_(coverage.covering_ids(place)))
        .where(coverage.has_term(DELIVERY_MODES.id, REMOTE_DELIVERY), *conditions)
    ).all()
    kept = [row for row in rows if row[-1] is None or row[-1] > radius**2]
    return _ranked(session, kept, support)


def everywhere(
    session: Session, conditions: list[ColumnElement[bool]], stale_before: date, support: frozenset[str] = frozenset()
) -> list[Ranked]:
    """Services anyone in the UK can use by phone or online: what a person outside the UK is offered."""
    rows = session.execute(
        _ranking_columns(stale_before, literal(2), literal(None))
        .where(col(Service.service_area) == ServiceArea.UK.value)
        .where(coverage.has_term(DELIVERY_MODES.id, REMOTE_DELIVERY), *conditions)
    ).all()
    return _ranked(session, list(rows), support)


def _ranking_columns(stale_before: date, reach: ColumnElement[int], nearest: ColumnElement[Any]) -> Select[Any]:
    by_phone = coverage.has_term(DELIVERY_MODES.id, PHONE)
    national_line = and_(col(Service.service_area) != ServiceArea.AREAS.value, by_phone)
    return sa_select(
        col(Service.specificity),
        case((national_line, 0), else_=1),
        reach,
        case((col(Service.last_verified) < stale_before, 1), else_=0),
        func.lower(col(Service.name)),
        col(Service.id),
        nearest,
    )  # fmt: skip


def _ranked(session: Session, rows: Sequence[Any], support: frozenset[str]) -> list[Ranked]:
    offered = _support_counts(session, [row[5] for row in rows], support) if support else {}
    return sorted(
        (specificity_rank(specificity), -offered.get(id_, 0), line, rank, stale, name, id_)
        for specificity, line, rank, stale, name, id_, _ in rows
    )


def _support_counts(session: Session, service_ids: list[str], support: frozenset[str]) -> dict[str, int]:
    """How many of the chosen kinds of support each service offers."""
    counts: dict[str, int] = {}
    for service_id in session.exec(
        select(ServiceTerm.service_id).where(
            col(ServiceTerm.service_id).in_(service_ids),
            ServiceTerm.vocabulary == SUPPORT_TYPES.id,
            col(ServiceTerm.code).in_(support),
        )
    ):
        counts[service_id] = counts.get(service_id, 0) + 1
    return counts
