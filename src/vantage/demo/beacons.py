"""What a web player sends for planned page loads (``watching``): impression, play request and
play, a VIEW every 10 s of playing with the running ``playTimeSum`` and engagement modes, the
quartiles (lower ones first when a seek skips them, each once), pauses, seeks, stalls, speed and
full-screen changes, errors, replays, and the rarer clicks, declared in ``ACTIONS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from vantage.demo.beacon_frame import BeaconFrame
from vantage.demo.clock import US
from vantage.demo.watching import (
    BEFORE_PLAYING,
    BEFORE_REQUEST,
    MID_STREAM,
    VOD,
    Watches,
)

VIEW_EVERY_S = 10
QUARTILES = ((0.25, 11), (0.5, 12), (0.75, 13), (0.9, 15), (1.0, 14))  # in the order sent
PLUGINS = ("kava", "playkit-js-ui", "playkit-js-share", "playkit-js-download", "playkit-js-info")
CHOICES: dict[str, tuple[str, ...]] = {
    "social_network": ("facebook", "twitter", "linkedin", "email"),
    "report_type": ("Spam / Commercials", "Copyright Violation", "Terms of Use Violation"),
    "caption": ("English", "Spanish", "French"),
    "language": ("English", "Spanish"),
    "network_connection_type": ("wifi", "4g", "ethernet"),
    "error_details": (
        '{"category":1,"code":1002,"severity":2,"message":"HTTP error"}',
        '{"category":3,"code":3016,"severity":2,"message":"Video element error"}',
        '{"category":7,"code":7000,"severity":2,"message":"Load failed"}',
    ),
}
ERROR_CODES = np.array([1002, 3016, 7000])  # by error_details index


@dataclass(frozen=True)
class Action:
    """A click some plays have once, at a random moment, possibly followed by another."""

    event: int
    share: float  # of plays (of the leading action's, for a follow-up)
    column: str | None = None  # what it carries: a CHOICES column, or actual_bitrate
    then: Action | None = None


ACTIONS = (
    Action(21, 0.03, then=Action(22, 0.7, "social_network")),
    Action(23, 0.02),
    Action(24, 0.006, then=Action(25, 0.8, "report_type")),
    Action(36, 0.03, then=Action(37, 0.5)),
    Action(38, 0.08, "caption"),
    Action(39, 0.02, "actual_bitrate"),
    Action(40, 0.01),
    Action(42, 0.015, "language"),
    Action(43, 0.25, "actual_bitrate"),
)
Add = Callable[..., None]  # rows of an event for some loads, at a time or a playing moment
_BITRATES = np.array([480.0, 800.0, 1_500.0, 2_500.0, 4_000.0])


def choices() -> dict[str, pa.Array]:
    out = {name: pa.array(values, pa.string()) for name, values in CHOICES.items()}
    return out | {"loaded_plugins": pa.array([list(PLUGINS)], pa.list_(pa.string()))}


def add_beacons(rng: np.random.Generator, w: Watches, frame: BeaconFrame) -> None:
    everyone = np.arange(w.n)
    start = w.load_us
    still = w.playback == VOD
    first_position = np.where(still, 0.0, -w.live_offset)

    def before_play(event: int, load: np.ndarray, at: np.ndarray, **columns: object) -> None:
        frame.add(event, load, at, position=first_position[load], playback_speed=1.0, **columns)

    before_play(
        1,
        everyone,
        start,
        player_js_load_time=rng.lognormal(np.log(350), 0.4, w.n),
        loaded_plugins=0,
    )
    _errors(rng, np.flatnonzero(w.error == BEFORE_REQUEST), start, 3, before_play)
    request_us = start + (w.request_s * US).astype(np.int64)
    before_play(2, np.flatnonzero(w.requested), request_us[w.requested])
    _errors(rng, np.flatnonzero(w.error == BEFORE_PLAYING), request_us, 1, before_play)

    play_us = request_us + (w.join_s * US).astype(np.int64)
    played = np.flatnonzero(w.played)
    network = rng.integers(0, 3, w.n)

    def at(
        event: int, load: np.ndarray, p: np.ndarray, late_s: object = 0.0, **columns: object
    ) -> None:
        """Rows of ``event`` after ``p`` seconds of playing, ``late_s`` wall seconds later."""
        wall = (
            p
            + np.where(p > w.pause_at[load], w.pause_s[load], 0.0)
            + np.where(p > w.buffer_at[load], w.buffer_s[load], 0.0)
            + late_s
        )
        speed = np.where(p >= w.speed_at[load], w.speed[load], 1.0)
        columns.setdefault("position", w.playhead(load, p))
        frame.add(
            event,
            load,
            play_us[load] + (wall * US).astype(np.int64),
            playback_speed=speed,
            **columns,
        )

    zero = np.zeros(len(played))
    at(
        3,
        played,
        zero,
        join_time=w.join_s[played],
        can_play=w.join_s[played] * 0.7,
        buffer_time=0.0,
        buffer_time_sum=0.0,
        actual_bitrate=w.bitrate[played],
        network_connection_type=network[played],
    )
    _views(rng, w, played, network, at)

    changed = played[~np.isnan(w.speed_at[played])]
    at(41, changed, w.speed_at[changed])
    sought = played[~np.isnan(w.seek_at[played])]
    p = w.seek_at[sought]
    here = w.playhead(sought, np.nextafter(p, -np.inf))
    at(35, sought, p, position=here, target_position=here + w.seek_by[sought])
    vod = played[w.playback[played] == VOD]
    for share, event in QUARTILES:
        reached = w.reaches(share)[vod]
        got = reached <= w.played_s[vod]
        at(event, vod[got], reached[got])

    paused = played[~np.isnan(w.pause_at[played])]
    p = w.pause_at[paused]
    at(33, paused, p)
    sums = np.where(w.buffer_at[paused] < p, w.buffer_s[paused], 0.0)
    at(
        4,
        paused,
        p,
        w.pause_s[paused],
        buffer_time=0.0,
        buffer_time_sum=sums,
        actual_bitrate=w.bitrate[paused],
    )
    stalled = played[~np.isnan(w.buffer_at[played])]
    at(45, stalled, w.buffer_at[stalled])
    at(46, stalled, w.buffer_at[stalled], w.buffer_s[stalled])
    full = played[~np.isnan(w.full_at[played])]
    at(31, full, w.full_at[full], screen_mode=2)
    at(32, full, w.full_until[full], screen_mode=1)

    for action in ACTIONS:
        who = played[rng.random(len(played)) < action.share]
        p = rng.uniform(0.05, 0.95, len(who)) * w.played_s[who]
        late = np.zeros(len(who))
        step: Action | None = action
        while step is not None:
            at(step.event, who, p, late, **_carried(rng, step, len(who)))
            if step.then is not None:
                keep = rng.random(len(who)) < step.then.share
                who, p = who[keep], p[keep]
                late = late[keep] + rng.uniform(2, 20, len(who))
            step = step.then

    broken = played[w.error[played] == MID_STREAM]
    kinds = rng.integers(0, len(ERROR_CODES), len(broken))
    at(
        98,
        broken,
        w.played_s[broken],
        error_code=ERROR_CODES[kinds],
        error_details=kinds,
        error_position=MID_STREAM,
    )
    again = played[w.replay[played]]
    at(34, again, w.played_s[again], rng.uniform(2, 10, len(again)), position=0.0)


def _views(
    rng: np.random.Generator, w: Watches, played: np.ndarray, network: np.ndarray, at: Add
) -> None:
    counts = (w.played_s[played] // VIEW_EVERY_S).astype(np.int64)
    load = np.repeat(played, counts)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    p = (np.arange(len(load)) - first + 1).astype(np.float64) * VIEW_EVERY_S
    n = len(load)
    stall = w.buffer_at[load]
    tab = 1 + (rng.random(n) < w.focus[load] * np.exp(-p / 7_200))
    full = (w.full_at[load] <= p) & (p < w.full_until[load])
    at(
        99,
        load,
        p,
        play_time_sum=p,
        buffer_time=np.where((p - VIEW_EVERY_S < stall) & (stall <= p), w.buffer_s[load], 0.0),
        buffer_time_sum=np.where(stall <= p, w.buffer_s[load], 0.0),
        actual_bitrate=w.bitrate[load],
        average_bitrate=w.bitrate[load],
        sound_mode=1 + (rng.random(n) < w.sound[load]),
        tab_mode=tab,
        viewability_mode=np.where((tab == 2) & (rng.random(n) < 0.93), 2, 1),
        screen_mode=np.where(full, 2, 1),
        network_connection_type=network[load],
        bandwidth=rng.lognormal(np.log(12_000), 0.6, n),
        forward_buffer_health=rng.uniform(0.4, 1.0, n),
        dropped_frames_ratio=rng.beta(1, 300, n),
        target_buffer=30.0,
        segment_download_time=rng.lognormal(np.log(0.25), 0.5, n),
        manifest_download_time=rng.lognormal(np.log(0.08), 0.4, n),
    )


def _errors(
    rng: np.random.Generator, load: np.ndarray, after_us: np.ndarray, position: int, add: Add
) -> None:
    kinds = rng.integers(0, len(ERROR_CODES), len(load))
    time = after_us[load] + rng.integers(1 * US, 8 * US, len(load))
    add(98, load, time, error_code=ERROR_CODES[kinds], error_details=kinds, error_position=position)


def _carried(rng: np.random.Generator, action: Action, n: int) -> dict[str, object]:
    if action.column is None:
        return {}
    if action.column == "actual_bitrate":
        return {"actual_bitrate": rng.choice(_BITRATES, n)}
    return {action.column: rng.integers(0, len(CHOICES[action.column]), n)}
