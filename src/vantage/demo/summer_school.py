"""The summer school in the plan: it has not started, so there are only its room and the
registrations for it, from students and outside guests."""

from __future__ import annotations

import numpy as np

from vantage.demo.clock import DAY, HOUR
from vantage.demo.planner import Planner, category
from vantage.demo.school import Registration, Unit, unit_key
from vantage.demo.streams import UPCOMING, stream
from vantage.entities.model import Category


def plan_summer_school(planner: Planner, parent: Category, size: int) -> None:
    """The summer school under category ``parent``, with ``size`` registrants."""
    clock, cast = planner.clock, planner.cast
    rng = stream(planner.seed, UPCOMING)
    summer_cat = category(1199, "Summer School", parent)
    planner.categories.append(summer_cat)
    created = clock.now_us - 20 * DAY
    room = planner.room(
        "Summer School: Introduction to Data Science",
        creator=cast.instructors[0],
        created_us=created,
        category=summer_cat.id,
        tags=["summer-school", "data-science"],
        admin_tags=["kalturameeting"],
    )
    students, externals = cast.students, cast.externals
    n_students = min(len(students), int(size * 0.6))
    registrants = np.concatenate(
        [
            rng.choice(students, n_students, replace=False),
            rng.choice(externals, min(len(externals), size - n_students), replace=False),
        ]
    )
    registration = Registration(
        room, None, registrants, created + HOUR, clock.now_us - 2 * HOUR, 0.35, 0.08
    )
    planner.units.append(Unit(clock.now_us - HOUR, unit_key(20_000, 0), registration=registration))
