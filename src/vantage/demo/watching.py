"""A batch of page loads with a player, planned as columns (one row per load): who opened what,
when, from where, and what they then did — whether they played, how far, at which speed, where
they paused, sought, buffered, went full screen or hit an error. ``beacons`` turns it into events.

Playback is measured in seconds of playing (``p``); the playhead moves at 1×, then at the chosen
speed from ``speed_at`` on, and jumps by ``seek_by`` at ``seek_at``. Wall time adds the pause and
the buffering stall once playback passes them. Pauses and stalls stay short of the 30 s without
a VIEW that would make the player start a new session.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vantage.demo.audience import Audience, Pool
from vantage.demo.clock import DAY, HOUR, Clock
from vantage.demo.media import AUDIO, LIVE, Library

PLAYER_DAYS = 30
LAST_LOAD_MARGIN = 4 * HOUR  # the newest load is this long before ``now``: its beacons end by then
PLAY_SHARE = 0.72  # loads where the viewer presses play (the load-to-play ratio)
ANONYMOUS_SHARE = 0.3
ANONYMOUS_VIEWERS = 20_000
OWN_DEVICE = 0.8  # share of loads from the viewer's usual address and device
FAIL_BEFORE_REQUEST = 0.03  # of loads without play
FAIL_BEFORE_PLAYING = 0.01  # of play requests
FAIL_MID_STREAM = 0.01  # of plays
SPEEDS = np.array([0.75, 1.25, 1.5, 1.75, 2.0])
BITRATES = np.array([600.0, 1_200.0, 2_500.0, 4_500.0])  # kbit/s; audio plays at 128
LONGEST_LIVE_S = 3 * 3_600
# how busy each hour of the day (UTC) is: the school is in the US
HOURLY = np.array(
    [6, 5, 4, 3, 2, 1, 1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 7, 7, 7, 8, 8, 7], np.float64
)
VOD, LIVE_EDGE, DVR = 0, 1, 2  # ``Watches.playback``
# ERROR kinds by when they happen; the numbers are the beacon's errorPosition
NO_ERROR, MID_STREAM, BEFORE_PLAYING, BEFORE_REQUEST = 0, 2, 1, 3


@dataclass(frozen=True)
class Watches:
    n: int
    load_us: np.ndarray  # the impression
    entry: np.ndarray  # entry index
    user: np.ndarray  # user index; -1: anonymous
    anonymous: np.ndarray  # anonymous viewer number; -1: a user
    address: np.ndarray  # pool indices
    agent: np.ndarray
    referrer: np.ndarray
    playback: np.ndarray  # VOD, LIVE_EDGE or DVR
    duration: np.ndarray  # seconds; inf for live
    requested: np.ndarray  # bool: playRequested sent
    played: np.ndarray  # bool: play sent
    error: np.ndarray  # NO_ERROR, MID_STREAM …
    request_s: np.ndarray  # impression → play request
    join_s: np.ndarray  # play request → playing
    played_s: np.ndarray  # seconds of playing
    speed: np.ndarray
    speed_at: np.ndarray  # NaN: never changed
    seek_at: np.ndarray  # NaN: no seek
    seek_by: np.ndarray
    pause_at: np.ndarray  # NaN: no pause
    pause_s: np.ndarray
    buffer_at: np.ndarray  # NaN: no stall
    buffer_s: np.ndarray
    full_at: np.ndarray  # NaN: never full screen
    full_until: np.ndarray
    replay: np.ndarray  # bool
    live_offset: np.ndarray  # seconds behind the live edge
    bitrate: np.ndarray
    focus: np.ndarray  # chance the tab is focused, per VIEW
    sound: np.ndarray  # chance the sound is on, per VIEW

    def playhead(self, load: np.ndarray, p: np.ndarray) -> np.ndarray:
        """Where the playhead is after ``p`` seconds of playing (negative: behind live)."""
        a = np.nan_to_num(self.speed_at[load], nan=0.0)
        base = p + (self.speed[load] - 1) * np.maximum(p - a, 0)
        jumped = np.where(p >= self.seek_at[load], self.seek_by[load], 0.0)
        vod = np.minimum(base + jumped, self.duration[load])
        return np.where(self.playback[load] == VOD, vod, -self.live_offset[load])

    def reaches(self, share: float) -> np.ndarray:
        """Seconds of playing after which every load's playhead first reaches ``share`` of its
        entry (inf for live)."""
        vod = self.playback == VOD
        x = share * np.where(vod, self.duration, 0.0)
        before = _unspeed(x, self.speed, self.speed_at)
        after = np.maximum(self.seek_at, _unspeed(x - self.seek_by, self.speed, self.speed_at))
        sought = before >= self.seek_at  # False where there is no seek (NaN)
        return np.where(vod, np.where(sought, after, before), np.inf)


def _unspeed(x: np.ndarray, speed: np.ndarray, speed_at: np.ndarray) -> np.ndarray:
    """Seconds of playing that move the playhead ``x`` seconds from the start, seeks aside."""
    normal = np.minimum(x, np.nan_to_num(speed_at, nan=np.inf))  # played at 1×
    return normal + (x - normal) / speed


def plan_watches(
    rng: np.random.Generator,
    n: int,
    clock: Clock,
    library: Library,
    audience: Audience,
    focus: np.ndarray,
    sound: np.ndarray,
) -> Watches:
    """``n`` page loads; ``focus`` and ``sound`` are the users' habits, by user index."""
    users = len(focus)
    last = clock.now_us - LAST_LOAD_MARGIN
    first = clock.now_us - PLAYER_DAYS * DAY
    ready = library.created_us + HOUR
    weight = np.where(ready < last, library.weight, 0.0)
    entry = rng.choice(len(weight), n, p=weight / weight.sum())
    load_us = _times(rng, np.maximum(first, ready[entry]), last)

    anon = rng.random(n) < ANONYMOUS_SHARE
    user = np.where(anon, -1, rng.integers(0, users, n))
    anonymous = np.where(anon, rng.integers(0, ANONYMOUS_VIEWERS, n), -1)
    viewer = np.where(anon, anonymous + users, user)
    own = rng.random(n) < OWN_DEVICE
    address = _pick(rng, audience.addresses, anon, viewer, own)
    agent = _pick(rng, audience.agents, anon, viewer, own)
    referrer = _pick(rng, audience.referrers, anon, viewer, rng.random(n) < 0.5)

    form = library.form[entry]
    live = form == LIVE
    duration = library.duration_s[entry]
    requested = rng.random(n) < PLAY_SHARE
    error = np.where(~requested & (rng.random(n) < FAIL_BEFORE_REQUEST), BEFORE_REQUEST, NO_ERROR)
    fails = requested & (rng.random(n) < FAIL_BEFORE_PLAYING)
    error = np.where(fails, BEFORE_PLAYING, error)
    played = requested & ~fails
    dvr = live & (rng.random(n) < 0.25)
    playback = np.where(live, np.where(dvr, DVR, LIVE_EDGE), VOD)
    live_offset = np.where(dvr, rng.uniform(120, 1_800, n), rng.uniform(3, 20, n))

    changes = played & ~live & (rng.random(n) < 0.1)
    speed = np.where(changes, rng.choice(SPEEDS, n), 1.0)
    speed_at = np.where(changes, rng.uniform(2, 30, n), np.nan)
    # how much of the entry they mean to watch: many leave early, some watch it all
    kind = rng.random(n)
    share = np.where(
        kind < 0.25, rng.uniform(0, 0.1, n), np.where(kind < 0.75, rng.beta(1.2, 1.8, n), 1.01)
    )
    want = np.where(
        live,
        np.minimum(rng.lognormal(np.log(12 * 60), 0.9, n), LONGEST_LIVE_S),
        _unspeed(share * np.where(live, 0.0, duration), speed, speed_at),
    )
    seeks = played & ~live & (rng.random(n) < 0.2)
    seek_at = np.where(seeks, rng.uniform(0.1, 0.8, n) * want, np.nan)
    at = np.where(seeks, seek_at, 0.0)
    here = at + (speed - 1) * np.maximum(at - np.nan_to_num(speed_at, nan=0.0), 0)
    forward = np.minimum(here + rng.uniform(0.05, 0.5, n) * duration, 0.98 * duration)
    backward = np.maximum(here - rng.uniform(5, 120, n), 0)
    seek_by = np.where(seeks, np.where(rng.random(n) < 0.65, forward, backward) - here, 0.0)

    w = Watches(
        n=n,
        load_us=load_us,
        entry=entry,
        user=user,
        anonymous=anonymous,
        address=address,
        agent=agent,
        referrer=referrer,
        playback=playback,
        duration=duration,
        requested=requested,
        played=played,
        error=error,
        request_s=rng.uniform(0.5, 20, n),
        join_s=rng.lognormal(np.log(1.2), 0.5, n),
        played_s=np.zeros(n),
        speed=speed,
        speed_at=speed_at,
        seek_at=seek_at,
        seek_by=np.where(np.isnan(seek_by), 0.0, seek_by),
        pause_at=np.full(n, np.nan),
        pause_s=np.zeros(n),
        buffer_at=np.full(n, np.nan),
        buffer_s=np.zeros(n),
        full_at=np.full(n, np.nan),
        full_until=np.full(n, np.nan),
        replay=np.zeros(n, bool),
        live_offset=live_offset,
        bitrate=np.where(form == AUDIO, 128.0, rng.choice(BITRATES, n)),
        focus=np.where(anon, rng.uniform(0.4, 0.95, n), focus[np.maximum(user, 0)]),
        sound=np.where(anon, rng.uniform(0.6, 0.99, n), sound[np.maximum(user, 0)]),
    )
    # what they played: until they leave or the entry ends, cut short by an error
    p = np.where(played, np.minimum(want, np.where(live, np.inf, w.reaches(1.0))), 0.0)
    broken = played & (rng.random(n) < FAIL_MID_STREAM)
    p = np.where(broken, p * rng.uniform(0.05, 0.9, n), p)
    w.error[broken] = MID_STREAM
    w.played_s[:] = p
    late_seek = ~(w.seek_at < p)
    w.seek_at[late_seek] = np.nan
    w.seek_by[late_seek] = 0.0
    _maybe(rng, played, 0.35, p, w.pause_at, w.pause_s, (2, 15))
    _maybe(rng, played, 0.15, p, w.buffer_at, w.buffer_s, (0.3, 4))
    full = played & (form != AUDIO) & (rng.random(n) < 0.15)
    w.full_at[full] = (rng.uniform(0, 0.8, n) * p)[full]
    w.full_until[full] = (w.full_at + rng.uniform(0.1, 1, n) * (p - w.full_at))[full]
    completed = played & ~live & ~broken & (w.reaches(1.0) <= p)
    w.replay[:] = completed & (rng.random(n) < 0.08)
    return w


def _times(rng: np.random.Generator, lo: np.ndarray, hi: int) -> np.ndarray:
    """Times between ``lo`` and ``hi``, busier at the hours people watch."""
    t = lo + (rng.random(len(lo)) * (hi - lo)).astype(np.int64)
    keep = HOURLY / HOURLY.max()
    for _ in range(4):  # redraw the rejected ones: a few rounds leave the night quiet enough
        again = rng.random(len(t)) >= keep[(t // HOUR) % 24]
        t[again] = lo[again] + (rng.random(int(again.sum())) * (hi - lo[again])).astype(np.int64)
    return t


def _pick(
    rng: np.random.Generator, pool: Pool, anon: np.ndarray, viewer: np.ndarray, own: np.ndarray
) -> np.ndarray:
    """Pool indices: the viewer's usual one (from their number) where ``own``, else any."""
    usual = (viewer * 0.6180339887498949) % 1.0
    u = np.where(own, usual, rng.random(len(viewer)))
    users = np.searchsorted(np.cumsum(pool.for_users), u * (1 - 1e-12))
    anonymous = np.searchsorted(np.cumsum(pool.for_anonymous), u * (1 - 1e-12))
    return np.where(anon, anonymous, users)


def _maybe(
    rng: np.random.Generator,
    who: np.ndarray,
    share: float,
    played_s: np.ndarray,
    at: np.ndarray,
    lasting: np.ndarray,
    seconds: tuple[float, float],
) -> None:
    """Fill ``at`` (seconds of playing) and ``lasting`` (wall seconds) of a ``share`` of ``who``."""
    n = len(who)
    hit = who & (rng.random(n) < share)
    at[hit] = (rng.uniform(0.02, 0.98, n) * played_s)[hit]
    lasting[hit] = rng.uniform(*seconds, n)[hit]
