"""The validator's building blocks: one field at a time, collecting every problem instead of stopping at the
first, each with the column it belongs to (so the importer, the forms and the API name the same field)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date

from directory.errors import Problem
from directory.geography import gazetteer, postcodes
from directory.geography.postcode_points import postcode_points
from directory.listings import schedules
from directory.listings.schedules import Schedule
from directory.listings.schema import MAX_LENGTHS
from directory.listings.taxonomy import Vocabulary

URL = re.compile(r"^https?://[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:\d+)?(/[^\s<>\"]*)?$")
EMAIL = re.compile(r"^[^@\s<>\"]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
# Geographic and non-geographic numbers, and the 116 helpline range (Samaritans is 116 123).
UK_PHONE = re.compile(r"^(?:0\d{9,10}|\+44\d{9,10}|116\d{3})$")
PHONE_CHARACTERS = re.compile(r"^[0-9 +()-]+$")
# England and Wales (1089464, 1089464-1), Scotland (SC024681), Northern Ireland (NIC101234, XR22184).
CHARITY_NUMBER = re.compile(r"^(?:\d{6,7}(?:-\d{1,2})?|SC0\d{5}|NIC\d{6}|X[NR]\d{5})$")


def split_list(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


class Checker:
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
        outward = normalised.split()[0]
        if gazetteer.gazetteer().district(outward) is None:
            self.fail("postcode", f"'{value}' is not in a postcode district we can place on the map")
        elif not outward.startswith("BT") and postcode_points().point(normalised) is None:
            self.fail("postcode", f"'{normalised}' is not a postcode we can find: please check it")
        return normalised

    def schedules(self) -> tuple[Schedule, ...]:
        try:
            return schedules.parse(self.text("schedules"))
        except schedules.ScheduleError as error:
            self.fail("schedules", str(error))
            return ()

    def charity_number(self) -> str:
        value = self.text("charity_number").upper()
        if value and not CHARITY_NUMBER.match(value):
            example = "for example 1089464, SC024681 or NIC101234"
            self.fail("charity_number", f"'{value}' is not a registered charity number ({example})")
        return value

    def optional_date(self, column: str) -> date | None:
        value = self.text(column)
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            self.fail(column, f"'{value}' is not a date in the form YYYY-MM-DD")
            return None

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
