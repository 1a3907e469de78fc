"""Who was in which room of a session when: presence intervals and their heartbeats.

Room 0 is the main room, rooms 1, 2 … its breakout rooms. Every interval of presence gives a
``viewPeriod`` heartbeat each 10 seconds. Everything people do besides being there is placed on
heartbeats: picking a heartbeat picks someone who was present then, so no one acts while away.
"""

from __future__ import annotations

import numpy as np

from vantage.demo.clock import US
from vantage.demo.people import PARTICIPANT

TEN = 10 * US  # one heartbeat

Move = tuple[int, int, int, int]  # time in a breakout room: person, room, start, end


class Presence:
    """Presence by interval (``iv_*``) and by heartbeat (``hb_*``), made in bulk; people are
    local indices into ``users``, whose session roles are ``roles``."""

    def __init__(
        self,
        rng: np.random.Generator,
        users: np.ndarray,
        roles: np.ndarray,
        spans: list[list[list[int]]],
        moves: list[Move],
        rooms: int,
    ) -> None:
        """``spans``: each person's intervals in the main room; ``moves``: breakout time."""
        self.rng = rng
        self.users, self.roles = users, roles
        person = [i for i, segs in enumerate(spans) for _ in segs] + [m[0] for m in moves]
        room = [0] * (len(person) - len(moves)) + [m[1] for m in moves]
        starts = [s for segs in spans for s, _ in segs] + [m[2] for m in moves]
        ends = [e for segs in spans for _, e in segs] + [m[3] for m in moves]
        self.iv_person = np.array(person, np.int64)
        self.iv_room = np.array(room, np.int64)
        self.iv_start = np.array(starts, np.int64)
        self.iv_end = np.array(ends, np.int64)
        # breakout rooms hold participants only
        self.iv_role = np.where(self.iv_room > 0, PARTICIPANT, roles[self.iv_person])

        length = self.iv_end - self.iv_start
        n = -(-length // TEN)
        off = np.cumsum(n) - n
        iv = np.repeat(np.arange(len(n)), n)
        k = np.arange(int(n.sum())) - off[iv]
        t = np.minimum(self.iv_start[iv] + (k + 1) * TEN, self.iv_end[iv])
        self.hb_iv = iv  # the interval
        self.hb_k = k  # its number in the interval
        self.hb_t = t  # when it was sent, at the end of what it stands for
        self.hb_vt = (t - (self.iv_start[iv] + k * TEN)) / US  # seconds it stands for
        self.iv_hb_off, self.iv_hb_n = off, n  # each interval's first heartbeat and count
        self.hb_person = self.iv_person[iv]
        self.hb_user = users[self.hb_person]
        self.hb_room = self.iv_room[iv]
        self.hb_role = self.iv_role[iv]
        # per room, heartbeat indices sorted by time: who was there at a given moment
        order = np.lexsort((t, self.hb_room))
        bounds = np.searchsorted(self.hb_room[order], np.arange(rooms + 1))
        self.by_room = [order[bounds[r] : bounds[r + 1]] for r in range(rooms)]
        self.by_room_t = [t[idx] for idx in self.by_room]

    def when(self, hb: np.ndarray) -> np.ndarray:
        """A moment inside the presence each heartbeat stands for."""
        back = (self.rng.random(len(hb)) * self.hb_vt[hb] * US).astype(np.int64)
        return self.hb_t[hb] - back

    def pick(
        self, room: int, n: int, weight: np.ndarray | None = None, only: np.ndarray | None = None
    ) -> np.ndarray:
        """``n`` heartbeats of ``room`` (person-moments), weighted by the person's ``weight``
        (by user index), out of those marked in ``only`` (by heartbeat)."""
        idx = self.by_room[room]
        if only is not None:
            idx = idx[only[idx]]
        if n <= 0 or not len(idx):
            return np.empty(0, np.int64)
        if weight is None:
            return idx[self.rng.integers(0, len(idx), n)]
        w = weight[self.hb_user[idx]]
        return self.rng.choice(idx, n, p=w / w.sum())

    def at(self, room: int, times: np.ndarray) -> np.ndarray:
        """For each time, a heartbeat of someone in ``room`` then (-1 if nobody was)."""
        ts = self.by_room_t[room]
        lo = np.searchsorted(ts, times)
        hi = np.searchsorted(ts, times + TEN)
        pick = lo + (self.rng.random(len(times)) * (hi - lo)).astype(np.int64)
        return np.where(hi > lo, self.by_room[room][np.minimum(pick, len(ts) - 1)], -1)

    def around(self, room: int, time: int) -> np.ndarray:
        """Heartbeats of everyone in ``room`` at ``time``."""
        ts = self.by_room_t[room]
        lo, hi = np.searchsorted(ts, time), np.searchsorted(ts, time + TEN)
        return self.by_room[room][lo:hi]

    def inside(self, hb: np.ndarray, t: np.ndarray) -> np.ndarray:
        """``t`` moved into the presence interval each heartbeat belongs to."""
        iv = self.hb_iv[hb]
        return np.clip(t, self.iv_start[iv], self.iv_end[iv])

    def person_hours(self, room: int) -> float:
        return float(self.hb_vt[self.by_room[room]].sum()) / 3600
