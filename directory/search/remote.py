"""'By phone or online': the wanted services whose reach covers the person (coverage.py), minus any already near.

Ordered by reach (the person's own area, then their nation, then the UK), freshness and name; only services with a
national, nation or area reach are read, so the list stays small however large the directory grows.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, case, func
from sqlmodel import Session, col, select

from directory.geography.geocoding import ResolvedPlace
from directory.listings.models import Location, Service, ServiceAtLocation
from directory.listings.taxonomy import DELIVERY_MODES, REMOTE_DELIVERY, ServiceArea
from directory.search import coverage
from directory.search.nearby import MILES_PER_DEGREE_LATITUDE, squared_degrees

Ranked = tuple[int, int, str, str]  # (reach, stale, name, service id)


def candidates(
    session: Session,
    place: ResolvedPlace,
    radius_miles: float,
    conditions: list[ColumnElement[bool]],
    stale_before: date,
) -> list[Ranked]:
    radius = radius_miles / MILES_PER_DEGREE_LATITUDE
    nearest = (
        select(func.min(squared_degrees(place.latitude, place.longitude)))
        .select_from(ServiceAtLocation)
        .join(Location, col(Location.id) == ServiceAtLocation.location_id)
        .where(ServiceAtLocation.service_id == Service.id)
        .scalar_subquery()
    )
    reach = case(
        (Service.service_area == ServiceArea.AREAS.value, 0), (Service.service_area == place.nation.value, 1), else_=2
    )
    rows = session.exec(
        select(
            reach,
            case((col(Service.last_verified) < stale_before, 1), else_=0),
            func.lower(Service.name),
            Service.id,
            nearest,
        )  # fmt: skip
        .where(col(Service.id).in_(coverage.covering_ids(place)))
        .where(coverage.has_term(DELIVERY_MODES.id, REMOTE_DELIVERY), *conditions)
    ).all()
    return sorted((rank, stale, name, id_) for rank, stale, name, id_, d2 in rows if d2 is None or d2 > radius**2)


def everywhere(session: Session, conditions: list[ColumnElement[bool]], stale_before: date) -> list[Ranked]:
    """Services anyone in the UK can use by phone or online: what a person outside the UK is offered."""
    rows = session.exec(
        select(case((col(Service.last_verified) < stale_before, 1), else_=0), func.lower(Service.name), Service.id)
        .where(Service.service_area == ServiceArea.UK.value)
        .where(coverage.has_term(DELIVERY_MODES.id, REMOTE_DELIVERY), *conditions)
    ).all()
    return sorted((2, stale, name, id_) for stale, name, id_ in rows)
