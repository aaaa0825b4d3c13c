"""The bundled offline gazetteer (data/gazetteer/): postcode districts, places and their other names, read once.

Built by scripts/build_gazetteer.py from pinned packages (see data/gazetteer/README.md); aliases.csv is curated by
hand, every row with its source.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from directory.geography.nations import Nation
from directory.geography.place_names import closest, fold, read_aliases, read_outside_uk
from directory.geography.postcodes import postcode_area
from directory.startup import StartupProblem

GAZETTEER_DIR = Path(__file__).resolve().parents[2] / "data" / "gazetteer"


GAZETTEER_FILES = ("postcode_districts.csv", "places.csv", "postcodes.xz", "aliases.csv", "outside_uk.csv")


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
        self.aliases = read_aliases(directory / "aliases.csv")
        self.outside_uk = read_outside_uk(directory / "outside_uk.csv")
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
        """Places called `name`, or that `name` is another name for, the most populous first."""
        key = fold(name)
        found = list(self.places.get(key, []))
        for alias in self.aliases.get(key, []):
            same = [p for p in self.places.get(fold(alias.place), []) if p.nation.value == alias.nation]
            found += [p for p in same[:1] if p not in found]  # an alias names the largest place of that name
        return sorted(found, key=lambda place: -place.population)

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

    def suggestions(self, query: str) -> list[Place]:
        """For a name we do not know: the places it is probably a misspelling of, best first."""
        names = closest(query, list(self.places) + list(self.aliases))
        found: list[Place] = []
        for name in names:
            found += [place for place in self.places_named(name)[:1] if place not in found]
        return found

    def country_outside_uk(self, query: str) -> str | None:
        """The country of a place outside the UK called `query` (asked only when no UK place has the name)."""
        return self.outside_uk.get(fold(query))

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


def check_files(directory: Path = GAZETTEER_DIR) -> None:
    """Before the service starts: every gazetteer file is there and readable (otherwise one line with the fix)."""
    missing = [name for name in GAZETTEER_FILES if not (directory / name).is_file()]
    if missing:
        raise StartupProblem(
            f"The gazetteer file data/gazetteer/{missing[0]} is missing: restore it with "
            "`git checkout -- data/gazetteer`, or rebuild it with scripts/build_gazetteer.py."
        )
    try:
        Gazetteer(directory) if directory != GAZETTEER_DIR else gazetteer()
    except (OSError, ValueError, KeyError) as error:
        raise StartupProblem(
            f"The gazetteer in data/gazetteer/ cannot be read ({type(error).__name__}): restore it with "
            "`git checkout -- data/gazetteer`."
        ) from None
