"""Reading and writing listings in the database: the one layer that turns a `Listing` into rows and back.

Functions flush but never commit: the caller owns the transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import func
from sqlmodel import Session, col, select

from directory.db import utcnow
from directory.errors import NotFound
from directory.geography import distance, gazetteer
from directory.geography.nations import Nation
from directory.listings.cards import Card, cards
from directory.listings.listing import Listing
from directory.listings.models import Location, Organisation, Service, ServiceAtLocation, ServiceTerm, public_uuid
from directory.listings.taxonomy import (
    AUDIENCES,
    DELIVERY_MODES,
    POSTCODE_AREA,
    SUPPORT_TYPES,
    Cost,
    Referral,
    ServiceArea,
)

TERM_FIELDS = {SUPPORT_TYPES.id: "support_types", AUDIENCES.id: "audiences", DELIVERY_MODES.id: "delivery_modes"}


class SaveOutcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


def get_service(session: Session, service_id: str) -> Service | None:
    return session.get(Service, service_id)


def require_service(session: Session, service_id: str) -> Service:
    service = session.get(Service, service_id)
    if service is None:
        raise NotFound(f"There is no service with the id '{service_id}'. It may have been removed.", field="id")
    return service


def listing_of(service: Service) -> Listing:
    location = service.locations[0] if service.locations else None
    return Listing(
        id=service.id,
        organisation_id=service.organisation_id,
        organisation_name=service.organisation.name,
        organisation_website=service.organisation.website,
        name=service.name,
        description=service.description,
        support_types=tuple(SUPPORT_TYPES.with_parents(service.codes(SUPPORT_TYPES.id))),
        audiences=tuple(AUDIENCES.with_parents(service.codes(AUDIENCES.id))),
        delivery_modes=tuple(DELIVERY_MODES.with_parents(service.codes(DELIVERY_MODES.id))),
        service_area=ServiceArea(service.service_area),
        area_postcodes=tuple(code for code in service.area_postcodes.split(";") if code),
        address=location.address if location else "",
        town=location.town if location else "",
        postcode=location.postcode if location else "",
        latitude=location.latitude if location and not location.geocoded else None,
        longitude=location.longitude if location and not location.geocoded else None,
        phone=service.phone,
        email=service.email,
        website=service.website,
        opening_hours=service.opening_hours,
        cost=Cost(service.cost) if service.cost else None,
        referral=Referral(service.referral) if service.referral else None,
        languages=tuple(language for language in service.languages.split(";") if language),
        eligibility=service.eligibility,
        source_url=service.source_url,
        last_verified=service.last_verified,
    )


def save_listing(session: Session, listing: Listing) -> SaveOutcome:
    """Create or update the listing's organisation, service, terms and location; bump the version on change."""
    existing = session.get(Service, listing.id)
    if existing is not None and listing_of(existing) == listing:
        return SaveOutcome.UNCHANGED
    organisation = _save_organisation(session, listing)
    service = existing or Service(id=listing.id, uuid=public_uuid("service", listing.id), version=0)
    service.organisation = organisation
    for field in ("name", "description", "phone", "email", "website", "opening_hours", "eligibility", "source_url"):
        setattr(service, field, getattr(listing, field))
    service.service_area = listing.service_area.value
    service.area_postcodes = ";".join(listing.area_postcodes)
    service.cost = listing.cost.value if listing.cost else ""
    service.referral = listing.referral.value if listing.referral else ""
    service.languages = ";".join(listing.languages)
    service.last_verified = listing.last_verified
    service.version += 1
    service.updated_at = utcnow()
    service.terms = [
        ServiceTerm(service_id=listing.id, vocabulary=vocabulary, code=code)
        for vocabulary, field in TERM_FIELDS.items()
        for code in getattr(listing, field)
    ] + [ServiceTerm(service_id=listing.id, vocabulary=POSTCODE_AREA, code=code) for code in listing.area_postcodes]
    session.add(service)
    _save_location(session, service, listing)
    session.flush()
    # New term objects equal to old ones can drop out of the in-memory collection; the rows are right, so reload.
    session.expire(service, ["terms"])
    return SaveOutcome.UPDATED if existing else SaveOutcome.CREATED


def _save_organisation(session: Session, listing: Listing) -> Organisation:
    organisation = session.get(Organisation, listing.organisation_id) or Organisation(
        id=listing.organisation_id, uuid=public_uuid("organisation", listing.organisation_id)
    )
    if (organisation.name, organisation.website) != (listing.organisation_name, listing.organisation_website):
        organisation.name = listing.organisation_name
        organisation.website = listing.organisation_website
        organisation.updated_at = utcnow()
    session.add(organisation)
    return organisation


def _save_location(session: Session, service: Service, listing: Listing) -> None:
    """A CSV listing has at most one location, whose id derives from the service's."""
    location_id = f"{listing.id}-location"
    link_id = f"{listing.id}-at-location"
    if not listing.has_location:
        service.service_at_locations = [link for link in service.service_at_locations if link.id != link_id]
        stale = session.get(Location, location_id)
        if stale is not None:
            session.flush()
            session.delete(stale)
        return
    location = session.get(Location, location_id) or Location(id=location_id, uuid=public_uuid("location", location_id))
    location.organisation_id = listing.organisation_id
    location.address, location.town, location.postcode = listing.address, listing.town, listing.postcode
    location.latitude, location.longitude = _coordinates(listing)
    location.geocoded = listing.latitude is None
    located = location.latitude is not None and location.longitude is not None
    location.grid_cell = distance.grid_cell(location.latitude, location.longitude) if located else None  # type: ignore[arg-type]
    district = gazetteer.gazetteer().district(listing.postcode.split()[0])
    location.nation = district.nation.value if district else ""
    session.add(location)
    if not any(link.id == link_id for link in service.service_at_locations):
        service.service_at_locations.append(
            ServiceAtLocation(id=link_id, uuid=public_uuid("service_at_location", link_id), location=location)
        )


def _coordinates(listing: Listing) -> tuple[float | None, float | None]:
    if listing.latitude is not None and listing.longitude is not None:
        return listing.latitude, listing.longitude
    district = gazetteer.gazetteer().district(listing.postcode.split()[0])
    return (district.latitude, district.longitude) if district else (None, None)


@dataclass(frozen=True)
class BrowsePage:
    cards: list[Card]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def browse(
    session: Session,
    *,
    support: list[str] | None = None,
    delivery: list[str] | None = None,
    nation: Nation | None = None,
    page: int = 1,
    per_page: int = 20,
) -> BrowsePage:
    """All services A to Z, filtered by support type (any of), delivery mode (any of) and nation."""
    query = select(Service).where(Service.status == "active")
    if support:
        query = query.where(col(Service.id).in_(_with_terms(SUPPORT_TYPES.id, SUPPORT_TYPES.expand(support))))
    if delivery:
        query = query.where(col(Service.id).in_(_with_terms(DELIVERY_MODES.id, frozenset(delivery))))
    if nation is not None:
        query = query.where(col(Service.id).in_(services_in_nation(nation)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    ids = session.exec(
        query.with_only_columns(Service.id)
        .order_by(func.lower(Service.name), Service.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return BrowsePage(cards(session, list(ids)), total, page, per_page)


def _with_terms(vocabulary: str, codes: frozenset[str]):  # type: ignore[no-untyped-def]
    return select(ServiceTerm.service_id).where(ServiceTerm.vocabulary == vocabulary, col(ServiceTerm.code).in_(codes))


def services_in_nation(nation: Nation):  # type: ignore[no-untyped-def]
    """Services available in a nation: UK-wide or nation-wide, or with a location there."""
    located = select(ServiceAtLocation.service_id).join(Location).where(Location.nation == nation.value)
    by_area = select(Service.id).where(col(Service.service_area).in_([ServiceArea.UK.value, nation.value]))
    return by_area.union(located)


def last_changed(session: Session) -> datetime | None:
    """When anything published last changed: the newest service or organisation update."""
    newest = [
        session.exec(select(func.max(Service.updated_at))).one(),
        session.exec(select(func.max(Organisation.updated_at))).one(),
    ]
    present = [moment for moment in newest if moment is not None]
    return max(present) if present else None
