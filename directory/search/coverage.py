"""Who may use a service at a place: the one coverage rule, for both groups of results.

A service is available to a person when its area is the UK, or the person's nation, or it is limited to some
postcode areas (`areas`) and the person is inside one of them (by any delivery mode: a hospice line for
Inverclyde is not offered in Dumfries), or it is a local, place-based service (then only by distance).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, CompoundSelect, and_, exists, func, or_
from sqlmodel import col, select

from directory.geography.geocoding import ResolvedPlace
from directory.listings.models import Service, ServiceTerm
from directory.listings.taxonomy import POSTCODE_AREA, ServiceArea


def has_term(vocabulary: str, codes: frozenset[str]) -> ColumnElement[bool]:
    return exists().where(
        col(ServiceTerm.service_id) == col(Service.id),
        col(ServiceTerm.vocabulary) == vocabulary,
        col(ServiceTerm.code).in_(codes),
    )


def open_to(place: ResolvedPlace) -> ColumnElement[bool]:
    """May this person use it at all: the condition on 'near you' (a Scotland-only centre is never offered in
    Belfast, however near; an Inverclyde-only one never outside Inverclyde).

    The area is read through `lower()` so that no planner drives 'near you' from the service-area index (nearly
    every nearby service is local): the spatial grid must stay the outer loop."""
    area = func.lower(Service.service_area)
    return or_(
        area.in_([ServiceArea.UK.value, place.nation.value, ServiceArea.LOCAL.value]),
        and_(area == ServiceArea.AREAS.value, has_term(POSTCODE_AREA, frozenset(place.area_codes))),
    )


def covering_ids(place: ResolvedPlace) -> CompoundSelect:
    """Services whose reach (the UK, the nation, or an area the place is in) includes the place, read through
    indexes: the candidates for 'by phone or online'. Local services are never among them."""
    by_area = select(Service.id).where(col(Service.service_area).in_([ServiceArea.UK.value, place.nation.value]))
    # Only services limited to some areas carry postcode-area terms (the validator allows them nowhere else).
    by_postcode = select(ServiceTerm.service_id).where(
        ServiceTerm.vocabulary == POSTCODE_AREA, col(ServiceTerm.code).in_(place.area_codes)
    )
    return by_area.union(by_postcode)


def reach_rank(service_area: str, place: ResolvedPlace) -> int:
    """0 for a service of the person's own area, 1 for their nation's, 2 for the UK's."""
    if service_area == ServiceArea.AREAS.value:
        return 0
    return 1 if service_area == place.nation.value else 2
