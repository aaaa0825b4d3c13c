"""Signposting: a nurse's shortlist of services, the read-only copies behind share links, and the words that a
support sheet and a pasted message carry.

A shortlist is only service ids, in the nurse's order, and her note: no account and no patient details. It travels
in a cookie signed with SECRET_KEY (`encode`/`decode`), so nobody can slip services or words into someone else's
list. `share` freezes a copy in the database under an unguessable code; that copy never changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session

from directory.errors import DirectoryError, NotFound
from directory.listings.models import Service
from directory.signposting.share_codes import normalise_code

MAX_SERVICES = 30
MAX_NOTE_CHARACTERS = 1000
# Browsers keep a cookie of up to 4096 bytes, counting its name and attributes.
MAX_TOKEN_BYTES = 3800
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
