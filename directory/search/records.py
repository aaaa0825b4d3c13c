"""The JSON shapes of /api/v1/: a search's results (each hit with its group, distance and reason) and one listing,
with examples made from the fictional example listing by the same code."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from directory.geography import distance
from directory.geography.geocoding import ResolvedPlace
from directory.geography.nations import Nation
from directory.listings import fictional, timetable, when
from directory.listings.cards import Card, Place
from directory.listings.taxonomy import AUDIENCES, DELIVERY_MODES, SUPPORT_TYPES
from directory.search import engine
from directory.search.query import Group, Hit, SearchQuery, SearchResults

EXAMPLE_NOW = datetime(2026, 12, 1, 10, 0, tzinfo=timetable.UK)


def search_record(results: SearchResults, now: datetime) -> dict[str, Any]:
    place, query = results.place, results.query
    return {
        "place": {
            "label": place.label,
            "latitude": place.latitude,
            "longitude": place.longitude,
            "nation": place.nation.value,
            "precision": place.precision,
        },
        "query": {
            "radius": query.radius_miles,
            "support": list(query.support),
            "delivery": list(query.delivery),
            "audience": list(query.audience),
            "q": query.keywords,
            "when": query.when.value if query.when else "",
            "secondary": query.secondary_only,
            "page": query.page,
            "per_page": query.per_page,
        },
        "total_pages": results.pages,
        "nearby": {
            "heading": Group.NEARBY.heading,
            "total": results.nearby_total,
            "more": results.nearby_more,
            "results": [hit_record(hit, now) for hit in results.nearby],
        },
        "remote": {
            "heading": Group.REMOTE.heading,
            "total": results.remote_total,
            "results": [hit_record(hit, now) for hit in results.remote],
        },
    }


def hit_record(hit: Hit, now: datetime) -> dict[str, Any]:
    """One result: the card, its group, how far it is, and why it is included."""
    card = hit.card
    record: dict[str, Any] = {
        "id": card.id,
        "name": card.name,
        "organisation": card.organisation_name,
        "description": card.description,
        "group": hit.group.value,
        "reason": hit.reason,
        "possibly_out_of_date": hit.stale,
        "last_verified": card.last_verified.isoformat(),
        "service_area": card.service_area,
        "support_types": list(card.support_types),
        "audiences": list(card.audiences),
        "delivery_modes": list(card.delivery_modes),
        "specificity": card.specificity,
        "links": {"self": f"/api/v1/services/{card.id}", "page": f"/services/{card.id}"},
        "timing": when.timing_record(card.schedules, now, card.closed_until),
    }
    record |= {key: value for key, value in (("phone", card.phone), ("website", card.website)) if value}
    if hit.distance_miles is not None:
        record["distance_miles"] = round(hit.distance_miles, 1)
        record["distance"] = distance.describe_miles(hit.distance_miles)
    if hit.place is not None:
        nearest = hit.place
        record["nearest_place"] = {
            "address": nearest.address,
            "town": nearest.town,
            "postcode": nearest.postcode,
            "latitude": nearest.latitude,
            "longitude": nearest.longitude,
        }
    return record


def search_example() -> dict[str, Any]:
    """A search from G12 8QQ that finds the example centre nearby (hits made as `engine.search` makes them)."""
    place = ResolvedPlace("G12 8QQ", 55.87175, -4.28836, Nation.SCOTLAND, "G12", "postcode")
    results = SearchResults(place, SearchQuery(radius_miles=10), nearby_total=1, remote_total=1)
    results.nearby = [engine._nearby_hit(_example_centre(), place, date(2025, 1, 1), place.origin)]
    results.remote = [engine._remote_hit(_example_helpline(), place, date(2025, 1, 1))]
    return search_record(results, EXAMPLE_NOW)


def _example_centre() -> Card:
    service = fictional.example_service()
    located = service.service_at_locations[0].location
    return Card(
        service.id, service.name, service.organisation.name, service.description, service.phone, service.website,
        service.service_area, service.last_verified, service.specificity, service.area_name, service.area_postcodes,
        support_types=tuple(SUPPORT_TYPES.with_parents(service.codes(SUPPORT_TYPES.id))),
        audiences=tuple(AUDIENCES.with_parents(service.codes(AUDIENCES.id))),
        delivery_modes=tuple(DELIVERY_MODES.with_parents(service.codes(DELIVERY_MODES.id))),
        places=(Place(located.address, located.town, located.postcode, located.latitude, located.longitude),),  # type: ignore[arg-type]
    )  # fmt: skip


def _example_helpline() -> Card:
    return Card(
        "example-helpline", "Example Helpline", "Example Charity", "A fictional helpline for anyone in the UK.",
        "01632 960000", "https://example.org/helpline", "uk", date(2026, 10, 20), "breast-cancer", "", "",
        support_types=("emotional",), audiences=("living-with-secondary",), delivery_modes=("phone",),
    )  # fmt: skip
