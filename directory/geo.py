"""UK geography, offline: postcode rules, the bundled gazetteer of postcode districts and places, and distances.

The gazetteer files in `data/gazetteer/` are built by `scripts/build_gazetteer.py`; the running service reads them
once and needs no network.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from geopy.distance import geodesic

from directory.taxonomy import Nation

GAZETTEER_DIR = Path(__file__).resolve().parents[1] / "data" / "gazetteer"
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
    return geodesic(a, b).miles


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
        for same_name in self.places.values():
            same_name.sort(key=lambda place: -place.population)

    def district(self, outward_code: str) -> District | None:
        return self.districts.get(outward_code.upper())

    def places_named(self, name: str) -> list[Place]:
        return self.places.get(fold(name), [])

    def nation_of_area(self, area: str) -> Nation | None:
        """The nation most of a postcode area's districts are in ('G' -> Scotland)."""
        nations = [d.nation for code, d in self.districts.items() if postcode_area(code) == area]
        return max(set(nations), key=nations.count) if nations else None


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()
