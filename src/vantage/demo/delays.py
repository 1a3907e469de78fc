"""How late the server gets each event: the same for room events and player beacons."""

from __future__ import annotations

import numpy as np

from vantage.demo.clock import MS, US


def delays(rng: np.random.Generator, n: int) -> np.ndarray:
    """How long after it happened the server got each event (µs): mostly well under a second,
    a few clients send late."""
    d = rng.lognormal(np.log(0.3), 0.8, n) * US
    late = rng.random(n) < 0.01
    d[late] += rng.uniform(1, 60, int(late.sum())) * US
    return np.clip(d, 20 * MS, 90 * US).astype(np.int64)
