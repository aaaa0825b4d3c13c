"""A listing: one service with its organisation and location, flat, as in one row of `data/organisations.csv`.

This is the one validator of a listing's fields, used by the CSV importer, the moderation forms and the API alike;
the fields themselves (names, labels, longest values) are declared once, in `schema.py`, and checked one by one in
`checks.py`. The rules across fields are here: where a service is available must read one way only, an in-person
service needs somewhere to be, and every listing needs a way to make contact.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date

from directory.errors import InvalidListing
from directory.geography import gazetteer, postcodes
from directory.listings import schedules
from directory.listings.checks import EMAIL, URL, Checker, split_list
from directory.listings.schedules import Schedule
from directory.listings.schema import COLUMNS
from directory.listings.taxonomy import (
    AUDIENCES,
    DELIVERY_MODES,
    SUPPORT_TYPES,
    Cost,
    Referral,
    ServiceArea,
    Specificity,
)

LIST_COLUMNS = {"support_types", "audiences", "delivery_modes", "area_postcodes", "languages"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Listing:
    id: str
    organisation_id: str
    organisation_name: str
    organisation_website: str
    organisation_description: str
    charity_number: str
    name: str
    description: str
    specificity: Specificity
    support_types: tuple[str, ...]
    audiences: tuple[str, ...]
    delivery_modes: tuple[str, ...]
    service_area: ServiceArea
    area_name: str
    area_postcodes: tuple[str, ...]
    address: str
    grounds_of: str  # the hospital a centre stands in the grounds of (its postcode is the hospital's)
    town: str
    postcode: str  # blank for an in-person service placed at its town's centre (approximate)
    latitude: float | None
    longitude: float | None
    phone: str
    email: str
    website: str
    opening_hours: str
    schedules: tuple[Schedule, ...]
    closed_until: date | None  # temporarily closed: no sessions and not open until the day after
    cost: Cost | None  # None: the organisation's pages do not say
    referral: Referral | None
    languages: tuple[str, ...]
    eligibility: str
    source_url: str
    last_verified: date

    @property
    def address_line(self) -> str:
        """Address, town and postcode on one line, leaving out the parts we do not have."""
        return ", ".join(part for part in (self.address, self.town, self.postcode) if part)

    @property
    def has_location(self) -> bool:
        return bool(self.postcode or (self.town and "in-person" in self.delivery_modes))

    @property
    def approximate(self) -> bool:
        """Placed at its town's centre: no page gave its postcode."""
        return self.has_location and not self.postcode

    def as_row(self) -> dict[str, str]:
        """The listing as CSV cells: lists joined with ';', blanks for missing values."""
        row: dict[str, str] = {}
        for name, value in asdict(self).items():
            if name == "schedules":
                row[name] = schedules.format_cell(self.schedules)
            elif isinstance(value, tuple):
                row[name] = ";".join(value)
            elif value is None:
                row[name] = ""
            elif isinstance(value, float):
                row[name] = f"{value:.5f}"
            else:
                row[name] = str(value)
        return row


def parse_listing(raw: Mapping[str, str | None], *, row: int | None = None) -> Listing:
    """Validate one listing's raw fields; raise InvalidListing with every problem found."""
    check = Checker(raw, row)
    values = _organisation_fields(check) | _service_fields(check) | _place_fields(check) | _contact_fields(check)
    _check_area(check, values)
    _check_place(check, values)
    _check_contact(check, values)
    for column in sorted(set(check.raw) - set(COLUMNS)):
        check.fail(column, "is not a column we know (see data/README.md)")
    if check.problems:
        raise InvalidListing(check.problems)
    return Listing(**values)  # type: ignore[arg-type]


def _organisation_fields(check: Checker) -> dict[str, object]:
    return dict(
        id=check.matching("id", SLUG, "a lowercase id like 'macmillan-support-line'", required=True),
        organisation_id=check.matching("organisation_id", SLUG, "a lowercase id like 'macmillan'", required=True),
        organisation_name=check.text("organisation_name", required=True),
        organisation_website=check.matching("organisation_website", URL, "a web address starting with https://"),
        organisation_description=check.text("organisation_description"),
        charity_number=check.charity_number(),
    )


def _service_fields(check: Checker) -> dict[str, object]:
    return dict(
        name=check.text("name", required=True),
        description=check.text("description", required=True),
        specificity=check.choice("specificity", Specificity, [s.value for s in Specificity]),
        support_types=check.codes("support_types", SUPPORT_TYPES),
        audiences=check.codes("audiences", AUDIENCES),
        delivery_modes=check.codes("delivery_modes", DELIVERY_MODES),
        service_area=check.choice("service_area", ServiceArea, [area.value for area in ServiceArea]),
        area_name=check.text("area_name"),
        area_postcodes=tuple(code.upper() for code in split_list(check.text("area_postcodes"))),
        cost=check.choice("cost", Cost, [cost.value for cost in Cost], required=False),
        referral=check.choice("referral", Referral, [referral.value for referral in Referral], required=False),
        languages=split_list(check.text("languages")),
        eligibility=check.text("eligibility"),
        source_url=check.source_urls(),
        last_verified=check.last_verified(),
    )


def _place_fields(check: Checker) -> dict[str, object]:
    return dict(
        address=check.text("address"),
        grounds_of=check.text("grounds_of"),
        town=check.text("town"),
        postcode=check.postcode(),
        latitude=check.coordinate("latitude", 49.8, 60.9),
        longitude=check.coordinate("longitude", -8.7, 1.8),
    )


def _contact_fields(check: Checker) -> dict[str, object]:
    return dict(
        phone=check.phone(),
        email=check.matching("email", EMAIL, "an email address"),
        website=check.matching("website", URL, "a web address starting with https://"),
        opening_hours=check.text("opening_hours"),
        schedules=check.schedules(),
        closed_until=check.optional_date("closed_until"),
    )


def _check_area(check: Checker, values: dict[str, object]) -> None:
    """Where it is available reads one way only: the UK, a nation, some postcode areas, or near its address."""
    area, codes = values["service_area"], values["area_postcodes"]
    for code in codes:  # type: ignore[attr-defined]
        if not postcodes.POSTCODE_AREA_OR_DISTRICT.match(code):
            check.fail("area_postcodes", f"'{code}' is not a postcode area or district (for example LS or LS6)")
    if area is ServiceArea.AREAS and not codes:
        check.fail("area_postcodes", "lists the postcode areas or districts a service for 'some areas only' covers")
    if area is not ServiceArea.AREAS and (codes or values["area_name"]):
        where = area.value if isinstance(area, ServiceArea) else "this area"
        check.fail("service_area", f"is '{where}', so leave the area's postcodes and name blank (or choose 'areas')")
    if area is ServiceArea.LOCAL and not (values["postcode"] or values["town"]):
        check.fail("service_area", "a local service needs a postcode or a town saying where it is")


def _check_place(check: Checker, values: dict[str, object]) -> None:
    """In person: a town, and either a street address with its postcode, or no address (placed at the town)."""
    in_person = "in-person" in values["delivery_modes"]  # type: ignore[operator]
    if in_person and not values["town"]:
        check.fail("town", "is required for a service delivered in person")
    if values["postcode"] and in_person and not values["address"]:
        check.fail("address", "is required for a service delivered in person at a postcode")
    if not values["postcode"]:
        if values["address"]:
            check.fail("postcode", "is required with a street address (or leave the address blank to use the town)")
        if in_person and values["town"] and not gazetteer.gazetteer().places_named(str(values["town"])):
            check.fail("town", f"'{values['town']}' is not a town we can place without a postcode: add the postcode")
    if values["grounds_of"] and not values["postcode"]:
        check.fail("grounds_of", "needs the hospital's postcode in postcode")


def _check_contact(check: Checker, values: dict[str, object]) -> None:
    if not (values["phone"] or values["email"] or values["website"]):
        check.fail("phone", "give at least one way to make contact: a phone number, an email address or a website")


FIELD_NAMES = tuple(field.name for field in fields(Listing))
assert FIELD_NAMES == COLUMNS, "Listing fields and CSV columns must stay in the same order"
