"""When a listing counts as possibly out of date: not checked for STALE_AFTER_DAYS days. Search ranks by it, service
pages flag it and moderators' stale report lists it: one rule."""

from __future__ import annotations

from datetime import date, timedelta


def stale_cutoff(today: date, stale_after_days: int) -> date:
    return today - timedelta(days=stale_after_days)


def is_stale(last_verified: date, *, today: date, stale_after_days: int) -> bool:
    return last_verified < stale_cutoff(today, stale_after_days)
