"""Polls and quizzes in the main room: the host launches them, participants present then
answer; quiz answers are right as often as the person's ability says."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from vantage.demo import texts
from vantage.demo.clock import MINUTE, MS, US
from vantage.demo.live import LiveSession
from vantage.demo.people import PARTICIPANT


def polls(s: LiveSession) -> None:
    rng, plan, p = s.rng, s.plan, s.presence
    S, E = plan.start_us, plan.end_us
    n = rng.poisson(s.rates.polls)
    launches = np.sort(rng.integers(S + 5 * MINUTE, max(S + 6 * MINUTE, E - 4 * MINUTE), n))
    ids, questions, types, options, correct = [], [], [], [], []
    ans_hb, ans_t, ans_text, ans_ok, ans_poll = [], [], [], [], []
    part = p.hb_role == PARTICIPANT
    for j, launch in enumerate(launches.tolist()):
        kind = _poll_type(s)
        question, opts, right = _poll_text(s, kind)
        pid = f"{plan.id}:poll{j}"
        ids.append(pid)
        questions.append(question)
        types.append(kind)
        options.append(list(opts))
        correct.append(opts[right] if right is not None else None)
        here = p.around(0, launch)
        here = here[part[here]]
        who = here[rng.random(len(here)) < rng.uniform(0.55, 0.9)]
        t = launch + (3 * US + rng.exponential(25 * US, len(who))).astype(np.int64)
        t = p.inside(who, np.maximum(np.minimum(t, launch + 3 * MINUTE), launch + MS))
        if kind == "quiz":
            assert right is not None
            ok = rng.random(len(who)) < np.clip(
                s.habits.ability[p.hb_user[who]] * rng.uniform(0.7, 1.1), 0.05, 0.97
            )
            wrong = rng.integers(0, len(opts) - 1, len(who))
            wrong = wrong + (wrong >= right)
            choice = np.where(ok, right, wrong)
            text = [opts[c] for c in choice.tolist()]
            ans_ok.append(ok)
        else:
            if kind == "open":
                pool = texts.OPEN_ANSWERS
                text = [pool[c] for c in rng.integers(0, len(pool), len(who)).tolist()]
            elif kind == "ratingScale":
                c = rng.choice(5, len(who), p=[0.03, 0.07, 0.2, 0.4, 0.3])
                text = [opts[x] for x in c.tolist()]
            else:
                c = rng.integers(0, len(opts), len(who))
                text = [opts[x] for x in c.tolist()]
            ans_ok.append(np.full(len(who), None, object))
        ans_hb.append(who)
        ans_t.append(t)
        ans_text += text
        ans_poll += [pid] * len(who)
    if not ids:
        return
    host = np.full(len(ids), plan.host)
    s.frame.add(
        "pollLaunched",
        ctx=s.ctxs[0],
        user=host,
        time=launches,
        poll_id=ids,
        question=questions,
        poll_type=types,
        options=pa.array(options, pa.list_(pa.string())),
        correct_answer=correct,
    )
    who = np.concatenate(ans_hb).astype(np.int64)
    s.frame.add(
        "pollAnswered",
        ctx=s.ctxs[0],
        user=p.hb_user[who],
        time=np.concatenate(ans_t),
        poll_id=ans_poll,
        answer=ans_text,
        is_correct=pa.array(np.concatenate(ans_ok).tolist(), pa.bool_()),
    )


def _poll_type(s: LiveSession) -> str:
    rng, plan = s.rng, s.plan
    if plan.kind == "keynote":
        return str(
            rng.choice(["poll", "ratingScale", "crowdVote", "open"], p=[0.35, 0.3, 0.25, 0.1])
        )
    if plan.kind == "workshop":
        return str(rng.choice(["poll", "open", "crowdVote"], p=[0.5, 0.3, 0.2]))
    if rng.random() < plan.quiz_share:
        return "quiz"
    return str(rng.choice(["poll", "ratingScale", "open", "crowdVote"], p=[0.5, 0.2, 0.15, 0.15]))


def _poll_text(s: LiveSession, kind: str) -> tuple[str, tuple[str, ...], int | None]:
    """Question, options and, for quizzes, the index of the right option."""
    rng, topic = s.rng, s.plan.topic
    if kind == "quiz":
        q, opts, right = texts.QUIZZES[int(rng.integers(len(texts.QUIZZES)))]
        return q.format(topic=topic), opts, right
    if kind == "ratingScale":
        q = texts.RATING_QUESTIONS[int(rng.integers(len(texts.RATING_QUESTIONS)))]
        return q.format(topic=topic), ("1", "2", "3", "4", "5"), None
    if kind == "open":
        q = texts.OPEN_QUESTIONS[int(rng.integers(len(texts.OPEN_QUESTIONS)))]
        return q.format(topic=topic), (), None
    if kind == "crowdVote":
        q, opts = texts.CROWD_VOTES[int(rng.integers(len(texts.CROWD_VOTES)))]
        return q, opts, None
    q, opts = texts.POLLS[int(rng.integers(len(texts.POLLS)))]
    return q.format(topic=topic), opts, None
