"""Breakout rooms: for a while in the middle of a lecture, most participants leave the main
room for small rooms, each a session of its own."""

from __future__ import annotations

import numpy as np

from vantage.demo.clock import MINUTE, MS, US
from vantage.demo.people import PARTICIPANT
from vantage.demo.presence import Move
from vantage.demo.school import SessionPlan, SessionRecord


def breakouts(
    plan: SessionPlan, rng: np.random.Generator, roles: np.ndarray, spans: list[list[list[int]]]
) -> tuple[list[Move], list[SessionRecord]]:
    """Move most participants into breakout rooms for a while. Returns the breakout
    intervals (person, room, start, end) and the breakout sessions; ``spans`` loses the
    time people spent away from the main room."""
    assert plan.breakout is not None
    S, E = plan.start_us, plan.end_us
    b0 = S + int(rng.uniform(0.35, 0.5) * (E - S))
    b1 = min(b0 + int(rng.uniform(10, 20) * MINUTE), E - 5 * MINUTE)
    b0, b1 = b0 // MS * MS, b1 // MS * MS
    present = [
        i for i in np.flatnonzero(roles == PARTICIPANT) if any(s <= b0 < e for s, e in spans[i])
    ]
    present = [i for i in present if rng.random() < 0.88]
    if len(present) < 4 or b1 - b0 < 5 * MINUTE:
        return [], []
    rooms = min(len(plan.breakout.entry_ids), max(2, len(present) // 5))
    order = rng.permutation(len(present))
    moves: list[Move] = []
    for k, j in enumerate(order.tolist()):
        i = present[j]
        room = k % rooms
        seg = next(seg for seg in spans[i] if seg[0] <= b0 < seg[1])
        join = b0 + int(rng.integers(2 * US, 9 * US)) // MS * MS
        end = min(b1, seg[1])
        if end - join >= 20 * US:
            moves.append((i, room + 1, join, end))
        back = b1 + int(rng.integers(2 * US, 9 * US)) // MS * MS
        spans[i] = _subtract(spans[i], b0, back)
    records = [
        SessionRecord(plan.breakout.session_ids[r], plan.breakout.entry_ids[r], b0, b1, plan.host)
        for r in range(rooms)
    ]
    return moves, records


def _subtract(segs: list[list[int]], a: int, b: int) -> list[list[int]]:
    """``segs`` without [a, b), dropping pieces shorter than a second."""
    out = []
    for s, e in segs:
        if e <= a or s >= b:
            out.append([s, e])
            continue
        if a - s >= US:
            out.append([s, a])
        if e - b >= US:
            out.append([b, e])
    return out
