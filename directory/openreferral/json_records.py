"""What every ORUK record shares: the JSON type, and leaving out optional fields that have no value."""

from __future__ import annotations

from typing import Any

Json = dict[str, Any]


def compact(record: Json) -> Json:
    """Leave out optional fields that have no value: the standard wants them omitted, not null or empty."""
    return {key: value for key, value in record.items() if value not in (None, "", [])}
