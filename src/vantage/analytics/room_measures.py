"""Expressions over room events and people that the room reports and the player reports' room
facts share, declared once. Columns are those of ``room_events`` (unqualified) and of a users
row (qualified by the alias given)."""

from __future__ import annotations

from vantage.sql.expr import Agg, Col, Expr, agg, col, count, fn
from vantage.store.room_presence import MEETING_ENGAGED, PRESENT

EVENT_TYPE = col("event_type")


def is_event(event_type: str) -> Expr:
    return EVENT_TYPE.eq(event_type)


QNA_THREAD = is_event("questionAnswerMessageSent") & col("message_id").eq(col("thread_id"))
"""A question that opens a Q&A thread (the thread's first message)."""
PRESENT_SECONDS: Agg = agg("sum", col("view_time"), where=PRESENT)
"""Seconds present (10-second presence periods); NULL when there were none."""
ENGAGED_SECONDS: Agg = agg("sum", col("view_time"), where=PRESENT & MEETING_ENGAGED)
ON_STAGE_SECONDS: Agg = agg("sum", col("view_time"), where=PRESENT & col("on_stage"))
"""Seconds on stage (presence periods the person spent on stage); NULL when none."""


def quiz_answer_right(answer: Expr, is_correct: Expr, correct_answer: Expr) -> Expr:
    """Whether an answer to a quiz is right: as the answer said (``isCorrect``), else whether it
    is the launch's correct answer; NULL when neither tells."""
    return fn("coalesce", is_correct, answer.eq(correct_answer))


def counted(event_type: str) -> Agg:
    """How many events of a type."""
    return count(is_event(event_type))


def full_name(alias: str) -> Expr:
    """A person's "first last" from the users row ``alias``; NULL when they have neither."""
    parts = fn("concat_ws", " ", Col("first_name", alias), Col("last_name", alias))
    return fn("nullif", fn("trim", parts), "")
