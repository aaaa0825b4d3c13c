"""Knowing when the listings changed: every flush that writes a service, its organisation, a term, a location, a
link or a schedule also gives the `listings_version` row a new random token, in the same transaction, so a
process's search index (built from those rows, with the result cards it keeps: search/index.py) is rebuilt exactly
when what it holds may differ from the database, whichever process or moderator changed it.

Writes made with bulk Core statements outside the ORM (the benchmark's generator) must call `bump` themselves.
"""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from sqlalchemy import Connection, event, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from directory.listings.models import (
    ListingsVersion,
    Location,
    Organisation,
    ScheduleRow,
    Service,
    ServiceAtLocation,
    ServiceTerm,
)

WATCHED = (Service, Organisation, ServiceTerm, Location, ServiceAtLocation, ScheduleRow)
TOKEN_BITS = 62  # fits PostgreSQL's BIGINT


_TOKEN = select(col(ListingsVersion.token)).where(col(ListingsVersion.id) == 1)


def token(connection: Connection) -> int | None:
    """The current token (None before migration 0008 has run)."""
    return connection.execute(_TOKEN).scalar()


def bump(connection: Connection) -> None:
    new = secrets.randbits(TOKEN_BITS)
    table = ListingsVersion.__table__  # type: ignore[attr-defined]
    if connection.execute(update(table).where(table.c.id == 1).values(token=new)).rowcount == 0:
        connection.execute(insert(table).values(id=1, token=new))


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    changed = itertools.chain(session.new, session.dirty, session.deleted)
    if any(isinstance(instance, WATCHED) for instance in changed):
        bump(session.connection())


def watch() -> None:
    """Listen to every session's flushes (once; the app and the benchmark call it)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


watch()
