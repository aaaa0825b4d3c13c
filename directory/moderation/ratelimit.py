"""Per-address sliding-window limits: failed moderator logins and public submissions.

Counts live in memory, in the process that served the request: enough to stop a script hammering one process, and
nothing to store or clean up. With several worker processes each counts on its own, so the real limit is the
setting times the number of workers (README, Settings). Counting by address relies on the server seeing the real
client address (run uvicorn with `--proxy-headers` behind a trusted proxy).
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

from directory.errors import DirectoryError

MAX_TRACKED_KEYS = 10_000  # beyond this, keys with no recent events are forgotten


class TooManyAttempts(DirectoryError):
    status_code = 429
    title = "Too many attempts"


class SlidingWindow:
    """At most `limit` events per key in any `window_seconds`. Thread-safe: sync routes run in a thread pool."""

    def __init__(self, limit: int, window_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window_seconds = window_seconds
        self.clock = clock
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        events = self._events.setdefault(key, deque())
        while events and events[0] <= now - self.window_seconds:
            events.popleft()
        return events

    def is_limited(self, key: str) -> bool:
        with self._lock:
            return len(self._recent(key, self.clock())) >= self.limit

    def reserve(self, key: str) -> bool:
        """Count an attempt now, before the slow work it guards, if the limit allows it; False if it does not.

        Checking and counting under one lock is what makes the limit hold against parallel requests: counting
        after a slow password check let dozens through at once."""
        with self._lock:
            now = self.clock()
            events = self._recent(key, now)
            if len(events) >= self.limit:
                return False
            events.append(now)
            if len(self._events) > MAX_TRACKED_KEYS:
                self._forget_idle(now)
            return True

    def release(self, key: str) -> None:
        """Give back one reserved attempt that turned out not to count (a successful sign-in, a form with errors)."""
        with self._lock:
            events = self._events.get(key)
            if events:
                events.pop()

    def record(self, key: str) -> None:
        with self._lock:
            now = self.clock()
            self._recent(key, now).append(now)
            if len(self._events) > MAX_TRACKED_KEYS:
                self._forget_idle(now)

    def clear(self, key: str) -> None:
        with self._lock:
            self._events.pop(key, None)

    def _forget_idle(self, now: float) -> None:
        for key in [key for key in self._events if not self._recent(key, now)]:
            del self._events[key]


_creating = threading.Lock()


def window_for(state: Any, name: str, limit: int, window_seconds: float) -> SlidingWindow:
    """The app's limiter called `name`, made on first use (one per app, so tests never share counts)."""
    attribute = f"ratelimit_{name}"
    with _creating:
        window = getattr(state, attribute, None)
        if window is None:
            window = SlidingWindow(limit, window_seconds)
            setattr(state, attribute, window)
    return window
