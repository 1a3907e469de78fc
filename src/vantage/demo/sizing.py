"""How big a school to plan: the natural one, or the fewest courses that make about a requested
number of events, estimated from the specs alone."""

from __future__ import annotations

from vantage.demo.clock import Clock
from vantage.demo.specs import (
    KEYNOTE_MINUTES,
    OFFICE_MINUTES,
    OFFICE_SIZE,
    WORKSHOP_MINUTES,
    CourseSpec,
    EventSpec,
    course_spec,
    event_spec,
    events_for,
    lecture_slots,
    office_slots,
)

NATURAL_COURSES = 5
LECTURE_ATTENDANCE = 0.72  # mean share of a roster at a lecture, over the term

# Events one attendee makes per minute of a session, all types together. Worked out from the
# generator's own output (heartbeats every 10 s, late arrivals, early leavers, reconnects,
# interactions); it only steers how many courses a requested event count needs.
EVENTS_PER_PRESENT_MINUTE = 6.45


def course_estimate(spec: CourseSpec, clock: Clock) -> float:
    lectures = len(lecture_slots(spec, clock))
    office = len(office_slots(spec, clock))
    per_lecture = spec.roster * LECTURE_ATTENDANCE * spec.minutes
    per_office = min(spec.roster, sum(OFFICE_SIZE) / 2) * OFFICE_MINUTES
    return (lectures * per_lecture + office * per_office) * EVENTS_PER_PRESENT_MINUTE


def event_estimate(spec: EventSpec) -> float:
    present = spec.audience * KEYNOTE_MINUTES * 0.95 + sum(spec.workshop_sizes) * WORKSHOP_MINUTES
    return present * EVENTS_PER_PRESENT_MINUTE


def courses_for(seed: int, events: int, clock: Clock) -> int:
    """The fewest courses whose school makes comfortably more than ``events`` events (the
    generator stops at the first session boundary past ``events``)."""
    goal = events * 1.08
    total, courses, ves = 0.0, 0, 0
    while True:
        courses += 1
        total += course_estimate(course_spec(seed, courses - 1), clock)
        while ves < events_for(courses):
            total += event_estimate(event_spec(seed, ves, clock))
            ves += 1
        if total >= goal or courses >= 100_000:
            return courses
