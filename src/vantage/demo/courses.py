"""A course in the plan: its category and rooms, weekly lectures (some with breakout rooms,
some with a guest speaker) and office hours, which the students who struggle visit most."""

from __future__ import annotations

import numpy as np

from vantage.demo import names
from vantage.demo.clock import HOUR, MINUTE
from vantage.demo.planner import COURSE_CATEGORIES, Planner, category
from vantage.demo.school import Breakout, Registration, SessionPlan, Unit
from vantage.demo.specs import (
    OFFICE_MINUTES,
    OFFICE_SIZE,
    CourseSpec,
    lecture_slots,
    office_slots,
)
from vantage.demo.streams import ROSTER, stream
from vantage.entities.model import Category


def plan_course(planner: Planner, spec: CourseSpec, department: Category) -> None:
    clock, cast, new_id = planner.clock, planner.cast, planner.new_id
    crng = stream(planner.seed, ROSTER, spec.index)
    cat = category(COURSE_CATEGORIES + spec.index, spec.code, department)
    planner.categories.append(cat)
    instructor = cast.instructors[spec.index % len(cast.instructors)]
    course_tas = [cast.tas[(spec.index + k) % len(cast.tas)] for k in range(1 + spec.index % 2)]
    course_tas = list(dict.fromkeys(course_tas))
    students = cast.students
    roster = np.sort(crng.choice(students, min(spec.roster, len(students)), replace=False))
    created = clock.window_start_us + int(crng.integers(12 * HOUR, 36 * HOUR))
    tags = [spec.code.lower(), names.DEPARTMENTS[spec.dept].lower()]
    lecture_room = planner.room(
        f"{spec.code} {spec.title} — Lecture",
        creator=instructor,
        created_us=created,
        category=cat.id,
        tags=[*tags, "lecture"],
        admin_tags=["kalturameeting"],
    )
    office_room = planner.room(
        f"{spec.code} Office Hours",
        creator=instructor,
        created_us=created,
        category=cat.id,
        tags=[*tags, "office-hours"],
        admin_tags=["kalturameeting"],
        live=False,
    )
    breakout_rooms = tuple(
        planner.room(
            f"{spec.code} Breakout Room {k + 1}",
            creator=instructor,
            created_us=created,
            category=cat.id,
            tags=[*tags, "breakout"],
            admin_tags=["kalturameeting", "breakout"],
            live=False,
            parent=lecture_room,
        )
        for k in range(spec.breakout_rooms if spec.breakout_every else 0)
    )
    topics = names.COURSE_TOPICS[spec.dept]
    lectures = lecture_slots(spec, clock)
    guest_weeks = set(crng.choice(range(3, 15), spec.guest_lectures, replace=False).tolist())
    guests = cast.guests
    first_lecture_us = lectures[0][1] if lectures else None
    for n, (week, at) in enumerate(lectures):
        key = planner.session_key(spec.index)
        start = at + int(crng.integers(-2 * MINUTE, 4 * MINUTE))
        end = start + spec.minutes * MINUTE + int(crng.integers(-5 * MINUTE, 8 * MINUTE))
        breakout = None
        if spec.breakout_every and n % spec.breakout_every == spec.breakout_every - 1:
            breakout = Breakout(breakout_rooms, tuple(new_id() for _ in breakout_rooms))
        speakers = (guests[(spec.index + week) % len(guests)],) if week in guest_weeks else ()
        plan = SessionPlan(
            key=key,
            id=new_id(),
            kind="lecture",
            entry_id=lecture_room,
            start_us=start,
            end_us=end,
            host=instructor,
            moderators=tuple(course_tas),
            speakers=speakers,
            roster=roster,
            all_attend=False,
            topic=topics[week % len(topics)],
            week=week + 1,
            course_code=spec.code,
            quiz_share=spec.quiz_share,
            breakout=breakout,
        )
        calendar = None
        if at == first_lecture_us:
            calendar = Registration(lecture_room, None, roster, created, start - HOUR, 0.25, 0.0)
        planner.units.append(Unit(start, plan.key, plan, calendar=calendar))

    for week, at in office_slots(spec, clock):
        key = planner.session_key(spec.index)
        start = at + int(crng.integers(-MINUTE, 3 * MINUTE))
        end = start + OFFICE_MINUTES * MINUTE + int(crng.integers(-5 * MINUTE, 10 * MINUTE))
        host = course_tas[week % len(course_tas)] if week % 3 else instructor
        size = int(crng.integers(OFFICE_SIZE[0], OFFICE_SIZE[1] + 1))
        # the ones who struggle come more often
        weight = 1.2 - cast.habits.ability[roster]
        who = np.sort(
            crng.choice(roster, min(size, len(roster)), replace=False, p=weight / weight.sum())
        )
        plan = SessionPlan(
            key=key,
            id=new_id(),
            kind="office",
            entry_id=office_room,
            start_us=start,
            end_us=end,
            host=host,
            moderators=(),
            speakers=(),
            roster=who,
            all_attend=True,
            topic=topics[week % len(topics)],
            week=week + 1,
            course_code=spec.code,
            quiz_share=0.0,
        )
        planner.units.append(Unit(start, plan.key, plan))
