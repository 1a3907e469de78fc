"""Who comes to a session and when they are in the main room: staff and the participants drawn
from the roster, late arrivals, early leavers and dropped connections."""

from __future__ import annotations

import numpy as np

from vantage.demo.clock import HOUR, MINUTE, MS, US
from vantage.demo.people import HOST, MODERATOR, PARTICIPANT, SPEAKER, Habits
from vantage.demo.school import SessionPlan


def attendees(
    plan: SessionPlan, h: Habits, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """User indices of everyone who comes, staff first, and their roles."""
    staff = [(plan.host, HOST)] + [(m, MODERATOR) for m in plan.moderators]
    staff += [(s, SPEAKER) for s in plan.speakers]
    roster = plan.roster
    if plan.all_attend:
        come = roster
    else:
        fade = 1.0 - 0.25 * min(plan.week, 17) / 17  # attendance drops over the term
        p = h.attend[roster] * fade * rng.uniform(0.9, 1.08)
        chosen = rng.random(len(roster)) < p
        short = min(10, len(roster)) - int(chosen.sum())
        if short > 0:  # a session has at least 10 people when the roster has them
            chosen[rng.choice(np.flatnonzero(~chosen), short, replace=False)] = True
        come = roster[chosen]
    staff_ids = [s for s, _ in staff]
    come = come[~np.isin(come, staff_ids)]
    users = np.concatenate([np.array(staff_ids, np.int64), come.astype(np.int64)])
    roles = np.concatenate(
        [np.array([r for _, r in staff], np.int8), np.full(len(come), PARTICIPANT, np.int8)]
    )
    return users, roles


def intervals(
    plan: SessionPlan, h: Habits, rng: np.random.Generator, users: np.ndarray, roles: np.ndarray
) -> list[list[list[int]]]:
    """Per person, their [start, end] presence intervals in the main room (µs)."""
    S, E = plan.start_us, plan.end_us
    dur = E - S
    n = len(users)
    late = rng.random(n) < h.late[users]
    arrive = np.where(late, rng.uniform(2, 15, n) * MINUTE, rng.uniform(0, 2.5, n) * MINUTE)
    arrive = np.minimum(arrive, 0.6 * dur)
    early = rng.random(n) < h.early[users]
    leave = np.where(early, rng.uniform(3 * MINUTE, 0.4 * dur, n), 0.0)
    a = S + arrive.astype(np.int64)
    b = E - leave.astype(np.int64)
    # staff: the host opens the room, moderators come right after, speakers have a slot
    a[roles == HOST] = S + rng.integers(0, 5 * US)
    b[roles != PARTICIPANT] = E
    mods = roles == MODERATOR
    a[mods] = S + rng.integers(0, 3 * MINUTE, int(mods.sum()))
    speakers = np.flatnonzero(roles == SPEAKER)
    for i in speakers:
        if plan.kind == "lecture":
            a[i] = S + int(rng.uniform(0.2, 0.4) * dur)
            b[i] = min(E, a[i] + int(rng.uniform(20, 35) * MINUTE))
        else:
            a[i] = S + int(rng.integers(0, 2 * MINUTE))
    b = np.maximum(b, np.minimum(E, a + 2 * MINUTE))
    a, b = (a // MS) * MS, (b // MS) * MS
    drops = rng.poisson(h.drops[users] * (b - a) / HOUR)
    drops[roles == HOST] = 0
    out: list[list[list[int]]] = [[[int(a[i]), int(b[i])]] for i in range(n)]
    for i in np.flatnonzero(drops):
        lo, hi = int(a[i]) + 30 * US, int(b[i]) - 30 * US
        if hi - lo < MINUTE:
            continue
        cuts = np.sort(rng.integers(lo, hi, int(drops[i])))
        gaps = rng.integers(10 * US, 3 * MINUTE, len(cuts))
        segs: list[list[int]] = []
        start = int(a[i])
        for cut, gap in zip(cuts.tolist(), gaps.tolist(), strict=True):
            cut = cut // MS * MS
            if cut - start >= US:
                segs.append([start, cut])
            start = max(start, (cut + gap) // MS * MS)
        if int(b[i]) - start >= US:
            segs.append([start, int(b[i])])
        if segs:
            out[i] = segs
    return out
