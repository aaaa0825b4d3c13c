"""What a support sheet, a shared list and the plain-text copy show: one entry per service, the QR code, the text."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime

import segno
from sqlmodel import Session

from directory.listings import catalogue, when
from directory.listings.cards import summary
from directory.listings.listing import Listing
from directory.listings.models import Service
from directory.signposting.shortlists import Shortlist


@dataclass(frozen=True)
class Entry:
    """One line of a list: the service as listed now, or `listing` None when it is no longer listed."""

    service_id: str
    listing: Listing | None
    former_name: str = ""

    @property
    def offers(self) -> str:
        return summary(self.listing.description) if self.listing else ""

    @property
    def how_to_start(self) -> str:
        referral = self.listing.referral if self.listing else None
        return referral.label if referral else "Ask the service how to start"

    def when_lines(self, now: datetime) -> tuple[str, ...]:
        """Next sessions and opening hours, in words (none when the listing has no schedules)."""
        timing = when.timing(self.listing.schedules, now, self.listing.closed_until) if self.listing else None
        return timing.lines if timing else ()

    @property
    def opening_hours(self) -> str:
        """The free-text hours, only where there is no structured schedule (when_lines says the same, in order)."""
        return self.listing.opening_hours if self.listing and not self.listing.schedules else ""

    @property
    def in_person(self) -> bool:
        return bool(self.listing and "in-person" in self.listing.delivery_modes and self.listing.has_location)


def entries(session: Session, shortlist: Shortlist) -> list[Entry]:
    """The list's services in its order; withdrawn or deleted ones stay in place, marked as no longer listed."""
    result = []
    for service_id in shortlist.service_ids:
        service = session.get(Service, service_id)
        if service is None:
            result.append(Entry(service_id, None))
        elif service.status != "active":
            result.append(Entry(service_id, None, former_name=service.name))
        else:
            result.append(Entry(service_id, catalogue.listing_of(service)))
    return result


def qr_code_svg(url: str) -> str:
    """The link as a QR code: inline SVG with no style attributes (the Content-Security-Policy forbids them)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True, border=4, svgclass="qr",
        lineclass=None, title=f"QR code for {url}",
    )  # fmt: skip
    svg = re.sub(r'\sstyle="[^"]*"', "", buffer.getvalue().decode())
    return svg.replace("<svg ", '<svg role="img" ', 1)


def web_address(url: str) -> str:
    """A web address as a person would type it from paper: no 'https://', no 'www.', no trailing slash."""
    return re.sub(r"^https?://(www\.)?", "", url).rstrip("/")


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def plain_text(listed: list[Entry], *, note: str, made_on: date, now: datetime, link: str = "") -> str:
    """The list as plain text, for pasting into a letter, an e-mail or a text message."""
    lines = [f"Support services for you ({long_date(made_on)})", ""]
    for number, entry in enumerate(listed, start=1):
        lines += _entry_lines(number, entry, now) + [""]
    if note:
        lines += ["Notes from your nurse:", note, ""]
    if link:
        lines += [f"See this list online: {link}", ""]
    lines.append("In an emergency, call 999. For urgent advice that is not an emergency, call NHS 111.")
    return "\n".join(lines)


def _entry_lines(number: int, entry: Entry, now: datetime) -> list[str]:
    listing = entry.listing
    if listing is None:
        return [f"{number}. {entry.former_name or 'A service'} (no longer listed in the directory)"]
    lines = [
        f"{number}. {listing.name} ({listing.organisation_name})",
        f"   What it offers: {summary(listing.description, limit=400)}",
    ]
    if listing.phone:
        lines.append(f"   Phone: {listing.phone}")
    if entry.opening_hours:
        lines.append(f"   Opening hours: {entry.opening_hours}")
    lines += [f"   When: {line}" for line in entry.when_lines(now)]
    if listing.website:
        lines.append(f"   Website: {listing.website}")
    if entry.in_person:
        lines.append(f"   Address: {listing.address_line}")
    lines.append(f"   How to start: {entry.how_to_start}")
    return lines
