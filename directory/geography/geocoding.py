"""UK geography, offline: postcode rules, the bundled gazetteer of postcode districts and places, and distances.

The gazetteer files in `data/gazetteer/` are built by `scripts/build_gazetteer.py`; the running service reads them
once and needs no network.
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
from directory.geography.postcodes import LOOKS_LIKE_POSTCODE, normalise_outward_code, normalise_postcode

# --- Understanding what a person typed -------------------------------------------------------------------------


class InvalidPostcode(DirectoryError):
    pass


class UnknownPlace(DirectoryError):
    status_code = 400


@dataclass(frozen=True)
class ResolvedPlace:
    """Where the person is: a label to show, a point, their nation, and the outward code (for statistics)."""

    label: str
    latitude: float
    longitude: float
    nation: Nation
    outward_code: str
    precision: str  # "postcode", "district" or "place"

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


@dataclass(frozen=True)
class Ambiguous:
    """Several places share the name: the person chooses one (each choice is a query that resolves uniquely)."""

    query: str
    choices: tuple[str, ...]


PostcodeLookup = Callable[[str], "tuple[float, float] | None"]


class OfflineGeocoder(Geocoder):
    """geopy's geocoder interface over the bundled gazetteer (and a full postcode table when one is loaded).

    `geocode(query, exactly_one=False)` returns every match, so a caller can offer a choice; each
    `geopy.location.Location` carries the nation, outward code and precision in `raw`.
    """

    def __init__(self, gazetteer: Gazetteer, full_postcodes: PostcodeLookup | None = None) -> None:
        # geopy's Geocoder.__init__ is skipped on purpose: it builds an HTTPS adapter (about 20 ms, loading the
        # system's certificates) that an offline geocoder never uses, on every search.
        self.gazetteer = gazetteer
        self.full_postcodes = full_postcodes

    def geocode(self, query: str, *, exactly_one: bool = True, **_: object):  # type: ignore[no-untyped-def,override]
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
        exact = self.full_postcodes(postcode) if self.full_postcodes else None
        if exact is not None:
            return [self._location(postcode, exact[0], exact[1], district.nation, outward, "postcode")]
        return [self._location(postcode, district.latitude, district.longitude, district.nation, outward, "district")]

    @staticmethod
    def _location(label: str, lat: float, lon: float, nation: Nation, outward: str, precision: str) -> GeopyLocation:
        raw = {"nation": nation.value, "outward_code": outward, "precision": precision}
        return GeopyLocation(label, (lat, lon), raw)


def resolve(query: str, geocoder: Geocoder) -> ResolvedPlace | Ambiguous:
    """Turn a postcode, outward code or place name into a place, a choice, or a clear error."""
    text = re.sub(r"\s+", " ", query).strip()[:100]
    compact = text.upper().replace(" ", "")
    if LOOKS_LIKE_POSTCODE.match(compact) and not (normalise_postcode(text) or normalise_outward_code(text)):
        raise InvalidPostcode(
            f"'{text}' is not a valid UK postcode. Check it and try again, for example LS1 3EX, or just the "
            "first half, like LS1.",
            field="location",
        )
    matches = geocoder.geocode(text, exactly_one=False) or []
    if not matches:
        if normalise_postcode(text) or normalise_outward_code(text):
            raise InvalidPostcode(
                f"We could not find the postcode '{text.upper()}'. Check it, or try a nearby town.", field="location"
            )
        raise UnknownPlace(
            f"We could not find a UK place called '{text}'. Check the spelling, or enter a postcode instead.",
            field="location",
        )
    if len(matches) > 1:
        return Ambiguous(text, tuple(match.address for match in matches))
    return _resolved(matches[0])


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
        def geocode(self, query: str, *, exactly_one: bool = True, **_: object):  # type: ignore[no-untyped-def,override]
            return limited(query, exactly_one=exactly_one, country_codes="gb")

    return _RateLimitedNominatim()


# --- A spatial grid, so that "near here" reads only the cells around here --------------------------------------
