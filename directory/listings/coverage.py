"""The coverage report: where the directory is strong and where it still has gaps.

A listing belongs to a nation when its service area is that nation, or it has a location there, or the postcode
areas it is limited to are there; UK-wide listings are counted on their own line. A "local" service is one people
can visit (in person, with a place). The last section lists the UK cities and large towns with no in-person
support within 15 miles: the list the next round of research starts from.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from geopy.distance import great_circle

from directory.geography import gazetteer
from directory.geography.nations import Nation
from directory.listings.listing import Listing
from directory.listings.placing import place_of
from directory.listings.taxonomy import DELIVERY_MODES, SUPPORT_TYPES, ServiceArea, Specificity

LARGE_TOWN_POPULATION = 50_000
NO_SUPPORT_WITHIN_MILES = 15


@dataclass
class Coverage:
    total: int = 0
    uk_wide: int = 0
    per_nation: Counter[Nation] = field(default_factory=Counter)
    support_per_nation: dict[Nation, Counter[str]] = field(default_factory=dict)
    local_support_per_nation: dict[Nation, Counter[str]] = field(default_factory=dict)
    in_person_per_nation: dict[Nation, Counter[str]] = field(default_factory=dict)
    per_support_type: Counter[str] = field(default_factory=Counter)
    per_delivery_mode: Counter[str] = field(default_factory=Counter)
    per_specificity: Counter[str] = field(default_factory=Counter)
    towns_without_support: list[str] = field(default_factory=list)

    def gaps(self, nation: Nation) -> list[str]:
        """Top-level support types with no local service (a place to visit) in the nation."""
        local = self.local_support_per_nation.get(nation, Counter())
        return [term.code for term in SUPPORT_TYPES.top_level() if not local[term.code]]


def nations_of(listing: Listing) -> set[Nation]:
    found = {Nation(listing.service_area.value)} if listing.service_area.value in set(Nation) else set()
    if listing.has_location and (nation := place_of(listing)[2]):
        found.add(Nation(nation))
    for area in listing.area_postcodes:  # a district ('KA7') or a whole area ('KA')
        district = gazetteer.gazetteer().district(area)
        area_nation = district.nation if district else gazetteer.gazetteer().nation_of_area(area)
        if area_nation:
            found.add(area_nation)
    return found


def _placement(listing: Listing) -> str:
    if not listing.postcode:
        return "approximate"
    return "hospital grounds" if listing.grounds_of else "own postcode"


def coverage(listings: list[Listing]) -> Coverage:
    report = Coverage(total=len(listings))
    for listing in listings:
        top_level = {SUPPORT_TYPES.by_code()[code].parent or code for code in listing.support_types}
        report.per_support_type.update(top_level)
        report.per_delivery_mode.update(listing.delivery_modes)
        report.per_specificity[listing.specificity.value] += 1
        report.uk_wide += listing.service_area is ServiceArea.UK
        visitable = "in-person" in listing.delivery_modes and listing.has_location
        for nation in nations_of(listing):
            report.per_nation[nation] += 1
            report.support_per_nation.setdefault(nation, Counter()).update(top_level)
            if visitable:
                report.local_support_per_nation.setdefault(nation, Counter()).update(top_level)
                report.in_person_per_nation.setdefault(nation, Counter())[_placement(listing)] += 1
    report.towns_without_support = towns_without_support(listings)
    return report


def towns_without_support(listings: list[Listing]) -> list[str]:
    """Cities and large towns (GeoNames population >= 50,000) with no in-person listing within 15 miles."""
    points = [place_of(listing)[:2] for listing in listings if "in-person" in listing.delivery_modes]
    located = [(lat, lon) for lat, lon in points if lat is not None and lon is not None]
    towns = [
        place
        for same_name in gazetteer.gazetteer().places.values()
        for place in same_name
        if place.population >= LARGE_TOWN_POPULATION
    ]
    far = NO_SUPPORT_WITHIN_MILES
    lonely = [
        town
        for town in towns
        if all(great_circle((town.latitude, town.longitude), point).miles > far for point in located)
    ]
    return [f"{town.name} ({town.nation.label})" for town in sorted(lonely, key=lambda town: -town.population)]


def render(report: Coverage) -> str:
    lines = [
        f"Listings: {report.total} ({report.uk_wide} UK-wide)",
        "",
        "Listings located in or dedicated to each nation:",
    ]
    lines += [f"  {nation.label:<18}{report.per_nation[nation]:>4}" for nation in Nation]
    lines += ["", "In person, per nation (with their own postcode / a hospital's postcode / at their town's centre):"]
    for nation in Nation:
        counts = report.in_person_per_nation.get(nation, Counter())
        total = sum(counts.values())
        lines.append(f"  {nation.label:<18}{total:>4} ({counts['own postcode']} / {counts['hospital grounds']} / "
                     f"{counts['approximate']})")  # fmt: skip
    lines += ["", "Listings per specificity:"]
    lines += [f"  {item.label:<42}{report.per_specificity[item.value]:>4}" for item in Specificity]
    lines += ["", "Listings per support type (UK-wide included):"]
    lines += [f"  {term.label:<26}{report.per_support_type[term.code]:>4}" for term in SUPPORT_TYPES.top_level()]
    lines += ["", "Listings per delivery mode:"]
    lines += [f"  {term.label:<26}{report.per_delivery_mode[term.code]:>4}" for term in DELIVERY_MODES.terms]
    lines += _per_nation_lines(report)
    lines += ["", f"Cities and large towns with no in-person support within {NO_SUPPORT_WITHIN_MILES} miles:"]
    lines += [f"  {town}" for town in report.towns_without_support] or ["  none"]
    return "\n".join(lines)


def _per_nation_lines(report: Coverage) -> list[str]:
    lines = ["", "Support types per nation (nation's own listings; in-person ones in brackets):"]
    for nation in Nation:
        own = report.support_per_nation.get(nation, Counter())
        local = report.local_support_per_nation.get(nation, Counter())
        cells = ", ".join(f"{term.code} {own[term.code]} ({local[term.code]})" for term in SUPPORT_TYPES.top_level())
        lines.append(f"  {nation.label}: {cells}")
    lines += ["", "Gaps: support types with no in-person service in the nation:"]
    lines += [f"  {nation.label}: {', '.join(report.gaps(nation)) or 'none'}" for nation in Nation]
    return lines
