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
        return _sqlite_matches(session, " ".join(f'"{term}"*' for term in terms))
    tsquery = " & ".join(f"{term}:*" for term in terms)
    return text(
        "to_tsvector('english', service.name || ' ' || service.description) @@ to_tsquery('english', :tsq)"
    ).bindparams(tsq=tsquery)


def _sqlite_matches(session: Session, match: str) -> TextClause:
    """List the matches once per search into a connection-local temporary table keyed by rowid.

    Asked inside each query instead, FTS5 re-reads every match for each statement (a common word matches
    thousands), and asked row by row it is slower still; an IN over a rowid table is a direct lookup."""
    connection = session.connection()
    connection.execute(text("CREATE TEMP TABLE IF NOT EXISTS keyword_match (id INTEGER PRIMARY KEY)"))
    connection.execute(text("DELETE FROM temp.keyword_match"))
    connection.execute(
        text("INSERT INTO temp.keyword_match SELECT rowid FROM service_fts WHERE service_fts MATCH :match"),
        {"match": match},
    )
    # The unary + keeps the planner from driving the whole query from the matches (it cannot see how many there
    # are): the grid stays the outer loop, and the matches are a membership test.
    return text("+service.rowid IN (SELECT id FROM temp.keyword_match)")
