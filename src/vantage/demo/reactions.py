"""Reactions (clap, heart …): bursts when something happens in the main room, applause at the
end, and a trickle in every room."""

from __future__ import annotations

import numpy as np

from vantage.demo.clock import HOUR, MINUTE, US
from vantage.demo.live import LiveSession

KINDS = np.array(["clap", "heart", "think", "wow", "smile"])


def reactions(s: LiveSession) -> None:
    rng, plan, p = s.rng, s.plan, s.presence
    S, E = plan.start_us, plan.end_us
    for r, ctx in enumerate(s.ctxs):
        parts_hb: list[np.ndarray] = []
        parts_t: list[np.ndarray] = []
        parts_kind: list[np.ndarray] = []
        if r == 0:  # bursts: a joke, a great answer, the end of a talk
            bursts = rng.poisson(s.rates.bursts_per_hour * (E - S) / HOUR)
            centres = rng.integers(S + 2 * MINUTE, E - MINUTE, bursts)
            if bursts:
                centres[-1] = E - int(rng.integers(20 * US, 60 * US))  # applause at the end
            for c in centres.tolist():
                here = p.around(0, c)
                who = here[rng.random(len(here)) < rng.uniform(0.1, 0.5)]
                clicks = 1 + rng.poisson(0.6, len(who))
                who = np.repeat(who, clicks)
                t = c + rng.exponential(6 * US, len(who)).astype(np.int64)
                t = p.inside(who, np.minimum(t, c + 40 * US))
                main_kind = rng.integers(0, len(KINDS))
                kind = np.where(
                    rng.random(len(who)) < 0.7, main_kind, rng.integers(0, len(KINDS), len(who))
                )
                parts_hb.append(who)
                parts_t.append(t)
                parts_kind.append(kind)
        n = rng.poisson(s.rates.reactions * p.person_hours(r))
        hb = p.pick(r, n)
        parts_hb.append(hb)
        parts_t.append(p.when(hb))
        parts_kind.append(rng.integers(0, len(KINDS), len(hb)))
        hb = np.concatenate(parts_hb).astype(np.int64)
        s.frame.add(
            "reactionClicked",
            ctx=ctx,
            user=p.hb_user[hb],
            time=np.concatenate(parts_t),
            reaction=KINDS[np.concatenate(parts_kind).astype(np.int64)],
        )
