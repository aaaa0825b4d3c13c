"""Share-link codes: 60 random bits in Crockford base32, shown in groups of four, read back forgivingly."""

from __future__ import annotations

import re
import secrets

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O or U to misread
CODE_LENGTH = 12  # 12 characters of 5 bits: 60 bits from `secrets`
MISREAD = str.maketrans({"I": "1", "L": "1", "O": "0"})


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
