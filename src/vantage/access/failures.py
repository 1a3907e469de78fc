"""Failed secrets per partner and client address, so guessing a secret stays slow.

``session.start`` and the JSON APIs' HTTP Basic auth count each wrong secret here. Once a key has
failed ``limit`` times within a window, :meth:`FailureCounter.blocked` says so until that window
ends, and the caller answers as for a wrong secret without checking the one sent. Kept in
memory: a restart resets the counts.
"""

from __future__ import annotations

import threading

WINDOW_S = 60


class FailureCounter:
    PRUNE_ABOVE = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[tuple[int, str], tuple[int, int]] = {}  # key → (window start, count)

    def blocked(self, key: tuple[int, str], now: int, limit: int) -> bool:
        """Whether ``key`` already failed ``limit`` times in its current window (0: no limit)."""
        with self._lock:
            start, count = self._failures.get(key, (now, 0))
        return limit > 0 and now - start < WINDOW_S and count >= limit

    def fail(self, key: tuple[int, str], now: int) -> None:
        with self._lock:
            if len(self._failures) > self.PRUNE_ABOVE:
                self._failures = {k: v for k, v in self._failures.items() if now - v[0] < WINDOW_S}
            start, count = self._failures.get(key, (now, 0))
            if now - start >= WINDOW_S:
                start, count = now, 0
            self._failures[key] = (start, count + 1)
