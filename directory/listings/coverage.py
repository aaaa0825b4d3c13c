"""The coverage report: where the directory is strong and where it still has gaps.

A listing belongs to a nation when its service area is that nation, or it has a location there; UK-wide listings are
counted on their own line. A "local" service is one with an address in the nation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from directory.geography import gazetteer
from directory.geography.nations import Nation
from directory.listings.listing import Listing
from directory.listings.taxonomy import DELIVERY_MODES, SUPPORT_TYPES, ServiceArea


@dataclass
class Coverage:
    total: int = 0
    uk_wide: int = 0
    per_nation: Counter[Nation] = field(default_factory=Counter)
    support_per_nation: dict[Nation, Counter[str]] = field(default_factory=dict)
    local_support_per_nation: dict[Nation, Counter[str]] = field(default_factory=dict)
    per_support_type: Counter[str] = field(default_factory=Counter)
    per_delivery_mode: Counter[str] = field(default_factory=Counter)

    def gaps(self, nation: Nation) -> list[str]:
        """Top-level support types with no local service (an address) in the nation."""
        local = self.local_support_per_nation.get(nation, Counter())
        return [term.code for term in SUPPORT_TYPES.top_level() if not local[term.code]]


def nations_of(listing: Listing) -> set[Nation]:
    found = {Nation(listing.service_area.value)} if listing.service_area.value in set(Nation) else set()
    if listing.postcode:
        district = gazetteer.gazetteer().district(listing.postcode.split()[0])
        if district:
            found.add(district.nation)
    for area in listing.area_postcodes:  # a district ('KA7') or a whole area ('KA')
        district = gazetteer.gazetteer().district(area)
        nation = district.nation if district else gazetteer.gazetteer().nation_of_area(area)
        if nation:
            found.add(nation)
    return found


def coverage(listings: list[Listing]) -> Coverage:
    report = Coverage(total=len(listings))
    for listing in listings:
        top_level = {SUPPORT_TYPES.by_code()[code].parent or code for code in listing.support_types}
        report.per_support_type.update(top_level)
        report.per_delivery_mode.update(listing.delivery_modes)
        if listing.service_area is ServiceArea.UK:
            report.uk_wide += 1
        for nation in nations_of(listing):
            report.per_nation[nation] += 1
            report.support_per_nation.setdefault(nation, Counter()).update(top_level)
            if listing.postcode:
                report.local_support_per_nation.setdefault(nation, Counter()).update(top_level)
    return report


def render(report: Coverage) -> str:
    lines = [
        f"Listings: {report.total} ({report.uk_wide} UK-wide)",
        "",
        "Listings located in or dedicated to each nation:",
    ]
    lines += [f"  {nation.label:<18}{report.per_nation[nation]:>4}" for nation in Nation]
    lines += ["", "Listings per support type (UK-wide included):"]
    lines += [f"  {term.label:<26}{report.per_support_type[term.code]:>4}" for term in SUPPORT_TYPES.top_level()]
    lines += ["", "Listings per delivery mode:"]
    lines += [f"  {term.label:<26}{report.per_delivery_mode[term.code]:>4}" for term in DELIVERY_MODES.terms]
    lines += ["", "Support types per nation (nation's own listings; local ones with an address in brackets):"]
    for nation in Nation:
        own = report.support_per_nation.get(nation, Counter())
        local = report.local_support_per_nation.get(nation, Counter())
        cells = ", ".join(f"{term.code} {own[term.code]} ({local[term.code]})" for term in SUPPORT_TYPES.top_level())
        lines.append(f"  {nation.label}: {cells}")
    lines += ["", "Gaps: support types with no local service (no address) in the nation:"]
    lines += [f"  {nation.label}: {', '.join(report.gaps(nation)) or 'none'}" for nation in Nation]
    return "\n".join(lines)
