"""What each course and virtual event is and when it meets, before anyone takes part.

Specs are cheap and depend only on (seed, index), so the school's size can be estimated from
them (``sizing``) before the school is built.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from vantage.demo import names
from vantage.demo.clock import HOUR, MINUTE, US, Clock, weekly
from vantage.demo.streams import COURSE, VIRTUAL_EVENT, stream

OFFICE_MINUTES = 50
OFFICE_SIZE = (10, 20)  # fewest and most students at office hours
KEYNOTE_MINUTES = 60
WORKSHOP_MINUTES = 45


@dataclass(frozen=True)
class CourseSpec:
    """What a course is, before anyone is enrolled: enough to estimate its events."""

    index: int
    code: str
    dept: str
    title: str
    roster: int
    minutes: int
    weekday: int  # 0 = Monday
    hour: int
    breakout_every: int  # 0: never; n: every n-th lecture
    breakout_rooms: int
    quiz_share: float  # share of the course's polls that are quizzes
    office_every: int  # office hours every n weeks
    guest_lectures: int


_TEMPLATES = (
    # code, dept, title, roster, minutes, weekday, hour, breakout_every, rooms, quiz, office
    ("BIO-101", "BIO", "Introduction to Cell Biology", 45, 60, 1, 14, 2, 4, 0.6, 1),
    ("CS-220", "CS", "Data Structures and Algorithms", 80, 75, 0, 10, 0, 0, 0.5, 1),
    ("ECON-150", "ECON", "Principles of Microeconomics", 60, 50, 2, 11, 3, 4, 0.3, 2),
    ("HIST-210", "HIST", "Modern European History", 25, 110, 3, 9, 1, 3, 0.1, 2),
    ("MATH-240", "MATH", "Linear Algebra", 40, 50, 4, 13, 0, 0, 0.8, 2),
)


def course_spec(seed: int, index: int) -> CourseSpec:
    """The ``index``-th course: a template, varied for its second and later sections."""
    code, dept, title, roster, minutes, weekday, hour, every, rooms, quiz, office = _TEMPLATES[
        index % len(_TEMPLATES)
    ]
    section = index // len(_TEMPLATES)
    if section:
        rng = stream(seed, COURSE, index)
        code = f"{code}-S{section + 1}"
        title = f"{title} (Section {section + 1})"
        roster = int(np.clip(round(roster * rng.uniform(0.7, 1.4)), 12, 300))
        minutes = int(np.clip(minutes + rng.integers(-10, 16), 45, 120))
        weekday = int((weekday + section) % 5)
        hour = int(9 + (hour - 9 + 2 * section) % 9)
    return CourseSpec(
        index=index,
        code=code,
        dept=dept,
        title=title,
        roster=roster,
        minutes=minutes,
        weekday=weekday,
        hour=hour,
        breakout_every=every,
        breakout_rooms=rooms,
        quiz_share=quiz,
        office_every=office,
        guest_lectures=2 if index % 2 == 1 else 0,
    )


def lecture_slots(spec: CourseSpec, clock: Clock) -> list[tuple[int, int]]:
    """(week, start) of the course's lectures; a slot has ten minutes to spare."""
    duration = (spec.minutes + 10) * MINUTE
    return weekly(clock.term_start, spec.weekday, spec.hour, clock.last_end_us, duration)


def office_slots(spec: CourseSpec, clock: Clock) -> list[tuple[int, int]]:
    """(week, start) of the course's office hours: two weekdays after the lecture, at four."""
    return weekly(
        clock.term_start,
        (spec.weekday + 2) % 5,
        16,
        clock.last_end_us,
        (OFFICE_MINUTES + 10) * MINUTE,
        spec.office_every,
    )


@dataclass(frozen=True)
class EventSpec:
    """A virtual event: a keynote, then workshops at the same time."""

    index: int
    id: int
    name: str
    description: str
    start_us: int
    audience: int  # keynote attendees
    workshops: tuple[str, ...]
    workshop_sizes: tuple[int, ...]


_DAYS_AGO = (75, 9, 40, 103, 58, 24, 88, 16, 67, 33, 96, 50)


def event_spec(seed: int, index: int, clock: Clock) -> EventSpec:
    rng = stream(seed, VIRTUAL_EVENT, index)
    name, description = names.VIRTUAL_EVENTS[index % len(names.VIRTUAL_EVENTS)]
    if index >= len(names.VIRTUAL_EVENTS):
        name = f"{name} {index // len(names.VIRTUAL_EVENTS) + 1}"
    days_ago = _DAYS_AGO[index % len(_DAYS_AGO)] + index // len(_DAYS_AGO)
    day = dt.datetime.fromtimestamp(clock.now_us / US - days_ago * 86_400, dt.UTC).date()
    start_us = int(dt.datetime(day.year, day.month, day.day, 15, tzinfo=dt.UTC).timestamp()) * US
    start_us = min(start_us, clock.last_end_us - 3 * HOUR)
    n_workshops = 2
    picks = rng.choice(len(names.WORKSHOPS), n_workshops, replace=False)
    return EventSpec(
        index=index,
        id=3001 + index,
        name=name,
        description=description,
        start_us=start_us,
        audience=int(rng.integers(180, 301)),
        workshops=tuple(names.WORKSHOPS[int(i)] for i in picks),
        workshop_sizes=tuple(int(x) for x in rng.integers(40, 81, n_workshops)),
    )


def events_for(courses: int) -> int:
    """Virtual events of a school with ``courses`` courses: 3 in the natural school, so that
    ``make run``'s demo has several for the chat and collaboration reports, read per event."""
    return (2 * courses) // 5 + 1


def upcoming_size(courses: int) -> int:
    """Registrants of the summer school that has not started yet."""
    return min(300, 25 + 8 * courses)
