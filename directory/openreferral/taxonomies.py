"""Our vocabularies as ORUK taxonomies and taxonomy terms, with stable UUIDs (a code always gives the same id)."""

from __future__ import annotations

from functools import lru_cache

from directory.listings.models import public_uuid
from directory.listings.taxonomy import VOCABULARIES, Term, Vocabulary
from directory.openreferral.json_records import Json, compact


def taxonomy_id(vocabulary: Vocabulary) -> str:
    return public_uuid("taxonomy", vocabulary.id)


def term_id(vocabulary: Vocabulary, code: str) -> str:
    """Codes are unique within a vocabulary only ('carers' is a support type and an audience), so both go in."""
    return public_uuid("taxonomy_term", f"{vocabulary.id}:{code}")


@lru_cache(maxsize=1)
def terms_by_id() -> dict[str, tuple[Vocabulary, Term]]:
    return {
        term_id(vocabulary, term.code): (vocabulary, term) for vocabulary in VOCABULARIES for term in vocabulary.terms
    }


def vocabularies_by_id() -> dict[str, Vocabulary]:
    return {taxonomy_id(vocabulary): vocabulary for vocabulary in VOCABULARIES}


def taxonomy(vocabulary: Vocabulary, *, with_terms: bool) -> Json:
    record: Json = {
        "id": taxonomy_id(vocabulary),
        "name": vocabulary.name,
        "description": vocabulary.description,
    }
    if with_terms:
        record["taxonomy_terms"] = [taxonomy_term(vocabulary, term) for term in vocabulary.terms]
    return record


def taxonomy_term(vocabulary: Vocabulary, term: Term) -> Json:
    return compact(
        {
            "id": term_id(vocabulary, term.code),
            "name": term.label,
            "description": term.description or term.label,
            "parent_id": term_id(vocabulary, term.parent) if term.parent else None,
            "taxonomy": vocabulary.name,
            "taxonomy_id": taxonomy_id(vocabulary),
            "term": term.label,
            "code": term.code,
        }
    )
