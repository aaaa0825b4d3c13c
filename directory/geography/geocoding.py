"""Geocoding: what a person typed (a postcode, an outward code, a town) as a place with a point and a nation, a
choice between places of the same name, or a clear message (a typo, a postcode that does not exist, somewhere
outside the UK). The offline geocoder speaks geopy's interface; `GEOCODER=nominatim` swaps in geopy's Nominatim.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from geopy.geocoders.base import Geocoder
from geopy.location import Location as GeopyLocation

from directory.errors import DirectoryError
from directory.geography.gazetteer import Gazetteer, gazetteer
from directory.geography.nations import Nation
from directory.geography.postcode_points import postcode_points
from directory.geography.postcodes import (
    LOOKS_LIKE_POSTCODE,
    normalise_outward_code,
    normalise_postcode,
    postcode_area,
)

# --- Understanding what a person typed -------------------------------------------------------------------------

CROWN_DEPENDENCIES = {"IM": "the Isle of Man", "JE": "Jersey", "GY": "Guernsey"}
CROWN_POSTCODE = re.compile(r"^(IM|JE|GY)[0-9]")
EIRCODE = re.compile(r"^[AC-FHKNPRTV-Y][0-9][0-9W][0-9AC-FHKNPRTV-Y]{4}$")  # Ireland's postcodes, e.g. D02 X285
FOREIGN_POSTCODE = re.compile(r"^[0-9]{4,6}(-[0-9]{3,4})?$")  # most countries' postcodes are digits only


class InvalidPostcode(DirectoryError):
    pass


class UnknownPostcode(DirectoryError):
    """A well-formed postcode in a real district that does not exist (mistyped, or newer than our map)."""

    def __init__(self, message: str, *, district: str) -> None:
        super().__init__(message, field="location")
        self.district = district


class UnknownPlace(DirectoryError):
    status_code = 400

    def __init__(self, message: str, *, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message, field="location")
        self.suggestions = suggestions


class OutsideUK(DirectoryError):
    """Somewhere outside the UK: the directory covers the UK only (but its UK-wide services help by phone too)."""

    status_code = 404

    def __init__(self, where: str | None) -> None:
        place = f" {where}" if where else " a place outside the UK"
        super().__init__(
            f"That looks like{place}. This directory lists support in the UK only (England, Scotland, Wales and "
            "Northern Ireland). The UK-wide phone and online services below may still help you.",
            field="location",
        )
        self.where = where


@dataclass(frozen=True)
class ResolvedPlace:
    """Where the person is: a label to show, a point, their nation, and the outward code (for coverage and
    statistics). `precision` is "postcode" (the postcode's own point), "district" (the centre of a postcode
    district: an outward code, or a Northern Ireland postcode) or "place" (the centre of a town)."""

    label: str
    latitude: float
    longitude: float
    nation: Nation
    outward_code: str
    precision: str

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)

    @property
    def origin(self) -> str:
        """Where distances are measured from, in words: 'from LS1 3EX', 'from the centre of LS6'."""
        if self.precision == "postcode":
            return f"from {self.label}"
        if self.precision == "district":
            return f"from the centre of {self.outward_code}"
        return f"from the centre of {self.label.split(',')[0]}"

    @property
    def area_codes(self) -> tuple[str, ...]:
        """The codes a postcode-area restriction may name for this place: 'EC1A', 'EC1' and 'EC'."""
        codes = [self.outward_code]
        if self.outward_code[-1].isalpha():
            codes.append(self.outward_code[:-1])
        codes.append(postcode_area(self.outward_code))
        return tuple(codes)


@dataclass(frozen=True)
class Ambiguous:
    """Several places share the name: the person chooses one (each choice is a query that resolves uniquely)."""

    query: str
    choices: tuple[str, ...]


PostcodeLookup = Callable[[str], "tuple[float, float] | None"]


class OfflineGeocoder(Geocoder):
    """geopy's geocoder interface over the bundled gazetteer: every Great Britain postcode at its own point, Northern
    Ireland postcodes and outward codes at their district's centre, places at theirs (and a full postcode table
    loaded into the database, such as the ONS Postcode Directory, wins over the bundled points).

    `geocode(query, exactly_one=False)` returns every match, so a caller can offer a choice; each
    `geopy.location.Location` carries the nation, outward code and precision in `raw`.
    """

    def __init__(self, gazetteer: Gazetteer, full_postcodes: PostcodeLookup | None = None) -> None:
        # geopy's Geocoder.__init__ is skipped on purpose: it builds an HTTPS adapter (about 20 ms, loading the
        # system's certificates) that an offline geocoder never uses, on every search.
        self.gazetteer = gazetteer
        self.full_postcodes = full_postcodes

    def geocode(self, query: str, *, exactly_one: bool = True, **_: object):
        matches = self._match(query.strip())
        if exactly_one:
            return matches[0] if matches else None
        return matches

    def _match(self, query: str) -> list[GeopyLocation]:
        if postcode := normalise_postcode(query):
            return self._postcode(postcode)
        if outward := normalise_outward_code(query):
            district = self.gazetteer.district(outward)
            return [self._location(outward, district.latitude, district.longitude, district.nation, outward,
                                   "district")] if district else []  # fmt: skip
        return [
            self._location(
                self.gazetteer.labels[place], place.latitude, place.longitude, place.nation, place.district, "place"
            )
            for place in self.gazetteer.find_places(query)
        ]

    def _postcode(self, postcode: str) -> list[GeopyLocation]:
        outward = postcode.split()[0]
        district = self.gazetteer.district(outward)
        if district is None:
            return []
        loaded = self.full_postcodes(postcode) if self.full_postcodes else None
        if loaded is not None:
            return [self._location(postcode, loaded[0], loaded[1], district.nation, outward, "postcode")]
        if outward.startswith("BT"):  # no open data places Northern Ireland postcodes more precisely
            return [self._location(postcode, district.latitude, district.longitude, district.nation, outward,
                                   "district")]  # fmt: skip
        point = postcode_points().point(postcode)
        if point is None:
            return []
        return [self._location(postcode, point.latitude, point.longitude, point.nation, outward, "postcode")]

    @staticmethod
    def _location(label: str, lat: float, lon: float, nation: Nation, outward: str, precision: str) -> GeopyLocation:
        raw = {"nation": nation.value, "outward_code": outward, "precision": precision}
        return GeopyLocation(label, (lat, lon), raw)


def resolve(query: str, geocoder: Geocoder) -> ResolvedPlace | Ambiguous:
    """Turn a postcode, outward code or place name into a place, a choice, or a clear error."""
    text = re.sub(r"\s+", " ", query).strip()[:100]
    _refuse_outside_uk_codes(text)
    matches = geocoder.geocode(text, exactly_one=False) or []
    if not matches:
        raise _not_found(text)
    if len(matches) > 1:
        return Ambiguous(text, tuple(match.address for match in matches))
    return _resolved(matches[0])


def _refuse_outside_uk_codes(text: str) -> None:
    compact = text.upper().replace(" ", "")
    if crown := CROWN_POSTCODE.match(compact):
        raise OutsideUK(f"a postcode in {CROWN_DEPENDENCIES[crown.group(1)]}")
    if EIRCODE.match(compact) and not normalise_postcode(text):
        raise OutsideUK("a postcode in Ireland")
    if FOREIGN_POSTCODE.match(compact):
        raise OutsideUK("a postcode from outside the UK")
    if LOOKS_LIKE_POSTCODE.match(compact) and not (normalise_postcode(text) or normalise_outward_code(text)):
        raise InvalidPostcode(
            f"'{text}' is not a valid UK postcode. Check it and try again, for example LS1 3EX, or just the "
            "first half, like LS1.",
            field="location",
        )


def _not_found(text: str) -> DirectoryError:
    if postcode := normalise_postcode(text):
        outward = postcode.split()[0]
        if gazetteer().district(outward) is not None:
            return UnknownPostcode(
                f"We could not find the postcode {postcode}. It may be mistyped, or too new for our map. Check it, "
                f"or search near {outward}, the area it is in.",
                district=outward,
            )
    if normalise_postcode(text) or normalise_outward_code(text):
        return InvalidPostcode(
            f"We could not find the postcode '{text.upper()}'. Check it, or try a nearby town.", field="location"
        )
    if country := gazetteer().country_outside_uk(text):
        return OutsideUK(f"{text}, in {country}" if country != "United Kingdom" else text)
    suggestions = tuple(gazetteer().labels[place] for place in gazetteer().suggestions(text))
    hint = " Did you mean one of the places below?" if suggestions else " Check the spelling, or enter a postcode."
    return UnknownPlace(f"We could not find a UK place called '{text}'.{hint}", suggestions=suggestions)


def _resolved(match: GeopyLocation) -> ResolvedPlace:
    raw = match.raw if isinstance(match.raw, dict) else {}
    nation = raw.get("nation")
    outward = raw.get("outward_code")
    if nation is None or outward is None:  # an online geocoder: place it with the nearest district
        district = gazetteer().nearest_district(match.latitude, match.longitude)
        nation, outward = district.nation.value, district.code
    return ResolvedPlace(match.address, match.latitude, match.longitude, Nation(nation), outward,
                         raw.get("precision", "place"))  # fmt: skip


def online_geocoder(user_agent: str) -> Geocoder:
    """Nominatim through geopy, rate-limited to one request a second, for machines with internet access."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    nominatim = Nominatim(user_agent=user_agent, country_bias="gb", timeout=5)
    limited = RateLimiter(nominatim.geocode, min_delay_seconds=1)

    class _RateLimitedNominatim(Geocoder):
        def geocode(self, query: str, *, exactly_one: bool = True, **_: object):
            return limited(query, exactly_one=exactly_one, country_codes="gb")

    return _RateLimitedNominatim()


# --- A spatial grid, so that "near here" reads only the cells around here --------------------------------------
