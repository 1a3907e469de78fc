"""How engaged people are while present: raised hands that bring participants on stage, and
the flags each heartbeat carries (tab focus, sound, camera, mic, full screen, on stage), drawn
from each person's habits and fading as the session goes on; plus mic and camera toggles."""

from __future__ import annotations

import numpy as np

from vantage.demo.clock import MINUTE, US
from vantage.demo.live import LiveSession
from vantage.demo.people import HOST, MODERATOR, PARTICIPANT, SPEAKER
from vantage.demo.presence import TEN


def raised_hands(s: LiveSession) -> np.ndarray:
    """Participants raise a hand; most are then brought on stage to speak for a while.
    Returns, by heartbeat, who was speaking on stage."""
    rng, p = s.rng, s.presence
    speaking = np.zeros(len(p.hb_t), bool)
    part = p.hb_role == PARTICIPANT
    n = rng.poisson(s.rates.raise_hand * p.person_hours(0) + 0.5)
    hb = p.pick(0, n, s.habits.chat, only=part)
    if not len(hb):
        return speaking
    when = p.when(hb)
    s.frame.add("raiseHand", ctx=s.ctxs[0], user=p.hb_user[hb], time=when)
    speak = rng.random(len(hb)) < 0.6
    for h, t in zip(hb[speak].tolist(), when[speak].tolist(), strict=True):
        start = t + int(rng.integers(5 * US, 40 * US))
        length = int(rng.integers(20 * US, 150 * US))
        iv = p.hb_iv[h]
        lo, count = p.iv_hb_off[iv], p.iv_hb_n[iv]
        ts = p.hb_t[lo : lo + count]
        a, b = np.searchsorted(ts, start), np.searchsorted(ts, start + length + TEN)
        speaking[lo + a : lo + b] = True
    return speaking


def view_periods(s: LiveSession, speaking: np.ndarray) -> None:
    """A ``viewPeriod`` per heartbeat with its flags; ``micTurnedOn`` and ``cameraTurnedOn``
    where those flags turn on. ``speaking``: from ``raised_hands``."""
    rng, h, plan, p = s.rng, s.habits, s.plan, s.presence
    g, role, room = p.hb_user, p.hb_role, p.hb_room
    minutes = (p.hb_t - plan.start_us) / MINUTE

    def sticky(prob: np.ndarray | float, minutes: int) -> np.ndarray:
        """One draw per person and ``minutes`` of presence, so a state holds a while."""
        beats = 6 * minutes
        blocks = -(-p.iv_hb_n // beats)
        boff = np.cumsum(blocks) - blocks
        blk = boff[p.hb_iv] + p.hb_k // beats
        return rng.random(int(blocks.sum()))[blk] < prob

    in_breakout = room > 0
    focus_p = h.focus[g] * np.exp(-h.fatigue[g] * minutes / 60)
    focus_p = np.where(in_breakout, 0.95, np.clip(focus_p, 0.1, 0.99))
    focus = sticky(focus_p, 1)
    sound = sticky(np.clip(h.sound[g] - 0.0005 * minutes, 0.5, 1.0), 5)
    cam_p = h.camera[g] * (1 - 0.003 * minutes) + np.where(in_breakout, 0.25, 0.0)
    camera = sticky(np.clip(cam_p, 0.0, 0.97), 5)
    full = sticky(h.full_screen[g], 3) & focus
    participant_mic = {"office": 0.12, "workshop": 0.04}.get(plan.kind, 0.01)
    mic_p = np.select(
        [in_breakout, role == HOST, role == SPEAKER, role == MODERATOR],
        [0.3, 0.85, 0.8, 0.2],
        participant_mic,
    )
    mic = sticky(mic_p, 1) | speaking
    stage_p = np.select([role == HOST, role == SPEAKER, role == MODERATOR], [1.0, 1.0, 0.3], 0.0)
    stage = sticky(stage_p, 3) | speaking
    stage = np.where(in_breakout, camera | mic, stage)
    ctxs = np.array(s.ctxs, np.int32)
    s.frame.add(
        "viewPeriod",
        ctx=ctxs[room],
        user=g,
        time=p.hb_t,
        view_time=p.hb_vt,
        tab_focused=focus,
        sound_on=sound,
        mic_unmuted=mic,
        camera_on=camera,
        full_screen=full,
        on_stage=stage,
    )
    first = p.hb_k == 0
    n = len(p.hb_t)
    for flag, event in ((mic, "micTurnedOn"), (camera, "cameraTurnedOn")):
        prev = np.empty(n, bool)
        prev[0] = False
        prev[1:] = flag[:-1]
        on = np.flatnonzero(flag & (first | ~prev))
        s.frame.add(event, ctx=ctxs[room[on]], user=g[on], time=p.when(on))
