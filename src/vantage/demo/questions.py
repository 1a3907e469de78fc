"""Q&A in the main room: participants ask, staff (sometimes another participant) answer, and
moderators take threads on, resolve and close them, and label some."""

from __future__ import annotations

import numpy as np

from vantage.demo import texts
from vantage.demo.clock import MINUTE, MS, US
from vantage.demo.live import LiveSession
from vantage.demo.people import PARTICIPANT

_STEPS = ("owned", "resolved", "done")  # a thread's moderation, in order
# What moderators label threads with, to sort them; a labeled thread has one to three.
LABELS = ("technical", "follow-up", "content", "logistics", "feedback")


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
    _moderation(s, threads, q_t, _last_message(q_t, q, a_t), mods)


def _last_message(q_t: np.ndarray, q: np.ndarray, a_t: np.ndarray) -> np.ndarray:
    """Each thread's last message time: its question's, or its last answer's (``q``: the thread
    of each answer)."""
    last = q_t.copy()
    np.maximum.at(last, q, a_t)
    return last


def _moderation(
    s: LiveSession, threads: list[str], q_t: np.ndarray, last: np.ndarray, mods: np.ndarray
) -> None:
    """A moderator takes a thread on (``owned``), answers it (``resolved``) and closes it
    (``done``), each step after the one before and before the session ends; some threads are
    never taken, some taken and left open. Some threads are labeled, by any moderator."""
    rng, E, n = s.rng, s.plan.end_us, len(threads)
    stage = rng.choice(4, n, p=[0.25, 0.15, 0.2, 0.4])  # how far each thread got: 0 … done
    owner = mods[rng.integers(0, len(mods), n)]
    raw = (
        q_t + rng.integers(5 * US, 60 * US, n),
        last + rng.integers(5 * US, 120 * US, n),
        last + rng.integers(130 * US, 420 * US, n),
    )
    act_q, act_t, actions = [], [], []
    t = q_t
    for k, (action, step_t) in enumerate(zip(_STEPS, raw, strict=True)):
        t = np.maximum(np.minimum(step_t, E - (len(_STEPS) - k) * MS), t + MS)
        took = np.flatnonzero((stage > k) & (t <= E))
        act_q.append(took)
        act_t.append(t[took])
        actions += [action] * len(took)
    labeled = np.flatnonzero(rng.random(n) < 0.2)
    label_t = np.maximum(
        np.minimum(q_t[labeled] + rng.integers(10 * US, 180 * US, len(labeled)), E),
        q_t[labeled] + MS,
    )
    labeled, label_t = labeled[label_t <= E], label_t[label_t <= E]
    act_q.append(labeled)
    act_t.append(label_t)
    actions += ["labeled"] * len(labeled)
    labels: list[list[str]] = [[] for _ in range(len(actions) - len(labeled))]
    for count in rng.integers(1, 4, len(labeled)).tolist():
        labels.append([LABELS[i] for i in sorted(rng.choice(len(LABELS), count, replace=False))])
    who = np.concatenate(
        [owner[q] for q in act_q[:-1]] + [mods[rng.integers(0, len(mods), len(labeled))]]
    )
    q = np.concatenate(act_q)
    s.frame.add(
        "questionThreadModerated",
        ctx=s.ctxs[0],
        user=who,
        time=np.concatenate(act_t),
        thread_id=[threads[j] for j in q.tolist()],
        action=actions,
        labels=labels,
    )
