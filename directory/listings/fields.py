"""How a listing's fields are named and shown to people: labels, readable values, and field-by-field differences.

Forms, the moderators' diffs and the history page all use these, so a field has one name everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from directory.listings import schedule_words, schedules
from directory.listings.checks import split_list
from directory.listings.schema import COLUMNS, LABELS
from directory.listings.taxonomy import (
    AUDIENCES,
    DELIVERY_MODES,
    SUPPORT_TYPES,
    Cost,
    Referral,
    ServiceArea,
    Specificity,
    Vocabulary,
)

VOCABULARY_FIELDS: dict[str, Vocabulary] = {
    "support_types": SUPPORT_TYPES,
    "audiences": AUDIENCES,
    "delivery_modes": DELIVERY_MODES,
}
_CHOICE_LABELS: dict[str, dict[str, str]] = {
    "service_area": {area.value: area.label for area in ServiceArea},
    "cost": {cost.value: cost.label for cost in Cost},
    "referral": {referral.value: referral.label for referral in Referral},
    "specificity": {item.value: item.label for item in Specificity},
}


def label(field: str) -> str:
    return LABELS.get(field, field.replace("_", " ").capitalize())


def readable(field: str, value: str) -> str:
    """A stored cell as a person reads it: codes become their labels, lists are joined with commas."""
    if field in VOCABULARY_FIELDS:
        terms = VOCABULARY_FIELDS[field].by_code()
        return ", ".join(terms[code].label if code in terms else code for code in split_list(value))
    if field in _CHOICE_LABELS:
        return _CHOICE_LABELS[field].get(value, value)
    if field in ("area_postcodes", "languages"):
        return ", ".join(split_list(value))
    if field == "schedules" and value:
        try:  # "third Thursday of every month, 11am to 1pm, in person", not the CSV's rule
            return schedule_words.describe_all(schedules.parse(value))
        except schedules.ScheduleError:
            return value
    return value


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str  # readable values; "" when empty
    new: str


def diff_rows(before: Mapping[str, str], after: Mapping[str, str], *, skip: Iterable[str] = ()) -> list[FieldChange]:
    """The fields whose values differ, in column order (a missing field counts as empty)."""
    skipped = set(skip)
    return [
        FieldChange(field, label(field), readable(field, before.get(field, "")), readable(field, after.get(field, "")))
        for field in COLUMNS
        if field not in skipped and before.get(field, "") != after.get(field, "")
    ]
