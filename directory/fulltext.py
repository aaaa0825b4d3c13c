"""Keyword search over services' names and descriptions: SQLite FTS5 or PostgreSQL full-text search, one function.

The indexes are built by migration 0002. Every word the person types must match (as a prefix, after stemming).
"""

from __future__ import annotations

import re

from sqlalchemy import TextClause, text
from sqlmodel import Session

MAX_WORDS = 8


def words(query: str) -> list[str]:
    """The searchable words of a query: letters and digits only, so nothing reaches the query syntax."""
    return re.findall(r"[^\W_]+", query.lower())[:MAX_WORDS]


def matches(session: Session, query: str) -> TextClause | None:
    """A condition on the `service` row: it matches every word of `query`. None when there is nothing to search for."""
    terms = words(query)
    if not terms:
        return None
    if session.get_bind().dialect.name == "sqlite":
        match = " ".join(f'"{term}"*' for term in terms)
        # Not correlated: FTS5 lists its matches once per statement (asked row by row it re-reads them every time).
        return text("service.rowid IN (SELECT rowid FROM service_fts WHERE service_fts MATCH :match)").bindparams(
            match=match
        )
    tsquery = " & ".join(f"{term}:*" for term in terms)
    return text(
        "to_tsvector('english', service.name || ' ' || service.description) @@ to_tsquery('english', :tsq)"
    ).bindparams(tsq=tsquery)
