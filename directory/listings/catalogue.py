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
from directory.geography.nations import Nation
from directory.listings import placing, schedule_rows
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
    Specificity,
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
        organisation_description=service.organisation.description,
        charity_number=service.organisation.charity_number,
        name=service.name,
        description=service.description,
        specificity=Specificity(service.specificity),
        support_types=tuple(SUPPORT_TYPES.with_parents(service.codes(SUPPORT_TYPES.id))),
        audiences=tuple(AUDIENCES.with_parents(service.codes(AUDIENCES.id))),
        delivery_modes=tuple(DELIVERY_MODES.with_parents(service.codes(DELIVERY_MODES.id))),
        service_area=ServiceArea(service.service_area),
        area_name=service.area_name,
        area_postcodes=tuple(code for code in service.area_postcodes.split(";") if code),
        address=location.address if location else "",
        grounds_of=location.grounds_of if location else "",
        town=location.town if location else "",
        postcode=location.postcode if location else "",
        latitude=location.latitude if location and not location.geocoded else None,
        longitude=location.longitude if location and not location.geocoded else None,
        phone=service.phone,
        email=service.email,
        website=service.website,
        opening_hours=service.opening_hours,
        schedules=schedule_rows.from_rows(service.schedules),
        closed_until=service.closed_until,
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
    service = existing or _new_service(listing)
    service.organisation = organisation
    for field in ("name", "description", "phone", "email", "website", "opening_hours", "eligibility", "source_url",
                  "area_name"):  # fmt: skip
        setattr(service, field, getattr(listing, field))
    service.specificity = listing.specificity.value
    service.service_area = listing.service_area.value
    service.area_postcodes = ";".join(listing.area_postcodes)
    service.cost = listing.cost.value if listing.cost else ""
    service.referral = listing.referral.value if listing.referral else ""
    service.languages = ";".join(listing.languages)
    service.last_verified = listing.last_verified
    service.closed_until = listing.closed_until
    service.version += 1
    service.updated_at = utcnow()
    service.terms = [
        ServiceTerm(service_id=listing.id, vocabulary=vocabulary, code=code)
        for vocabulary, field in TERM_FIELDS.items()
        for code in getattr(listing, field)
    ] + [ServiceTerm(service_id=listing.id, vocabulary=POSTCODE_AREA, code=code) for code in listing.area_postcodes]
    service.schedules = schedule_rows.to_rows(listing.id, listing.schedules)
    session.add(service)
    placing.save_location(session, service, listing)
    session.flush()
    # New term objects equal to old ones can drop out of the in-memory collection; the rows are right, so reload.
    session.expire(service, ["terms", "schedules"])
    return SaveOutcome.UPDATED if existing else SaveOutcome.CREATED


def _new_service(listing: Listing) -> Service:
    """A service row with its required fields; save_listing then sets every field from the listing."""
    return Service(id=listing.id, uuid=public_uuid("service", listing.id), version=0,
                   organisation_id=listing.organisation_id, name=listing.name, description=listing.description,
                   service_area=listing.service_area.value, cost="", referral="", source_url=listing.source_url,
                   last_verified=listing.last_verified)  # fmt: skip


def _save_organisation(session: Session, listing: Listing) -> Organisation:
    organisation = session.get(Organisation, listing.organisation_id) or Organisation(
        id=listing.organisation_id,
        uuid=public_uuid("organisation", listing.organisation_id),
        name=listing.organisation_name,
    )
    wanted = (listing.organisation_name, listing.organisation_website, listing.organisation_description,
              listing.charity_number)  # fmt: skip
    if (organisation.name, organisation.website, organisation.description, organisation.charity_number) != wanted:
        organisation.name, organisation.website, organisation.description, organisation.charity_number = wanted
        organisation.updated_at = utcnow()
    session.add(organisation)
    return organisation


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
    query = select(Service).where(col(Service.status) == "active")
    if support:
        query = query.where(col(Service.id).in_(_with_terms(SUPPORT_TYPES.id, SUPPORT_TYPES.expand(support))))
    if delivery:
        query = query.where(col(Service.id).in_(_with_terms(DELIVERY_MODES.id, frozenset(delivery))))
    if nation is not None:
        query = query.where(col(Service.id).in_(services_in_nation(nation)))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    ids = session.scalars(
        query.with_only_columns(col(Service.id))
        .order_by(func.lower(Service.name), Service.id)
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return BrowsePage(cards(session, list(ids)), total, page, per_page)


def _with_terms(vocabulary: str, codes: frozenset[str]):
    return select(ServiceTerm.service_id).where(ServiceTerm.vocabulary == vocabulary, col(ServiceTerm.code).in_(codes))


def services_in_nation(nation: Nation):
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
