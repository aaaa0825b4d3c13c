"""Share links: a read-only copy of a shortlist saved under an unguessable code, and opening it again."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date

from sqlmodel import Session

from directory.errors import NotFound
from directory.signposting.models import SharedList
from directory.signposting.share_codes import format_code, new_code, normalise_code
from directory.signposting.shortlists import Shortlist


class UnknownList(NotFound):
    title = "We could not find that list"


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


def share_url(public_base_url: str, code: str) -> str:
    return f"{public_base_url.rstrip('/')}/l/{format_code(code)}"
