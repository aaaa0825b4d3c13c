"""Our records as Open Referral UK 3.0 (HSDS-UK-3.0) JSON: organisations, services, locations, service-at-locations,
taxonomies and taxonomy terms.

Pure functions from rows to dicts: the API routes choose which rows, this module decides how each one looks, so the
feed, the export and the tests share one mapping. Rules of the standard kept here:
- ids are UUIDs: the `uuid` stored on each row; taxonomies, terms and the small child objects (addresses, schedules,
  service areas...) get stable UUIDs derived from what they describe, so the same record always has the same id;
- optional fields without a value are left out, never sent as null or "";
- `assured_date` is the day a person last checked the listing (`last_verified`);
- ORUK 3.0 has no phone object: phone numbers go in HSDS 3.0's `phones` (which standard clients read), and who can
  use a service and how to start in HSDS 3.0's `eligibility_description` and `application_process`. The extensions
  `x_phones`, `x_eligibility` and `x_referral` carry the same for one more release (deprecated: see README).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum

from directory.geography.nations import Nation
from directory.listings import schedule_rows, schedule_words
from directory.listings.models import Location, Organisation, ScheduleRow, Service, ServiceAtLocation, public_uuid
from directory.listings.schedules import Schedule
from directory.listings.taxonomy import VOCABULARIES, Cost, Referral, ServiceArea
from directory.openreferral.json_records import Json, compact
from directory.openreferral.taxonomies import taxonomy_term, term_id

VERSION = "HSDS-UK-3.0"
PROFILE_URL = "https://openreferraluk.org/specifications/3.0/"
COUNTRY = "GB"


class Form(StrEnum):
    """How much of a record a response carries."""

    MINIMAL = "minimal"  # what a consumer needs to decide whether to fetch a record again
    BASIC = "basic"  # the one-to-one fields: what list endpoints return by default
    FULL = "full"  # fully nested, with every related record


def api_details(openapi_url: str) -> Json:
    return {"version": VERSION, "profile": PROFILE_URL, "openapi_url": openapi_url}


def timestamp(moment: datetime) -> str:
    """ORUK's `last_modified`: UTC with millisecond accuracy, e.g. 2026-03-15T10:30:45.123Z."""
    utc = moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def last_modified(service: Service) -> datetime:
    """A service changes when its listing or its organisation changes."""
    return max(service.updated_at, service.organisation.updated_at)


# --- Organisations ---------------------------------------------------------------------------------------------


def organization(
    organisation: Organisation, services: list[Service] | None = None, *, full_service: bool = False
) -> Json:
    """Basic without `services`; fully nested with them: each as id, name and status, or in full."""
    record = compact(
        {
            "id": organisation.uuid,
            "name": organisation.name,
            # The standard requires a description: the organisation's own words, sourced like every other fact.
            "description": organisation.description or f"{organisation.name} (no description recorded yet).",
            "website": organisation.website,
        }
    )
    if services is not None:
        form = Form.FULL if full_service else Form.MINIMAL
        record["services"] = [service_record(service, form) for service in services]
    return record


# --- Services --------------------------------------------------------------------------------------------------


def service_record(service: Service, form: Form = Form.BASIC, *, nest_locations: bool = True) -> Json:
    minimal = {
        "id": service.uuid,
        "organization_id": service.organisation.uuid,
        "name": service.name,
        "status": service.status,
        "last_modified": timestamp(last_modified(service)),
    }
    if form is Form.MINIMAL:
        return minimal
    record = minimal | compact(
        {
            "description": service.description,
            "url": service.website,
            "email": service.email,
            "assured_date": service.last_verified.isoformat(),
            "organization": organization(service.organisation),
            "phones": _phones(service),
            "x_phones": [{"id": public_uuid("phone", service.id), "number": service.phone}] if service.phone else None,
        }
    )
    if form is Form.BASIC:
        return record
    return record | compact(
        {
            "schedules": _schedules(service),
            "service_areas": _service_areas(service),
            "service_at_locations": _nested_locations(service) if nest_locations else None,
            "languages": _languages(service),
            "cost_options": [_cost_option(service)] if service.cost else None,
            "attributes": _attributes(service),
            "eligibility_description": service.eligibility,
            "application_process": Referral(service.referral).label if service.referral else None,
            "x_eligibility": service.eligibility,
            "x_referral": Referral(service.referral).label if service.referral else None,
        }
    )


def _phones(service: Service) -> list[Json] | None:
    """HSDS 3.0 `phone` objects: the service's number, a voice line, with its hours in words where we have them."""
    if not service.phone:
        return None
    return [compact({
        "id": public_uuid("phone", service.id),
        "service_id": service.uuid,
        "number": service.phone,
        "type": "voice",
        "description": service.opening_hours,
    })]  # fmt: skip


def _nested_locations(service: Service) -> list[Json]:
    return [service_at_location(link, Form.FULL, nest_service=False) for link in service.service_at_locations]


def _languages(service: Service) -> list[Json]:
    return [
        {"id": public_uuid("language", f"{service.id}:{name}"), "service_id": service.uuid, "name": name}
        for name in service.languages.split(";")
        if name
    ]


def _schedules(service: Service) -> list[Json]:
    """Each structured schedule with its iCalendar fields (times are UK local time); else the free-text hours."""
    if not service.schedules:
        if not service.opening_hours:
            return []
        return [{"id": public_uuid("schedule", service.id), "service_id": service.uuid,
                 "description": service.opening_hours}]  # fmt: skip
    return [_schedule(service, row, schedule) for row, schedule in
            zip(service.schedules, schedule_rows.from_rows(service.schedules), strict=True)]  # fmt: skip


def _schedule(service: Service, row: ScheduleRow, schedule: Schedule) -> Json:
    notes = ["Times are UK time (Europe/London)."]
    if schedule.closes_at is None:
        notes.append("Open until midnight.")
    if schedule.exdates:
        notes.append("Not on " + ", ".join(day.isoformat() for day in schedule.exdates) + ".")
    if schedule.rdates:
        notes.append("Also on " + ", ".join(day.isoformat() for day in schedule.rdates) + ".")
    return compact(
        {
            "id": row.uuid,
            "service_id": service.uuid,
            "freq": row.freq,
            "interval": row.interval,
            "byday": row.byday,
            "bymonthday": row.bymonthday,
            "dtstart": row.dtstart.isoformat() if row.dtstart else None,
            "valid_from": row.valid_from.isoformat() if row.valid_from else None,
            "valid_to": row.valid_to.isoformat() if row.valid_to else None,
            "opens_at": row.opens_at,
            "closes_at": "23:59" if row.closes_at == "24:00" else row.closes_at,
            "description": schedule_words.sentence(schedule_words.describe(schedule)),
            "attending_type": row.attending_type,
            "notes": " ".join(notes),
        }
    )


def _service_areas(service: Service) -> list[Json]:
    """Where the service is available: the UK or a nation, and any postcode areas or districts it is limited to."""
    areas: list[Json] = []
    area = ServiceArea(service.service_area)
    if area is not ServiceArea.LOCAL:
        areas.append(
            {
                "id": public_uuid("service_area", f"{service.id}:{area.value}"),
                "service_id": service.uuid,
                "name": area.label,
                "service_area": area.label,
            }
        )
    for code in filter(None, service.area_postcodes.split(";")):
        kind = "postcode district" if any(character.isdigit() for character in code) else "postcode area"
        areas.append(
            {
                "id": public_uuid("service_area", f"{service.id}:{code}"),
                "service_id": service.uuid,
                "name": f"{kind.capitalize()} {code}",
                "service_area": code,
                "extent": f"The {kind} {code}",
                "extent_type": "text",  # the standard's values are geojson, topojson, kml and text
            }
        )
    return areas


def _cost_option(service: Service) -> Json:
    cost = Cost(service.cost)
    option: Json = {
        "id": public_uuid("cost_option", service.id),
        "service_id": service.uuid,
        "option": cost.label,
    }
    return option | ({"amount": 0} if cost is Cost.FREE else {})


def _attributes(service: Service) -> list[Json]:
    """The service's support types, audiences and delivery modes, as links to taxonomy terms."""
    attributes: list[Json] = []
    for vocabulary in VOCABULARIES:
        by_code = vocabulary.by_code()
        for code in vocabulary.with_parents(service.codes(vocabulary.id)):
            attributes.append(
                {
                    "id": public_uuid("attribute", f"{service.id}:{vocabulary.id}:{code}"),
                    "link_id": service.uuid,
                    "link_type": vocabulary.id,
                    "link_entity": "service",
                    "taxonomy_term_id": term_id(vocabulary, code),
                    "taxonomy_term": taxonomy_term(vocabulary, by_code[code]),
                }
            )
    return attributes


# --- Locations -------------------------------------------------------------------------------------------------


def service_at_location(link: ServiceAtLocation, form: Form = Form.BASIC, *, nest_service: bool = True) -> Json:
    record: Json = {
        "id": link.uuid,
        "service_id": link.service.uuid,
        "location_id": link.location.uuid,
        "location": location(link.location, full=form is Form.FULL),
    }
    if nest_service:
        record["service"] = service_record(link.service, form, nest_locations=False)
    return record


def location(place: Location, *, full: bool) -> Json:
    name = place.address.split(",")[0].strip() or place.town or place.postcode
    record = compact(
        {
            "id": place.uuid,
            "location_type": "physical",
            "name": name,
            "latitude": place.latitude,
            "longitude": place.longitude,
        }
    )
    if full and place.address and place.town and place.postcode:
        record["addresses"] = [_address(place)]
    return record


def _address(place: Location) -> Json:
    nation = Nation(place.nation).label if place.nation in set(Nation) else "United Kingdom"
    return {
        "id": public_uuid("address", place.id),
        "location_id": place.uuid,
        "address_1": place.address,
        "city": place.town,
        "state_province": nation,
        "postal_code": place.postcode,
        "country": COUNTRY,
        "address_type": "physical",
    }
