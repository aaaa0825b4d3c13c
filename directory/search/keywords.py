"""Keywords that find what people mean: every word must match, in a service's name and description (SQLite FTS5 or
PostgreSQL full-text search, both stemming English: "wigs" finds "wig"), in another form of the word
("counsellor" finds "counselling"), or by naming a support type, audience or delivery mode ("wigs" finds the
services of the "Wigs and appearance" type, whatever their descriptions say).

The indexes are built by migration 0002; the word forms and the terms' other names are in listings/taxonomy.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import ColumnElement, TextClause, and_, exists, or_, text
from sqlmodel import Session, col

from directory.listings.models import Service, ServiceTerm
from directory.listings.taxonomy import GENERIC_WORDS, TERM_SYNONYMS, VOCABULARIES, WORD_FORMS
from directory.search.index import SearchIndex, term_mask

MAX_WORDS = 8
MIN_TERM_WORD = 3  # "wig" names a term; "a" or "to" never does

Condition = ColumnElement[bool] | TextClause


def words(query: str) -> list[str]:
    """The searchable words of a query: letters and digits only, so nothing reaches the query syntax."""
    return re.findall(r"[^\W_]+", query.lower())[:MAX_WORDS]


def forms(word: str) -> tuple[str, ...]:
    """The word and the other forms of it that mean the same ('counsellor' -> 'counselling', 'counsel'...)."""
    for group in WORD_FORMS:
        if word in group:
            return (word, *sorted(group - {word}))
    return (word,)


@lru_cache(maxsize=1)
def _term_words() -> dict[tuple[str, str], frozenset[str]]:
    """(vocabulary, code) -> the words of its label and its other names."""
    found = {}
    for vocabulary in VOCABULARIES:
        for term in vocabulary.terms:
            label_words = set(words(term.label)) - GENERIC_WORDS
            found[(vocabulary.id, term.code)] = frozenset(label_words | set(TERM_SYNONYMS.get(term.code, ())))
    return found


def named_terms(word: str) -> dict[str, set[str]]:
    """vocabulary -> the codes whose label or other names include this word (or start with it, 'bereave')."""
    if len(word) < MIN_TERM_WORD or word in GENERIC_WORDS:
        return {}
    named: dict[str, set[str]] = {}
    for (vocabulary, code), names in _term_words().items():
        if any(name == word or (len(word) >= 5 and name.startswith(word)) for name in names):
            named.setdefault(vocabulary, set()).add(code)
    return named


def matches(session: Session, query: str) -> ColumnElement[bool] | None:
    """A condition on the `service` row: every word of `query` matches it. None when there is nothing to search for."""
    terms = words(query)
    if not terms:
        return None
    sqlite = session.get_bind().dialect.name == "sqlite"
    if sqlite:
        _list_sqlite_matches(session, terms)
    conditions = [or_(_text_match(index, word, sqlite), *_term_match(word)) for index, word in enumerate(terms)]
    return and_(*conditions)


@dataclass(frozen=True)
class WordMatch:
    """What one word of a search matches: services whose name or description has it (in some form), and the
    terms it names (as index bits)."""

    ids: frozenset[str]
    terms: int


def word_matches(session: Session, query: str, found_in: SearchIndex) -> list[WordMatch] | None:
    """The same rule as `matches`, for the search index: a service is wanted when every word matches it. None
    when there is nothing to search for. A word's text matches are kept with the index they were read for (until
    the listings change): the words people search with are few ("counselling", "wigs")."""
    terms = words(query)
    if not terms:
        return None
    sqlite = session.get_bind().dialect.name == "sqlite"
    matched = []
    for word in terms:
        if (ids := found_in.text_matches.get(word)) is None:
            ids = found_in.text_matches[word] = _text_ids(session, word, sqlite)
        matched.append(WordMatch(ids, _named_mask(word)))
    return matched


def _named_mask(word: str) -> int:
    mask = 0
    for vocabulary, codes in named_terms(word).items():
        mask |= term_mask(vocabulary, codes)
    return mask


def _text_ids(session: Session, word: str, sqlite: bool) -> frozenset[str]:
    if sqlite:
        found = text(
            "SELECT id FROM service WHERE rowid IN (SELECT rowid FROM service_fts WHERE service_fts MATCH :m)"
        ).bindparams(m=_fts_match(word))
    else:
        found = text(
            "SELECT id FROM service WHERE to_tsvector('english', service.name || ' ' || service.description)"
            " @@ to_tsquery('english', :tsq)"
        ).bindparams(tsq=_tsquery(word))
    return frozenset(session.execute(found).scalars().all())


def _term_match(word: str) -> list[ColumnElement[bool]]:
    return [
        exists().where(
            col(ServiceTerm.service_id) == col(Service.id),
            col(ServiceTerm.vocabulary) == vocabulary,
            col(ServiceTerm.code).in_(codes),
        )
        for vocabulary, codes in named_terms(word).items()
    ]


def _text_match(index: int, word: str, sqlite: bool) -> TextClause:
    if sqlite:
        # The unary + keeps the planner from driving the whole query from the matches (it cannot see how many
        # there are): the grid stays the outer loop, and the matches are a membership test.
        return text(f"+service.rowid IN (SELECT id FROM temp.keyword_hits WHERE word = {index})")
    return text(
        f"to_tsvector('english', service.name || ' ' || service.description) @@ to_tsquery('english', :tsq{index})"
    ).bindparams(**{f"tsq{index}": _tsquery(word)})


def _list_sqlite_matches(session: Session, terms: list[str]) -> None:
    """List each word's matches once per search into a connection-local temporary table keyed by (word, rowid).

    Asked inside each query instead, FTS5 re-reads every match for each statement (a common word matches
    thousands), and asked row by row it is slower still; an IN over a rowid table is a direct lookup."""
    connection = session.connection()
    connection.execute(
        text("CREATE TEMP TABLE IF NOT EXISTS keyword_hits (word INTEGER, id INTEGER, PRIMARY KEY (word, id))")
    )
    connection.execute(text("DELETE FROM temp.keyword_hits"))
    for index, word in enumerate(terms):
        listed = (
            "INSERT OR IGNORE INTO temp.keyword_hits SELECT :word, rowid FROM service_fts WHERE service_fts MATCH :m"
        )
        connection.execute(text(listed), {"word": index, "m": _fts_match(word)})


def _fts_match(word: str) -> str:
    """FTS5's query for any form of the word, as a prefix ('"wig"*' finds "wigs")."""
    return " OR ".join(f'"{form}"*' for form in forms(word))


def _tsquery(word: str) -> str:
    """PostgreSQL's query for any form of the word, as a prefix."""
    return " | ".join(f"{form}:*" for form in forms(word))
