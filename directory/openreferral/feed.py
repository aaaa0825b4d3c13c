"""What the open-data feed publishes, and which records a list request selects.

Only active services are published, as on the web pages. Filters combine with AND. A place (`postcode` with
`proximity`) is answered by `engine.search`, the one coverage-aware search the web pages use, so the feed and the
search page always agree on what is available to a person at that place: services with a centre within the distance,
nearest first, then those that cover the place by phone or online.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, TextClause, exists, false, func, or_
from sqlmodel import Session, col, select

from directory.geography import distance, geocoding
from directory.listings.models import Organisation, Service, ServiceAtLocation, ServiceTerm
from directory.openreferral import taxonomies
from directory.search import engine, keywords
from directory.search.query import SearchQuery, SearchResults

Condition = ColumnElement[bool] | TextClause
EVERYTHING = 1_000_000  # a page size that holds every result of a search


@dataclass(frozen=True)
class Filters:
    """The ORUK list parameters that narrow services: every one given must hold."""

    search: str = ""
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    organization_id: str = ""
    modified_after: datetime | None = None


@dataclass(frozen=True)
class Near:
    """A place and a distance: only services available to someone there."""

    place: geocoding.ResolvedPlace
    radius_miles: float


def service_ids(session: Session, filters: Filters, near: Near | None, *, stale_before: date) -> list[str]:
    """The ids of the published services that pass every filter: A to Z, or as the search orders them near a place."""
    if near is None:
        query = select(Service.id).join(Organisation).where(*_conditions(session, filters, with_keywords=True))
        return list(session.exec(query.order_by(func.lower(Service.name), Service.id)).all())
    results = _search(session, filters, near, stale_before)
    return _keep(session, [hit.card.id for hit in results.nearby + results.remote], filters)


def service_at_location_ids(session: Session, filters: Filters, near: Near | None, *, stale_before: date) -> list[str]:
    """Service-at-location ids: A to Z by service, or near a place the service's locations within the distance,
    for the services the search finds near it (a service is offered at its locations, not by phone)."""
    if near is None:
        query = (
            select(ServiceAtLocation.id)
            .join(Service, col(Service.id) == ServiceAtLocation.service_id)
            .join(Organisation)
            .where(*_conditions(session, filters, with_keywords=True))
        )
        return list(session.exec(query.order_by(func.lower(Service.name), ServiceAtLocation.id)).all())
    results = _search(session, filters, near, stale_before)
    kept = _keep(session, [hit.card.id for hit in results.nearby], filters)
    return [link_id for service in services(session, kept) for link_id in _links_within(service, near)]


def _links_within(service: Service, near: Near) -> list[str]:
    """The service's locations within the distance, nearest first (always the nearest one, which put it there)."""
    measured = sorted(
        (distance.distance_miles(near.place.point, (link.location.latitude, link.location.longitude)), link.id)
        for link in service.service_at_locations
        if link.location.latitude is not None and link.location.longitude is not None
    )
    return [link_id for index, (miles, link_id) in enumerate(measured) if index == 0 or miles <= near.radius_miles]


def organisation_ids(session: Session, search_text: str) -> list[str]:
    """Organisations with at least one published service, A to Z; `search_text` matches part of the name."""
    query = select(Organisation.id).where(col(Organisation.id).in_(select(Service.organisation_id).where(_published())))
    words = search_text.strip().lower()
    if words:
        query = query.where(func.lower(Organisation.name).contains(words, autoescape=True))
    return list(session.exec(query.order_by(func.lower(Organisation.name), Organisation.id)).all())


def services(session: Session, ids: list[str]) -> list[Service]:
    """The services with these ids, in the order given."""
    return _in_order(session, Service, ids)


def links(session: Session, ids: list[str]) -> list[ServiceAtLocation]:
    return _in_order(session, ServiceAtLocation, ids)


def organisations(session: Session, ids: list[str]) -> list[Organisation]:
    return _in_order(session, Organisation, ids)


def _in_order(session: Session, model: Any, ids: list[str]) -> list[Any]:
    """Records by id in one query, in the order of `ids` (ids no longer there are skipped)."""
    found = {record.id: record for record in session.exec(select(model).where(col(model.id).in_(ids)))}
    return [found[record_id] for record_id in ids if record_id in found]


def published_services_of(session: Session, organisation: Organisation) -> list[Service]:
    query = select(Service).where(Service.organisation_id == organisation.id, _published())
    return list(session.exec(query.order_by(func.lower(Service.name), Service.id)).all())


def published_service(session: Session, uuid: str) -> Service | None:
    """A published service by its public UUID; an unpublished one is as good as missing."""
    service = session.exec(select(Service).where(Service.uuid == uuid, _published())).first()
    return service


def published_link(session: Session, uuid: str) -> ServiceAtLocation | None:
    query = select(ServiceAtLocation).join(Service).where(ServiceAtLocation.uuid == uuid, _published())
    return session.exec(query).first()


def published_organisation(session: Session, uuid: str) -> Organisation | None:
    organisation = session.exec(select(Organisation).where(Organisation.uuid == uuid)).first()
    return organisation if organisation is not None and published_services_of(session, organisation) else None


def _search(session: Session, filters: Filters, near: Near, stale_before: date) -> SearchResults:
    query = SearchQuery(radius_miles=near.radius_miles, keywords=filters.search, per_page=EVERYTHING)
    return engine.search(session, near.place, query, stale_before=stale_before)


def _keep(session: Session, ordered_ids: list[str], filters: Filters) -> list[str]:
    """The ids (in their order) that also pass the filters the search itself does not apply."""
    if not ordered_ids:
        return []
    query = select(Service.id).join(Organisation).where(col(Service.id).in_(ordered_ids))
    allowed = set(session.exec(query.where(*_conditions(session, filters, with_keywords=False))).all())
    return [service_id for service_id in ordered_ids if service_id in allowed]


def _published() -> ColumnElement[bool]:
    return col(Service.status) == "active"


def _conditions(session: Session, filters: Filters, *, with_keywords: bool) -> list[Condition]:
    conditions: list[Condition] = [_published()]
    if filters.taxonomy_term_id:
        found = taxonomies.terms_by_id().get(filters.taxonomy_term_id)
        conditions.append(_has_term(found[0].id, found[1].code) if found else false())
    if filters.taxonomy_id:
        vocabulary = taxonomies.vocabularies_by_id().get(filters.taxonomy_id)
        conditions.append(_has_term(vocabulary.id) if vocabulary else false())
    if filters.organization_id:
        conditions.append(col(Organisation.uuid) == filters.organization_id)
    if filters.modified_after is not None:
        after = filters.modified_after
        conditions.append(or_(col(Service.updated_at) >= after, col(Organisation.updated_at) >= after))
    if with_keywords and (matches := keywords.matches(session, filters.search)) is not None:
        conditions.append(matches)
    return conditions


def _has_term(vocabulary: str, code: str | None = None) -> ColumnElement[bool]:
    condition = exists().where(col(ServiceTerm.service_id) == Service.id, col(ServiceTerm.vocabulary) == vocabulary)
    return condition.where(col(ServiceTerm.code) == code) if code is not None else condition
