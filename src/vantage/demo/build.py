"""``build_school``: plan a whole school of a given number of courses, from people to the
timetable of every unit of events, newest first."""

from __future__ import annotations

from vantage.demo import names
from vantage.demo.clock import Clock
from vantage.demo.courses import plan_course
from vantage.demo.people import populate
from vantage.demo.planner import Planner, category
from vantage.demo.school import School
from vantage.demo.specs import course_spec, event_spec, events_for, upcoming_size
from vantage.demo.summer_school import plan_summer_school
from vantage.demo.virtual_events import plan_virtual_event


def build_school(seed: int, courses: int, clock: Clock) -> School:
    specs = [course_spec(seed, i) for i in range(courses)]
    ve_specs = [event_spec(seed, j, clock) for j in range(events_for(courses))]
    cast = populate(seed, clock, courses, sum(s.roster for s in specs), len(ve_specs))
    planner = Planner(seed, clock, cast)

    root = category(1001, "Courses")
    departments = {
        code: category(1101 + i, name, root)
        for i, (code, name) in enumerate(names.DEPARTMENTS.items())
    }
    used = sorted({s.dept for s in specs}, key=list(names.DEPARTMENTS).index)
    events_root = category(1002, "Events")
    planner.categories += [root, *(departments[d] for d in used), events_root]

    for spec in specs:
        plan_course(planner, spec, departments[spec.dept])
    for ve in ve_specs:
        plan_virtual_event(planner, ve, events_root)
    plan_summer_school(planner, root, upcoming_size(courses))

    units = sorted(planner.units, key=lambda u: (-u.time_us, u.session.id if u.session else ""))
    return School(
        clock,
        courses,
        cast.people,
        cast.habits,
        planner.categories,
        planner.entries,
        planner.virtual_events,
        units,
    )
