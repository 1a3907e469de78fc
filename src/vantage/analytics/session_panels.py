"""The room dashboard's session panels (issue 11), declared once: what is asked, the rules each
panel reads, and the plain typed rows each answers. docs/reports.md#dashboard-session-panels
explains them; vantage.analytics.panel_compiler plans them and vantage.analytics.run runs them.

* **Live timeline**: per point of the session's span, the people present (a ``viewPeriod`` in
  it) and the live engagement rate, engaged ÷ present seconds by Kaltura's *meeting* rule
  (vantage.store.room_presence's ``MEETING_ENGAGED``, the rule of the room reports).
* **Heatmap**: per person and point, ``engaged``, ``not_engaged`` or ``offline`` by the
  *dashboard's* rule (``HEATMAP_ENGAGED``), the most engaged of the point's periods.
* **Stage participation**: the people who were on stage (a ``viewPeriod`` with ``onStage``),
  with their seconds on stage and present, and when they were first and last on stage.
* **Interactions**: the polls launched, their answers (a person's latest answer counts), the
  quizzes' correct answers, the open questions' texts.

A panel reads the room ``entry_id`` **with its breakout rooms** (as the room reports' entry
filter does: a breakout's presence is presence in the class), or every room of the category
``category_id`` with their breakouts (as the reports' category filter, ``categoriesIdsIn``,
reads a channel), in the ``period``, and only the session ``session_id`` of the room when one
is given (a breakout's session has an id of its own, so naming the main room's session leaves
the breakouts out).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum

from vantage.analytics.period import Period
from vantage.analytics.room_reports import Filter
from vantage.sql.expr import any_of, col

MAX_POINTS = 500
"""Points of a timeline or heatmap at most (Kaltura's timeline asks for 500): a longer span is
drawn in coarser buckets, each a whole number of minutes."""
MINUTE = 60

HEATMAP_ENGAGED = any_of(
    (
        col("tab_focused") & col("sound_on"),
        col("full_screen") & col("camera_on"),
        col("camera_on"),
        col("on_stage"),
    )
)
"""The dashboard heatmap's engaged presence period, as Kaltura's page states it: the tab focused
with sound on, or full screen with the camera on, or the camera on, or on stage. (The second
is within the third; kept as Kaltura words it.) Stricter than the meeting rule: a focused tab
with the sound off is engaged for the rate but not for the heatmap."""


class State(Enum):
    """A person's heatmap state in one point, least engaged first."""

    OFFLINE = "offline"  # no presence period in the point
    NOT_ENGAGED = "not_engaged"
    ENGAGED = "engaged"


@dataclass(frozen=True)
class PanelQuery:
    """The rooms a panel reads: one room, or the rooms of one category (a channel)."""

    partner_ids: frozenset[int]
    period: Period
    entry_id: str | None = None  # the room; its breakout rooms are read with it
    session_id: str | None = None  # one session of the room
    category_id: int | None = None  # instead of a room: the category's rooms and breakouts

    def __post_init__(self) -> None:
        if (self.entry_id is None) == (self.category_id is None):
            raise ValueError("a panel reads one room or one category")
        if self.session_id is not None and self.entry_id is None:
            raise ValueError("a session is one room's")

    @property
    def filters(self) -> Mapping[Filter, tuple[str, ...]]:
        """The room reports' filters that narrow the panel's events."""
        out = (
            {Filter.ENTRY_IDS: (self.entry_id,)}
            if self.entry_id is not None
            else {Filter.CATEGORY_IDS: (str(self.category_id),)}
        )
        if self.session_id is not None:
            out[Filter.SESSION_IDS] = (self.session_id,)
        return out


@dataclass(frozen=True)
class Span:
    """The points of a timeline or heatmap: ``[start, end)`` in unix seconds, ``step``
    seconds a point, ``start`` and ``end`` whole steps since 1970."""

    start: int
    end: int
    step: int

    @property
    def points(self) -> range:
        return range(self.start, self.end, self.step)


def span(first: int, last: int) -> Span:
    """The span from the minute of ``first`` to that of ``last`` (unix seconds, both inside),
    in steps of whole minutes so that it has ``MAX_POINTS`` points at most."""
    minutes = last // MINUTE - first // MINUTE + 1
    step = MINUTE * max(1, math.ceil(minutes / MAX_POINTS))
    while last // step - first // step + 1 > MAX_POINTS:  # whole steps since 1970 add a point
        step += MINUTE
    start = first // step * step
    return Span(start, (last // step + 1) * step, step)


@dataclass(frozen=True)
class Point:
    """One point of the live timeline; a point nobody was present in has 0 viewers and seconds
    and no rate."""

    start: int  # unix seconds
    viewers: int  # distinct people with a presence period in the point
    present_seconds: float
    engaged_seconds: float  # by the meeting rule

    @property
    def rate(self) -> float | None:
        """The live engagement rate, engaged ÷ present seconds; None when nobody was present."""
        return self.engaged_seconds / self.present_seconds if self.present_seconds else None


@dataclass(frozen=True)
class Heatmap:
    span: Span
    states: dict[str, tuple[State, ...]]  # user id → one state a point of the span


MAX_ON_STAGE = 500
"""People listed in stage participation at most (the most seconds on stage first)."""


@dataclass(frozen=True)
class OnStage:
    """A person who was on stage in the room and period (or session)."""

    user_id: str
    name: str | None  # "first last" of the person's profile; None when it has neither
    role: str | None  # their latest session role (joinSession) up to the period's end, else usual
    on_stage_seconds: float
    present_seconds: float
    first_on_stage: int  # unix seconds of their first presence period on stage
    last_on_stage: int  # and of their last

    @property
    def share(self) -> float | None:
        """Of their time present, the share on stage."""
        return self.on_stage_seconds / self.present_seconds if self.present_seconds else None


@dataclass(frozen=True)
class Answer:
    answer: str
    participants: int  # people whose latest answer to the question this is
    rate: float | None  # participants ÷ the question's participants; None when nobody answered
    correct: bool | None  # quizzes: whether it is the correct answer; else None


@dataclass(frozen=True)
class Text:
    user_id: str
    answer: str
    time: int  # unix seconds


@dataclass(frozen=True)
class Interaction:
    poll_id: str
    question: str | None
    type: str | None  # poll, quiz, ratingScale, open or crowdVote
    launched_at: int  # unix seconds, its first launch in the range
    options: tuple[str, ...]
    correct_answer: str | None  # quizzes
    participants: int  # distinct people who answered it
    correct_share: float | None  # quizzes: share of participants whose latest answer is right
    answers: tuple[Answer, ...]  # the options in order (0 for none), then other answers given
    texts: tuple[Text, ...]  # open questions: every answer, in time order
    entry_id: str  # the room of its first launch (a channel's panel reads several)
    entry_name: str | None
