"""Signposting: a nurse's shortlist of services, the read-only copies behind share links, and the words that a
support sheet and a pasted message carry.

A shortlist is only service ids, in the nurse's order, and her note: no account and no patient details. It travels
in a cookie signed with SECRET_KEY (`encode`/`decode`), so nobody can slip services or words into someone else's
list. `share` freezes a copy in the database under an unguessable code; that copy never changes.
"""

from __future__ import annotations

import io
import json
import re
import secrets
from dataclasses import dataclass, replace
from datetime import date

import segno
from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session

from directory import catalogue
from directory.errors import DirectoryError, NotFound
from directory.listing import Listing
from directory.models import Service, SharedList

MAX_SERVICES = 30
MAX_NOTE_CHARACTERS = 1000
# Browsers keep a cookie of up to 4096 bytes, counting its name and attributes.
MAX_TOKEN_BYTES = 3800
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O or U to misread
CODE_LENGTH = 12  # 12 characters of 5 bits: 60 bits from `secrets`
MISREAD = str.maketrans({"I": "1", "L": "1", "O": "0"})
MAX_ID_LENGTH = 120  # as Service.id


class ListFull(DirectoryError):
    status_code = 422
    title = "Your list is full"


class NoteTooLong(DirectoryError):
    status_code = 422
    title = "The note is too long"


class ListTooLarge(DirectoryError):
    status_code = 422
    title = "The list is too long to keep"


class TamperedList(DirectoryError):
    status_code = 400
    title = "We could not read your list"


class UnknownList(NotFound):
    title = "We could not find that list"


@dataclass(frozen=True)
class Shortlist:
    """Service ids in the nurse's order and her note; `code` names a saved copy identical to this list, if any."""

    service_ids: tuple[str, ...] = ()
    note: str = ""
    code: str = ""

    def __len__(self) -> int:
        return len(self.service_ids)

    def __contains__(self, service_id: object) -> bool:
        return service_id in self.service_ids


def add(shortlist: Shortlist, service_id: str) -> Shortlist:
    if service_id in shortlist:
        return shortlist
    if len(shortlist) >= MAX_SERVICES:
        raise ListFull(
            f"Your list already has {MAX_SERVICES} services, the most a list can hold. "
            "Remove a service from your list before you add another.",
            field="service_id",
        )
    return replace(shortlist, service_ids=(*shortlist.service_ids, service_id), code="")


def remove(shortlist: Shortlist, service_id: str) -> Shortlist:
    if service_id not in shortlist:
        return shortlist
    return replace(shortlist, service_ids=tuple(i for i in shortlist.service_ids if i != service_id), code="")


def move(shortlist: Shortlist, service_id: str, step: int) -> Shortlist:
    """Move a service one place up (step -1) or down (+1); at either end it stays where it is."""
    if service_id not in shortlist:
        return shortlist
    ids = list(shortlist.service_ids)
    here = ids.index(service_id)
    there = here + step
    if not 0 <= there < len(ids):
        return shortlist
    ids[here], ids[there] = ids[there], ids[here]
    return replace(shortlist, service_ids=tuple(ids), code="")


def clean_note(note: str) -> str:
    """Browsers send line breaks as CR LF; count them as one character, as the text box shows them."""
    return note.replace("\r\n", "\n").replace("\r", "\n").strip()


def with_note(shortlist: Shortlist, note: str) -> Shortlist:
    note = clean_note(note)
    if len(note) > MAX_NOTE_CHARACTERS:
        raise NoteTooLong(
            f"The note must be {MAX_NOTE_CHARACTERS:,} characters or fewer. It has {len(note):,}.",
            field="note",
        )
    return shortlist if note == shortlist.note else replace(shortlist, note=note, code="")


def add_service(session: Session, shortlist: Shortlist, service_id: str) -> Shortlist:
    """Add a service that is listed now; an unknown or withdrawn one is refused."""
    service = session.get(Service, service_id)
    if service is None or service.status != "active":
        raise NotFound(f"There is no service with the id '{service_id[:MAX_ID_LENGTH]}'. It may have been removed.",
                       field="service_id")  # fmt: skip
    return add(shortlist, service_id)


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="shortlist")


def encode(shortlist: Shortlist, secret_key: str) -> str:
    payload = {"ids": list(shortlist.service_ids), "note": shortlist.note} | (
        {"code": shortlist.code} if shortlist.code else {}
    )
    token = str(_serializer(secret_key).dumps(payload))
    if len(token) > MAX_TOKEN_BYTES:
        raise ListTooLarge(
            "Your list and note are too long for this browser to keep. Please shorten the note.", field="note"
        )
    return token


def decode(token: str, secret_key: str) -> Shortlist:
    """The list a cookie holds; a cookie that was changed outside this service is refused, never half-read."""
    try:
        payload = _serializer(secret_key).loads(token)
        if not isinstance(payload["ids"], list):
            raise TypeError("ids must be a list")
        shortlist = Shortlist(tuple(payload["ids"]), payload["note"], payload.get("code", ""))
        valid = _is_valid(shortlist)
    except (BadSignature, KeyError, TypeError, AttributeError, ValueError):
        valid = False
    if not valid:
        raise TamperedList(
            "Your list could not be read, because it was changed outside this website or it has expired. "
            "We have started a new, empty list for you.",
            field="shortlist",
        )
    return shortlist


def _is_valid(shortlist: Shortlist) -> bool:
    ids = shortlist.service_ids
    return (
        all(isinstance(i, str) and 0 < len(i) <= MAX_ID_LENGTH for i in ids)
        and len(set(ids)) == len(ids) <= MAX_SERVICES
        and isinstance(shortlist.note, str)
        and len(shortlist.note) <= MAX_NOTE_CHARACTERS
        and isinstance(shortlist.code, str)
        and (shortlist.code == "" or normalise_code(shortlist.code) == shortlist.code)
    )


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def format_code(code: str) -> str:
    """'7KX39QFD2MWA' -> '7KX3-9QFD-2MWA': easier to read out over the phone."""
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


def normalise_code(text: str) -> str | None:
    """A code as typed or linked (any case, with or without hyphens, I/L for 1, O for 0); None if it cannot be one."""
    code = re.sub(r"[\s-]", "", text).upper().translate(MISREAD)
    if len(code) != CODE_LENGTH or any(character not in CODE_ALPHABET for character in code):
        return None
    return code


def share(session: Session, shortlist: Shortlist, *, today: date) -> Shortlist:
    """Save a read-only copy under a new code; the returned list remembers that code until it changes."""
    if shortlist.code:
        return shortlist
    code = new_code()
    while session.get(SharedList, code) is not None:  # 2**60 codes: a repeat is all but impossible
        code = new_code()
    session.add(SharedList(code=code, service_ids=json.dumps(list(shortlist.service_ids)), note=shortlist.note,
                           created_on=today))  # fmt: skip
    session.flush()
    return replace(shortlist, code=code)


@dataclass(frozen=True)
class SharedCopy:
    shortlist: Shortlist
    created_on: date


def open_shared(session: Session, text: str) -> SharedCopy:
    code = normalise_code(text)
    row = session.get(SharedList, code) if code else None
    if row is None:
        raise UnknownList(
            "We could not find a list at that address. Check the link or code you were given: "
            "it has 12 letters and numbers, like 7KX3-9QFD-2MWA.",
            field="code",
        )
    return SharedCopy(Shortlist(tuple(json.loads(row.service_ids)), row.note, row.code), row.created_on)


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


def summary(description: str, limit: int = 130) -> str:
    """What a service offers: its first sentence, cut to fit a printed sheet (at a clause if one ends late enough)."""
    first = re.split(r"(?<=[.!?])\s+", description.strip(), maxsplit=1)[0]
    if len(first) <= limit:
        return first
    cut = first[:limit].rsplit(" ", 1)[0]
    clause_ends = [match.start() for match in re.finditer(r"[,;:]\s", cut) if match.start() >= limit * 0.6]
    return (cut[: clause_ends[-1]] if clause_ends else cut).rstrip(",;:") + "…"


def share_url(public_base_url: str, code: str) -> str:
    return f"{public_base_url.rstrip('/')}/l/{format_code(code)}"


def qr_code_svg(url: str) -> str:
    """The link as a QR code: inline SVG with no style attributes (the Content-Security-Policy forbids them)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", xmldecl=False, svgns=True, nl=False, omitsize=True, border=4, svgclass="qr",
        lineclass=None, title=f"QR code for {url}",
    )  # fmt: skip
    svg = re.sub(r'\sstyle="[^"]*"', "", buffer.getvalue().decode())
    return svg.replace("<svg ", '<svg role="img" ', 1)


def long_date(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def plain_text(listed: list[Entry], *, note: str, made_on: date, link: str = "") -> str:
    """The list as plain text, for pasting into a letter, an e-mail or a text message."""
    lines = [f"Support services for you ({long_date(made_on)})", ""]
    for number, entry in enumerate(listed, start=1):
        lines += _entry_lines(number, entry) + [""]
    if note:
        lines += ["Notes from your nurse:", note, ""]
    if link:
        lines += [f"See this list online: {link}", ""]
    lines.append("In an emergency, call 999. For urgent advice that is not an emergency, call NHS 111.")
    return "\n".join(lines)


def _entry_lines(number: int, entry: Entry) -> list[str]:
    listing = entry.listing
    if listing is None:
        return [f"{number}. {entry.former_name or 'A service'} (no longer listed in the directory)"]
    lines = [
        f"{number}. {listing.name} ({listing.organisation_name})",
        f"   What it offers: {summary(listing.description, limit=400)}",
    ]
    if listing.phone:
        lines.append(f"   Phone: {listing.phone}")
    if listing.opening_hours:
        lines.append(f"   Opening hours: {listing.opening_hours}")
    if listing.website:
        lines.append(f"   Website: {listing.website}")
    if entry.in_person:
        lines.append(f"   Address: {listing.address}, {listing.town}, {listing.postcode}")
    lines.append(f"   How to start: {entry.how_to_start}")
    return lines
