"""How often each KS with an ``actionslimit`` privilege has been used.

One count per server, shared by the Kaltura API and the JSON APIs (the directory holds it), so a
limited KS gets its N uses in all, not N on each surface. Kept in memory: a restart resets it.
"""

from __future__ import annotations

import threading


class UsageCounter:
    """Uses of each KS that carries ``actionslimit``; kept in memory, so a restart resets them."""

    PRUNE_ABOVE = 10_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._uses: dict[str, tuple[int, int]] = {}  # KS → (uses, valid until)

    def use(self, token: str, valid_until: int, now: int) -> int:
        """Count one more use of ``token``; the count so far, this use included."""
        with self._lock:
            if len(self._uses) > self.PRUNE_ABOVE:
                self._uses = {k: v for k, v in self._uses.items() if v[1] > now}
            uses = self._uses.get(token, (0, valid_until))[0] + 1
            self._uses[token] = (uses, valid_until)
            return uses
