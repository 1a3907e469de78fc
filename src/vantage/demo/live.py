"""A session while its events are made: what each part of its events (chat, polls, Q&A …)
needs to know, and how much of each happens per kind of session."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from vantage.demo.frame import Frame
from vantage.demo.people import Habits
from vantage.demo.presence import Presence
from vantage.demo.school import School, SessionPlan, SessionRecord


@dataclass(frozen=True)
class Rates:
    """How much happens per person-hour of presence (polls: per session)."""

    chat: float
    private: float
    questions: float
    bursts_per_hour: float
    reactions: float
    raise_hand: float
    downloads: float  # per attendee
    polls: float  # mean polls per session


RATES = {
    "lecture": Rates(0.5, 0.08, 0.06, 4.0, 0.3, 0.06, 0.3, 1.8),
    "office": Rates(1.2, 0.15, 0.10, 1.0, 0.2, 0.8, 0.1, 0.0),
    "keynote": Rates(0.5, 0.05, 0.15, 10.0, 0.5, 0.005, 0.2, 2.5),
    "workshop": Rates(0.9, 0.10, 0.12, 4.0, 0.3, 0.2, 0.3, 1.5),
}
BREAKOUT_CHAT = 2.0  # messages per person-hour in breakout rooms


@dataclass(frozen=True)
class LiveSession:
    """One session: its plan, random stream, rooms (main room first, then breakout rooms; as
    frame contexts and as records) and who was present when."""

    plan: SessionPlan
    school: School
    frame: Frame
    rng: np.random.Generator
    ctxs: list[int]
    records: list[SessionRecord]
    presence: Presence

    @property
    def rates(self) -> Rates:
        return RATES[self.plan.kind]

    @property
    def habits(self) -> Habits:
        return self.school.habits

    def texts(self, lines: tuple[str, ...], n: int) -> pa.Array:
        """``n`` lines picked from ``lines``, about this session's topic."""
        pool = pa.array([line.format(topic=self.plan.topic) for line in lines], pa.string())
        return pool.take(pa.array(self.rng.integers(0, len(pool), n)))
