"""Shared input parsing for HTML routes: vocabulary codes from query strings, page numbers."""

from __future__ import annotations

from directory.errors import DirectoryError
from directory.taxonomy import Vocabulary


def vocabulary_codes(values: list[str], vocabulary: Vocabulary, field: str) -> list[str]:
    """Keep the codes in vocabulary order; refuse an unknown one with a message naming the field."""
    unknown = [value for value in values if value not in vocabulary.codes()]
    if unknown:
        raise DirectoryError(
            f"'{unknown[0][:40]}' is not a {vocabulary.name.lower()} we know. Choose from the list on the page.",
            field=field,
        )
    wanted = set(values)
    return [term.code for term in vocabulary.terms if term.code in wanted]
