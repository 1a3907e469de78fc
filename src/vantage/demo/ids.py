"""Kaltura-looking entry and session ids ('1_x7k2p9qa'), handed out in order per school, and
the registration app id of a virtual event."""

from __future__ import annotations

import uuid

# Names the demo's registration apps: the same virtual event id, the same appGuid.
_APPS = uuid.UUID("6f1c2b8e-4d0a-5b7e-9a3c-1e5f7d9b2c4a")

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
_SPACE = 36**8


def _base36(x: int, width: int) -> str:
    out = []
    for _ in range(width):
        x, r = divmod(x, 36)
        out.append(_DIGITS[r])
    return "".join(reversed(out))


def kaltura_id(seed: int, n: int) -> str:
    """The ``n``-th id of a school, unique for each n < 36**8 and seed-dependent."""
    salt = (seed * 0x9E3779B1 + 0x5BD1E995) % _SPACE
    # multiplying by a number coprime to 36 is a bijection of [0, 36**8)
    return "1_" + _base36((n * 2_654_435_761 + salt) % _SPACE, 8)


class Ids:
    """The next id of a school each time it is called."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return kaltura_id(self.seed, self.n)


def app_guid(virtual_event_id: int) -> str:
    """The ``appGuid`` of the registration app (event site) of a virtual event: a UUID derived
    from its id, so a demo's app ids are stable and findable (``vantage demo`` prints them)."""
    return str(uuid.uuid5(_APPS, f"virtual-event:{virtual_event_id}"))
