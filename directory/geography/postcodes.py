"""UK postcodes as people type them: the patterns, normalising a full postcode or an outward code, and the postcode
area."""

from __future__ import annotations

import re

# The outward code (area letters, district digits, optional letter) and the inward code (digit, two letters).
FULL_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")


OUTWARD_CODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?$")


POSTCODE_AREA_OR_DISTRICT = re.compile(r"^[A-Z]{1,2}([0-9][A-Z0-9]?)?$")


LOOKS_LIKE_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9]")


def normalise_postcode(text: str) -> str | None:
    """'ls13ex' or ' LS1  3EX ' -> 'LS1 3EX'; None if it is not shaped like a full UK postcode."""
    match = FULL_POSTCODE.match(re.sub(r"\s+", "", text.upper()))
    return f"{match.group(1)} {match.group(2)}" if match else None


def normalise_outward_code(text: str) -> str | None:
    compact = re.sub(r"\s+", "", text.upper())
    return compact if OUTWARD_CODE.match(compact) else None


def postcode_area(outward_code: str) -> str:
    return re.match(r"^[A-Z]+", outward_code).group(0)  # type: ignore[union-attr]
