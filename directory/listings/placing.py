"""Where a listing is placed on the map: its own postcode's point (Great Britain), its district's centre (a Northern
Ireland postcode), or its town's centre when no page gave a postcode (shown as approximate); and its nation,
from the postcode itself (a Welsh postcode in a mostly English district is in Wales)."""

from __future__ import annotations

from sqlmodel import Session

from directory.geography import distance, gazetteer
from directory.geography.postcode_points import postcode_points
from directory.listings.listing import Listing
from directory.listings.models import Location, Service, ServiceAtLocation, public_uuid


def save_location(session: Session, service: Service, listing: Listing) -> None:
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
    location = session.get(Location, location_id) or Location(
        id=location_id, uuid=public_uuid("location", location_id), organisation_id=listing.organisation_id
    )
    location.organisation_id = listing.organisation_id
    location.address, location.town, location.postcode = listing.address, listing.town, listing.postcode
    location.grounds_of = listing.grounds_of
    placed = place_of(listing)
    location.latitude, location.longitude, location.nation, location.precision = placed
    location.geocoded = listing.latitude is None
    located = location.latitude is not None and location.longitude is not None
    location.grid_cell = distance.grid_cell(location.latitude, location.longitude) if located else None  # type: ignore[arg-type]
    session.add(location)
    if not any(link.id == link_id for link in service.service_at_locations):
        service.service_at_locations.append(
            ServiceAtLocation(
                id=link_id,
                uuid=public_uuid("service_at_location", link_id),
                service_id=service.id,
                location_id=location.id,
                location=location,
            )  # fmt: skip
        )


def place_of(listing: Listing) -> tuple[float | None, float | None, str, str]:
    """(latitude, longitude, nation, precision) for a listing's location."""
    if listing.postcode:
        outward = listing.postcode.split()[0]
        district = gazetteer.gazetteer().district(outward)
        point = None if outward.startswith("BT") else postcode_points().point(listing.postcode)
        nation = point.nation.value if point else district.nation.value if district else ""
        if listing.latitude is not None and listing.longitude is not None:
            return listing.latitude, listing.longitude, nation, "postcode"
        if point is not None:
            return point.latitude, point.longitude, nation, "postcode"
        if district is not None:
            return district.latitude, district.longitude, nation, "district"
        return None, None, nation, "postcode"
    towns = gazetteer.gazetteer().places_named(listing.town)
    if not towns:
        return None, None, "", "town"
    return towns[0].latitude, towns[0].longitude, towns[0].nation.value, "town"
