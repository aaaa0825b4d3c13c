"""UK geography, offline: postcode rules, the bundled gazetteer of postcode districts and places, and distances.

The gazetteer files in `data/gazetteer/` are built by `scripts/build_gazetteer.py`; the running service reads them
once and needs no network.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geopy.distance import great_circle
from geopy.geocoders.base import Geocoder
from geopy.location import Location as GeopyLocation

from directory.errors import DirectoryError
from directory.nations import Nation

GAZETTEER_DIR = Path(__file__).resolve().parents[1] / "data" / "gazetteer"
GAZETTEER_FILES = ("postcode_districts.csv", "places.csv")
METRES_PER_MILE = 1609.344

# The outward code (area letters, district digits, optional letter) and the inward code (digit, two letters).
FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")
OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")
POSTCODE_AREA_OR_DISTRICT = re.compile(r"^[A-Z]{1,2}([0-9][A-Z0-9]?)?$")
LOOKS_LIKE_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9]")


def normalise_postcode(text: str) -> str | None:
    """'ls13ex' or ' LS1  3EX ' -> 'LS1 3EX'; None if it is not shaped like a full UK postcode."""
    match = FULL_POSTCODE.match(re.sub(r"\s+", "", text.upper()))
    return f"{match.group(1)} {match.group(2)}" if match else None


def normalise_outward_code(text: str) -> str | None:
    compact = re.sub(r"\s+", "", text.upper())
    return compact if OUTWARD_CODE.match(compact) else None


def postcode_area(outward_code: str) -> str:
    return re.match(r"^[A-Z]+", outward_code).group(0)  # type: ignore[union-attr]


def distance_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance: within 0.5% of the geodesic one, and 20 times faster (it runs for every result)."""
    return great_circle(a, b).miles


def fold(text: str) -> str:
    """A place name for matching: lowercase, accents and punctuation removed ('St. Helens' == 'st helens')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", ascii_text.lower()).strip()


@dataclass(frozen=True)
class District:
    code: str
    latitude: float
    longitude: float
    nation: Nation


@dataclass(frozen=True)
class Place:
    name: str
    nation: Nation
    latitude: float
    longitude: float
    population: int
    district: str
    near: str

    @property
    def label(self) -> str:
        """How to tell it apart from places of the same name: 'Newport, near Telford, England'."""
        near = f", near {self.near}" if self.near else ""
        return f"{self.name}{near}, {self.nation.label}"


class Gazetteer:
    """Postcode districts and places, read from the bundled CSV files."""

    def __init__(self, directory: Path = GAZETTEER_DIR) -> None:
        self.districts: dict[str, District] = {}
        self.places: dict[str, list[Place]] = {}
        with open(directory / "postcode_districts.csv", newline="", encoding="utf-8") as file:
            for row in csv.DictReader(file):
                self.districts[row["district"]] = District(
                    row["district"], float(row["latitude"]), float(row["longitude"]), Nation(row["nation"])
                )
        with open(directory / "places.csv", newline="", encoding="utf-8") as file:
            for row in csv.DictReader(file):
                place = Place(
                    row["name"], Nation(row["nation"]), float(row["latitude"]), float(row["longitude"]),
                    int(row["population"] or 0), row["district"], row["near"],
                )  # fmt: skip
                self.places.setdefault(fold(place.name), []).append(place)
        self.labels: dict[Place, str] = {}
        for same_name in self.places.values():
            same_name.sort(key=lambda place: -place.population)
            labels = [fold(place.label) for place in same_name]
            for place in same_name:
                clash = labels.count(fold(place.label)) > 1  # e.g. 'St Helens' and 'St. Helens', both in England
                self.labels[place] = f"{place.name} ({place.district}), {place.nation.label}" if clash else place.label

    def district(self, outward_code: str) -> District | None:
        return self.districts.get(outward_code.upper())

    def places_named(self, name: str) -> list[Place]:
        return self.places.get(fold(name), [])

    def find_places(self, query: str) -> list[Place]:
        """Places called `query`; or the one whose label or 'name, nation' matches a chosen label exactly."""
        same_name = self.places_named(query)
        if same_name:
            return same_name
        name = re.sub(r"\s*\(.*?\)", "", query.split(",", 1)[0])
        wanted = fold(query)
        return [
            place for place in self.places_named(name)
            if wanted in (fold(self.labels[place]), fold(f"{place.name}, {place.nation.label}"))
        ]  # fmt: skip

    def nearest_district(self, latitude: float, longitude: float) -> District:
        return min(
            self.districts.values(),
            key=lambda d: (d.latitude - latitude) ** 2 + ((d.longitude - longitude) * 0.6) ** 2,
        )

    def nation_of_area(self, area: str) -> Nation | None:
        """The nation most of a postcode area's districts are in ('G' -> Scotland)."""
        nations = [d.nation for code, d in self.districts.items() if postcode_area(code) == area]
        return max(set(nations), key=nations.count) if nations else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()


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

GRID_LATITUDE_DEGREES = 0.05  # about 3.5 miles
GRID_LONGITUDE_DEGREES = 0.08  # about 3.3 miles at 54 degrees north
GRID_ROW = 1000


def grid_cell(latitude: float, longitude: float) -> int:
    """The number of the grid cell holding a point: row (latitude band) * 1000 + column (longitude band)."""
    return int(latitude // GRID_LATITUDE_DEGREES) * GRID_ROW + int((longitude + 12) // GRID_LONGITUDE_DEGREES)


def grid_ranges(south: float, north: float, west: float, east: float) -> list[tuple[int, int]]:
    """The cells covering a box, as one (first, last) range of cell numbers per latitude band."""
    first_column = int((west + 12) // GRID_LONGITUDE_DEGREES)
    last_column = int((east + 12) // GRID_LONGITUDE_DEGREES)
    rows = range(int(south // GRID_LATITUDE_DEGREES), int(north // GRID_LATITUDE_DEGREES) + 1)
    return [(row * GRID_ROW + first_column, row * GRID_ROW + last_column) for row in rows]
