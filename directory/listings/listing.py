"""A listing: one service with its organisation and location, flat, as in one row of `data/organisations.csv`.

This is the one validator of a listing's fields, used by the CSV importer, the moderation forms and the API alike;
the fields themselves (names, labels, longest values) are declared once, in `schema.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date

from directory.errors import InvalidListing, Problem
from directory.geography import gazetteer, postcodes
from directory.listings.schema import COLUMNS, MAX_LENGTHS
from directory.listings.taxonomy import (
    AUDIENCES,
    DELIVERY_MODES,
    SUPPORT_TYPES,
    Cost,
    Referral,
    ServiceArea,
    Vocabulary,
)

LIST_COLUMNS = {"support_types", "audiences", "delivery_modes", "area_postcodes", "languages"}

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
URL = re.compile(r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/[^\s<>\"]*)?$")
EMAIL = re.compile(r"^[^@\s<>\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# Geographic and non-geographic numbers, and the 116 helpline range (Samaritans is 116 123).
UK_PHONE = re.compile(r"^(?:0\d{9,10}|\+44\d{9,10}|116\d{3})$")
PHONE_CHARACTERS = re.compile(r"^[0-9 +()-]+$")


@dataclass(frozen=True)
class Listing:
    id: str
    organisation_id: str
    organisation_name: str
    organisation_website: str
    name: str
    description: str
    support_types: tuple[str, ...]
    audiences: tuple[str, ...]
    delivery_modes: tuple[str, ...]
    service_area: ServiceArea
    area_postcodes: tuple[str, ...]
    address: str
    town: str
    postcode: str
    latitude: float | None
    longitude: float | None
    phone: str
    email: str
    website: str
    opening_hours: str
    cost: Cost | None  # None: the organisation's pages do not say
    referral: Referral | None
    languages: tuple[str, ...]
    eligibility: str
    source_url: str
    last_verified: date

    @property
    def has_location(self) -> bool:
        return bool(self.postcode)

    def as_row(self) -> dict[str, str]:
        """The listing as CSV cells: lists joined with ';', blanks for missing values."""
        row: dict[str, str] = {}
        for name, value in asdict(self).items():
            if isinstance(value, tuple):
                row[name] = ";".join(value)
            elif value is None:
                row[name] = ""
            elif isinstance(value, float):
                row[name] = f"{value:.5f}"
            else:
                row[name] = str(value)
        return row


def split_list(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


class _Checker:
    """Collects every problem of one listing instead of stopping at the first."""

    def __init__(self, raw: Mapping[str, str | None], row: int | None) -> None:
        self.raw = {key: (value or "").strip() for key, value in raw.items() if key is not None}
        self.row = row
        self.problems: list[Problem] = []

    def fail(self, column: str, reason: str) -> None:
        self.problems.append(Problem(column, reason, self.row))

    def text(self, column: str, *, required: bool = False) -> str:
        value = self.raw.get(column, "")
        if column not in MAX_LENGTHS:
            return value  # an unknown column: reported once, by _check_consistency
        limit = MAX_LENGTHS[column]
        if required and not value:
            self.fail(column, "is required but empty")
        elif len(value) > limit:
            self.fail(column, f"is {len(value)} characters long; the limit is {limit}")
        return value

    def matching(self, column: str, pattern: re.Pattern[str], what: str, *, required: bool = False) -> str:
        value = self.text(column, required=required)
        if value and not pattern.match(value):
            self.fail(column, f"'{value}' is not {what}")
        return value

    def codes(self, column: str, vocabulary: Vocabulary) -> tuple[str, ...]:
        values = split_list(self.text(column, required=True))
        unknown = [code for code in values if code not in vocabulary.codes()]
        for code in unknown:
            known = ", ".join(sorted(vocabulary.codes()))
            self.fail(column, f"'{code}' is not a known {vocabulary.name.lower()} (use one of: {known})")
        return tuple(vocabulary.with_parents(values)) if not unknown else values

    def choice(
        self, column: str, enum: Callable[[str], object], allowed: list[str], *, required: bool = True
    ) -> object:
        value = self.text(column, required=required)
        if value and value not in allowed:
            self.fail(column, f"'{value}' is not one of: {', '.join(allowed)}")
            return None
        return enum(value) if value else None

    def coordinate(self, column: str, low: float, high: float) -> float | None:
        value = self.text(column)
        if not value:
            return None
        try:
            number = float(value)
        except ValueError:
            self.fail(column, f"'{value}' is not a number")
            return None
        if not low <= number <= high:
            self.fail(column, f"{number} is outside the UK ({low} to {high})")
            return None
        return number

    def phone(self) -> str:
        value = self.text("phone")
        digits = re.sub(r"[ ()-]", "", value)
        if value and not (PHONE_CHARACTERS.match(value) and UK_PHONE.match(digits)):
            self.fail("phone", f"'{value}' is not a UK phone number (for example 0808 800 6000)")
        return value

    def postcode(self) -> str:
        value = self.raw.get("postcode", "")  # no length check: a normalised postcode always fits, and
        if not value:  # "not a postcode" is a clearer message than "14 characters long"
            return ""
        normalised = postcodes.normalise_postcode(value)
        if normalised is None:
            self.fail("postcode", f"'{value[:40]}' is not a full UK postcode (for example LS1 3EX)")
            return value
        if gazetteer.gazetteer().district(normalised.split()[0]) is None:
            self.fail("postcode", f"'{value}' is not in a postcode district we can place on the map")
        return normalised

    def last_verified(self) -> date | None:
        value = self.text("last_verified", required=True)
        if not value:
            return None
        try:
            checked = date.fromisoformat(value)
        except ValueError:
            self.fail("last_verified", f"'{value}' is not a date in the form YYYY-MM-DD")
            return None
        if checked > date.today():
            self.fail("last_verified", f"{value} is in the future")
        return checked

    def source_urls(self) -> str:
        value = self.text("source_url", required=True)
        for url in (part.strip() for part in value.split(" ; ")):
            if url and not URL.match(url):
                self.fail("source_url", f"'{url}' is not a web address starting with https://")
        return value


def parse_listing(raw: Mapping[str, str | None], *, row: int | None = None) -> Listing:
    """Validate one listing's raw fields; raise InvalidListing with every problem found."""
    check = _Checker(raw, row)
    delivery = check.codes("delivery_modes", DELIVERY_MODES)
    area = check.choice("service_area", ServiceArea, [area.value for area in ServiceArea])
    values = dict(
        id=check.matching("id", SLUG, "a lowercase id like 'macmillan-support-line'", required=True),
        organisation_id=check.matching("organisation_id", SLUG, "a lowercase id like 'macmillan'", required=True),
        organisation_name=check.text("organisation_name", required=True),
        organisation_website=check.matching("organisation_website", URL, "a web address starting with https://"),
        name=check.text("name", required=True),
        description=check.text("description", required=True),
        support_types=check.codes("support_types", SUPPORT_TYPES),
        audiences=check.codes("audiences", AUDIENCES),
        delivery_modes=delivery,
        service_area=area,
        area_postcodes=tuple(code.upper() for code in split_list(check.text("area_postcodes"))),
        address=check.text("address"),
        town=check.text("town"),
        postcode=check.postcode(),
        latitude=check.coordinate("latitude", 49.8, 60.9),
        longitude=check.coordinate("longitude", -8.7, 1.8),
        phone=check.phone(),
        email=check.matching("email", EMAIL, "an email address"),
        website=check.matching("website", URL, "a web address starting with https://"),
        opening_hours=check.text("opening_hours"),
        cost=check.choice("cost", Cost, [cost.value for cost in Cost], required=False),
        referral=check.choice("referral", Referral, [referral.value for referral in Referral], required=False),
        languages=split_list(check.text("languages")),
        eligibility=check.text("eligibility"),
        source_url=check.source_urls(),
        last_verified=check.last_verified(),
    )
    _check_consistency(check, values)
    if check.problems:
        raise InvalidListing(check.problems)
    return Listing(**values)  # type: ignore[arg-type]


def _check_consistency(check: _Checker, values: dict[str, object]) -> None:
    """Rules across fields: an in-person or local service needs somewhere to be."""
    in_person = "in-person" in values["delivery_modes"]  # type: ignore[operator]
    for column in ("address", "town", "postcode"):
        if in_person and not values[column]:
            check.fail(column, "is required for a service delivered in person")
    for area in values["area_postcodes"]:  # type: ignore[attr-defined]
        if not postcodes.POSTCODE_AREA_OR_DISTRICT.match(area):
            check.fail("area_postcodes", f"'{area}' is not a postcode area or district (for example LS or LS6)")
    if values["service_area"] is ServiceArea.LOCAL and not (values["postcode"] or values["area_postcodes"]):
        check.fail("service_area", "a local service needs a postcode or area_postcodes saying where it is")
    unknown_columns = set(check.raw) - set(COLUMNS)
    for column in sorted(unknown_columns):
        check.fail(column, "is not a column we know (see data/README.md)")


FIELD_NAMES = tuple(field.name for field in fields(Listing))
assert FIELD_NAMES == COLUMNS, "Listing fields and CSV columns must stay in the same order"
