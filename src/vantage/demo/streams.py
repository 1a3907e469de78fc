"""Independent random streams, one per (seed, purpose, index).

Every random choice of the demo comes from one of these, so a course, person or session looks
the same whatever else the school holds, and a session's events do not depend on the order the
generator makes them in.
"""

from __future__ import annotations

import numpy as np

# purposes of the school plan (index: course, virtual event … number)
PEOPLE, COURSE, ROSTER, VIRTUAL_EVENT, UPCOMING = 1, 2, 3, 4, 5
# purposes of a unit's events (index: the unit's key)
SESSION, REGISTRATION, CALENDAR, DELAYS = 100, 101, 102, 103
# the devices people join a session with: a purpose of its own, so the session's other events
# stay as they were before joins carried a device
JOIN_DEVICES = 104
# purposes of the player part (index: 0, or the batch of player sessions); new purposes, so the
# room part's streams stay as they were
MEDIA, AUDIENCE, WATCH, BEACONS = 200, 201, 202, 203


def stream(seed: int, purpose: int, index: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, purpose, index])
