"""Q&A in the main room: participants ask, staff (sometimes another participant) answer, and
moderators take threads on and close them."""

from __future__ import annotations

import numpy as np

from vantage.demo import texts
from vantage.demo.clock import MINUTE, MS, US
from vantage.demo.live import LiveSession
from vantage.demo.people import PARTICIPANT


def questions(s: LiveSession) -> None:
    rng, plan, p = s.rng, s.plan, s.presence
    E = plan.end_us
    part = p.hb_role == PARTICIPANT
    n = rng.poisson(s.rates.questions * p.person_hours(0))
    hb = p.pick(0, n, s.habits.chat, only=part)
    if not len(hb):
        return
    q_t = p.when(hb)
    order = np.argsort(q_t, kind="stable")
    hb, q_t = hb[order], q_t[order]
    threads = [f"{plan.id}:q{j}" for j in range(len(hb))]
    staff = np.concatenate([[plan.host], np.array(plan.moderators, np.int64)])
    mods = np.array(plan.moderators or (plan.host,), np.int64)
    ctx = s.ctxs[0]
    s.frame.add(
        "questionAnswerMessageSent",
        ctx=ctx,
        user=p.hb_user[hb],
        time=q_t,
        message_id=threads,
        thread_id=threads,
        text=s.texts(texts.QUESTION_LINES, len(hb)),
    )
    # answers: mostly staff, sometimes another participant
    answers = rng.choice(3, len(hb), p=[0.25, 0.55, 0.2])
    q = np.repeat(np.arange(len(hb)), answers)
    a_t = np.minimum(q_t[q] + rng.integers(20 * US, 8 * MINUTE, len(q)), E - MS)
    a_t = np.maximum(a_t, q_t[q] + MS)
    peer = p.at(0, a_t)
    by_peer = (rng.random(len(q)) < 0.2) & (peer >= 0)
    answerer = np.where(
        by_peer, p.hb_user[np.maximum(peer, 0)], staff[rng.integers(0, len(staff), len(q))]
    )
    n_ans = np.zeros(len(hb), np.int64)
    a_ids = []
    for j in q.tolist():
        a_ids.append(f"{threads[j]}.a{n_ans[j]}")
        n_ans[j] += 1
    s.frame.add(
        "questionAnswerMessageSent",
        ctx=ctx,
        user=answerer,
        time=a_t,
        message_id=a_ids,
        thread_id=[threads[j] for j in q.tolist()],
        text=s.texts(texts.ANSWER_LINES, len(q)),
    )
    # moderation
    last = q_t.copy()
    np.maximum.at(last, q, a_t)
    owned = np.flatnonzero(rng.random(len(hb)) < 0.5)
    own_t = np.minimum(q_t[owned] + rng.integers(5 * US, 60 * US, len(owned)), E - MS)
    closed = rng.random(len(hb))
    resolved = np.flatnonzero(closed < 0.4)
    done = np.flatnonzero((closed >= 0.4) & (closed < 0.7))
    act_q = np.concatenate([owned, resolved, done])
    act_t = np.concatenate(
        [
            own_t,
            np.minimum(last[resolved] + rng.integers(5 * US, 120 * US, len(resolved)), E - MS),
            np.minimum(last[done] + rng.integers(5 * US, 120 * US, len(done)), E - MS),
        ]
    )
    act_t = np.maximum(act_t, q_t[act_q] + MS)
    actions = ["owned"] * len(owned) + ["resolved"] * len(resolved) + ["done"] * len(done)
    s.frame.add(
        "questionThreadModerated",
        ctx=ctx,
        user=mods[rng.integers(0, len(mods), len(act_q))],
        time=act_t,
        thread_id=[threads[j] for j in act_q.tolist()],
        action=actions,
    )
