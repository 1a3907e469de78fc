"""Polls and quizzes in the main room: the host launches them, by hand or as scheduled,
participants present then answer; quiz answers are right as often as the person's ability says.
A quiz is a group of two to four questions launched one after another."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np
import pyarrow as pa

from vantage.demo import texts
from vantage.demo.clock import MINUTE, MS, US
from vantage.demo.live import LiveSession
from vantage.demo.people import PARTICIPANT

# How each type's results are shown (one is picked per poll), and its icon.
_VISUALS = {
    "poll": ("bar", "pie"),
    "quiz": ("bar",),
    "ratingScale": ("bar", "scale"),
    "open": ("wordCloud", "list"),
    "crowdVote": ("list", "bar"),
}
_ICONS = {
    "poll": "chart-bar",
    "quiz": "graduation-cap",
    "ratingScale": "star",
    "open": "comment",
    "crowdVote": "thumbs-up",
}
# Share of polls that launch by themselves at a time planned beforehand, by kind of session:
# events run to a script, lectures mostly by hand.
_SCHEDULED = {"lecture": 0.15, "keynote": 0.5, "workshop": 0.25, "office": 0.0}


def polls(s: LiveSession) -> None:
    rng, plan, p = s.rng, s.plan, s.presence
    S, E = plan.start_us, plan.end_us
    n = rng.poisson(s.rates.polls)
    launches = np.sort(rng.integers(S + 5 * MINUTE, max(S + 6 * MINUTE, E - 4 * MINUTE), n))
    launched: dict[str, list[Any]] = defaultdict(list)  # pollLaunched's columns
    answered: dict[str, list[Any]] = defaultdict(list)  # pollAnswered's, in pieces
    for j, first in enumerate(launches.tolist()):
        kind = _poll_type(s)
        scheduled = rng.random() < _SCHEDULED[plan.kind]
        # a planned launch is on a whole minute; a quiz's questions follow one another
        first = first // MINUTE * MINUTE if scheduled else first
        asked = _questions(s, kind)
        gaps = rng.integers(60 * US, 150 * US, len(asked))
        gaps[0] = 0
        starts = np.minimum(first + np.cumsum(gaps), max(first, E - 4 * MINUTE))
        if scheduled:  # planned, each question on a whole minute
            starts = np.maximum(starts // MINUTE * MINUTE, first)
        visual = _VISUALS[kind][int(rng.integers(len(_VISUALS[kind])))]
        icon = _ICONS[kind] if rng.random() < 0.8 else None
        group = (f"{plan.id}:quiz{j}", f"Quiz: {plan.topic}") if kind == "quiz" else (None, None)
        for launch, (question, opts, right) in zip(starts.tolist(), asked, strict=True):
            pid = f"{plan.id}:poll{len(launched['poll_id'])}"
            for column, value in (
                ("poll_id", pid),
                ("time", launch),
                ("question", question),
                ("poll_type", kind),
                ("options", list(opts)),
                ("correct_answer", opts[right] if right is not None else None),
                ("visual_type", visual),
                ("visual_icon", icon),
                ("group_poll_id", group[0]),
                ("group_poll_name", group[1]),
                ("scheduling_type", "scheduled" if scheduled else "manual"),
            ):
                launched[column].append(value)
            who, t, text, ok = _answers(s, launch, kind, opts, right)
            answered["who"].append(who)
            answered["time"].append(t)
            answered["answer"] += text
            answered["is_correct"].append(ok)
            answered["poll_id"] += [pid] * len(who)
    if not launched:
        return
    times = np.array(launched.pop("time"), np.int64)
    s.frame.add(
        "pollLaunched", ctx=s.ctxs[0], user=np.full(len(times), plan.host), time=times, **launched
    )
    who = np.concatenate(answered["who"]).astype(np.int64)
    s.frame.add(
        "pollAnswered",
        ctx=s.ctxs[0],
        user=p.hb_user[who],
        time=np.concatenate(answered["time"]),
        poll_id=answered["poll_id"],
        answer=answered["answer"],
        is_correct=pa.array(np.concatenate(answered["is_correct"]).tolist(), pa.bool_()),
    )


def _answers(
    s: LiveSession, launch: int, kind: str, opts: tuple[str, ...], right: int | None
) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Who of the participants present answers the question launched at ``launch`` (their
    presence intervals), when, what, and whether rightly (quizzes; None otherwise)."""
    rng, p = s.rng, s.presence
    here = p.around(0, launch)
    here = here[p.hb_role[here] == PARTICIPANT]
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
        return who, t, [opts[c] for c in choice.tolist()], ok
    if kind == "open":
        pool = texts.OPEN_ANSWERS
        text = [pool[c] for c in rng.integers(0, len(pool), len(who)).tolist()]
    elif kind == "ratingScale":
        c = rng.choice(5, len(who), p=[0.03, 0.07, 0.2, 0.4, 0.3])
        text = [opts[x] for x in c.tolist()]
    else:
        c = rng.integers(0, len(opts), len(who))
        text = [opts[x] for x in c.tolist()]
    return who, t, text, np.full(len(who), None, object)


def _poll_type(s: LiveSession) -> str:
    rng, plan = s.rng, s.plan
    if plan.kind == "keynote":
        return str(
            rng.choice(["poll", "ratingScale", "crowdVote", "open"], p=[0.35, 0.3, 0.25, 0.1])
        )
    if plan.kind == "workshop":  # a virtual event's workshops check what was learnt, too
        return str(rng.choice(["poll", "open", "crowdVote", "quiz"], p=[0.4, 0.25, 0.15, 0.2]))
    if rng.random() < plan.quiz_share:
        return "quiz"
    return str(rng.choice(["poll", "ratingScale", "open", "crowdVote"], p=[0.5, 0.2, 0.15, 0.15]))


Question = tuple[str, tuple[str, ...], int | None]


def _questions(s: LiveSession, kind: str) -> list[Question]:
    """What one launch asks: a quiz's two to four different questions, or one question."""
    if kind != "quiz":
        return [_poll_text(s, kind)]
    picked = s.rng.choice(len(texts.QUIZZES), int(s.rng.integers(2, 5)), replace=False)
    return [
        (q.format(topic=s.plan.topic), opts, right)
        for q, opts, right in (texts.QUIZZES[i] for i in picked.tolist())
    ]


def _poll_text(s: LiveSession, kind: str) -> Question:
    """The question and options of a poll that is not a quiz (no option is right)."""
    rng, topic = s.rng, s.plan.topic
    if kind == "ratingScale":
        q = texts.RATING_QUESTIONS[int(rng.integers(len(texts.RATING_QUESTIONS)))]
        return q.format(topic=topic), ("1", "2", "3", "4", "5"), None
    if kind == "open":
        q = texts.OPEN_QUESTIONS[int(rng.integers(len(texts.OPEN_QUESTIONS)))]
        return q.format(topic=topic), (), None
    if kind == "crowdVote":
        vote, choices = texts.CROWD_VOTES[int(rng.integers(len(texts.CROWD_VOTES)))]
        return vote, choices, None
    q, opts = texts.POLLS[int(rng.integers(len(texts.POLLS)))]
    return q.format(topic=topic), opts, None
