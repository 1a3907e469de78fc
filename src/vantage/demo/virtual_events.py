"""A virtual event in the plan: its category and rooms, a keynote that students and outside
guests registered for (some never come), then workshops for part of the keynote's audience."""

from __future__ import annotations

import numpy as np

from vantage.demo.clock import DAY, HOUR, MINUTE, at_us
from vantage.demo.planner import EVENT_CATEGORIES, Planner, category
from vantage.demo.school import Registration, SessionPlan, Unit
from vantage.demo.specs import KEYNOTE_MINUTES, WORKSHOP_MINUTES, EventSpec
from vantage.demo.streams import VIRTUAL_EVENT, stream
from vantage.entities.model import Category, VirtualEvent


def plan_virtual_event(planner: Planner, ve: EventSpec, events: Category) -> None:
    clock, cast, new_id = planner.clock, planner.cast, planner.new_id
    vrng = stream(planner.seed, VIRTUAL_EVENT, 1000 + ve.index)
    ve_cat = category(EVENT_CATEGORIES + ve.index, ve.name, events)
    planner.categories.append(ve_cat)
    end_us = ve.start_us + (KEYNOTE_MINUTES + 15 + WORKSHOP_MINUTES + 10) * MINUTE
    planner.virtual_events.append(
        VirtualEvent(
            partner_id=0,
            id=ve.id,
            name=ve.name,
            description=ve.description,
            starts_at=at_us(ve.start_us),
            ends_at=at_us(end_us),
        )
    )
    organisers, instructors = cast.organisers, cast.instructors
    organiser = organisers[ve.index % len(organisers)]
    created = max(clock.window_start_us + HOUR, ve.start_us - 30 * DAY)
    slug = _slug(ve.name)
    tags = ["virtual-event", slug]
    keynote_room = planner.room(
        f"{ve.name} — Keynote",
        creator=organiser,
        created_us=created,
        category=ve_cat.id,
        tags=[*tags, "keynote"],
        admin_tags=["kalturameeting", "virtualevent"],
        virtual_event_id=ve.id,
    )

    students, externals = cast.students, cast.externals
    n_students = min(int(ve.audience * 0.35), len(students))
    attendees = np.concatenate(
        [
            vrng.choice(students, n_students, replace=False),
            vrng.choice(externals, ve.audience - n_students, replace=False),
        ]
    )
    outsiders = np.setdiff1d(externals, attendees)
    no_shows = vrng.choice(outsiders, min(len(outsiders), int(ve.audience * 0.3)), replace=False)
    registered = attendees[vrng.random(len(attendees)) < 0.85]  # the rest walk in
    registrants = np.concatenate([registered, no_shows])
    first_reg = max(clock.window_start_us + HOUR, ve.start_us - 21 * DAY)
    registration = Registration(
        keynote_room, ve.id, registrants, first_reg, ve.start_us - 15 * MINUTE, 0.4, 0.15
    )
    speaker = cast.guests[ve.index % len(cast.guests)]
    keynote = SessionPlan(
        key=planner.session_key(10_000 + ve.index),
        id=new_id(),
        kind="keynote",
        entry_id=keynote_room,
        start_us=ve.start_us,
        end_us=ve.start_us + KEYNOTE_MINUTES * MINUTE + int(vrng.integers(0, 6 * MINUTE)),
        host=organiser,
        moderators=(
            organisers[(ve.index + 1) % len(organisers)],
            cast.tas[ve.index % len(cast.tas)],
        ),
        speakers=(speaker, instructors[ve.index % len(instructors)]),
        roster=np.sort(attendees),
        all_attend=True,
        topic=ve.name,
        week=1,
        course_code=slug,
        quiz_share=0.0,
        virtual_event_id=ve.id,
    )
    planner.units.append(Unit(ve.start_us, keynote.key, keynote, registration=registration))

    w_start = ve.start_us + (KEYNOTE_MINUTES + 15) * MINUTE
    for k, (name, size) in enumerate(zip(ve.workshops, ve.workshop_sizes, strict=True)):
        w_room = planner.room(
            f"{ve.name} — {name}",
            creator=organiser,
            created_us=created,
            category=ve_cat.id,
            tags=[*tags, "workshop"],
            admin_tags=["kalturameeting", "virtualevent"],
            virtual_event_id=ve.id,
        )
        workshop = SessionPlan(
            key=planner.session_key(10_000 + ve.index),
            id=new_id(),
            kind="workshop",
            entry_id=w_room,
            start_us=w_start,
            end_us=w_start + WORKSHOP_MINUTES * MINUTE + int(vrng.integers(0, 8 * MINUTE)),
            host=instructors[(ve.index + k + 1) % len(instructors)],
            moderators=(organiser,),
            speakers=(),
            roster=np.sort(vrng.choice(attendees, size, replace=False)),
            all_attend=True,
            topic=name,
            week=1,
            course_code=slug,
            quiz_share=0.0,
            virtual_event_id=ve.id,
        )
        planner.units.append(Unit(w_start, workshop.key, workshop))


def _slug(name: str) -> str:
    return "-".join(name.lower().split())
