"""The planned school: what exists (people, categories, rooms, virtual events) and the units of
events to make, with everything a session needs to be turned into events; and the school's
entities as the store takes them.

``build`` makes a School; ``units`` turns each of its units into events.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa

from vantage.demo import names
from vantage.demo.clock import Clock, at_us
from vantage.demo.people import PROFILE_FIELDS, Habits, People
from vantage.entities.model import Category, Entry, RoomSession, VirtualEvent


@dataclass(frozen=True)
class Breakout:
    entry_ids: tuple[str, ...]
    session_ids: tuple[str, ...]  # one per entry; unused ones are never stored


@dataclass(frozen=True)
class Registration:
    """People registering for a room before it starts; ``attendees`` of them will come."""

    entry_id: str
    virtual_event_id: int | None
    registrants: np.ndarray  # user indices
    first_us: int
    last_us: int
    calendar_share: float
    unregister_share: float  # of those who will not come


@dataclass(frozen=True)
class SessionPlan:
    key: int  # seeds this session's random stream
    id: str
    kind: str  # lecture, office, keynote, workshop
    entry_id: str
    start_us: int
    end_us: int
    host: int
    moderators: tuple[int, ...]
    speakers: tuple[int, ...]
    roster: np.ndarray  # user indices who may come as participants
    all_attend: bool  # virtual-event sessions: everyone on the roster comes
    topic: str
    week: int
    course_code: str
    quiz_share: float
    breakout: Breakout | None = None
    virtual_event_id: int | None = None


@dataclass(frozen=True)
class Unit:
    """What the generator writes in one go: a session, things people did before it, or both."""

    time_us: int
    key: int  # seeds the unit's random streams
    session: SessionPlan | None = None
    registration: Registration | None = None
    calendar: Registration | None = None


def unit_key(group: int, n: int) -> int:
    """A unit's key: its group (course, virtual event …) and its number in the school."""
    return group * 1_000_000 + n


@dataclass
class School:
    clock: Clock
    courses: int
    people: People
    habits: Habits
    categories: list[Category]
    entries: list[Entry]
    virtual_events: list[VirtualEvent]
    units: list[Unit]  # newest first

    @property
    def user_ids(self) -> list[str]:
        return self.people.ids

    @cached_property
    def profiles(self) -> dict[str, pa.Array]:
        """Registration-form fields of every user, as columns by user index (the job role is the
        one the form asks for, by title)."""
        users = self.people.users
        return {
            **{
                name: pa.array([getattr(u, name) for u in users], pa.string())
                for name in PROFILE_FIELDS
            },
            "job_role": pa.array([names.JOB_ROLES.get(u.title or "") for u in users], pa.string()),
        }


@dataclass(frozen=True)
class SessionRecord:
    """A session that took place (breakout sessions included), as the store will keep it."""

    id: str
    entry_id: str
    start_us: int
    end_us: int
    host: int


def with_partner(school: School, partner_id: int) -> dict[str, list]:
    """The school's entities, owned by ``partner_id``, by entity kind name."""
    return {
        "users": owned(school.people.users, partner_id),
        "categories": owned(school.categories, partner_id),
        "entries": owned(school.entries, partner_id),
        "virtual-events": owned(school.virtual_events, partner_id),
    }


def owned(items: list, partner_id: int) -> list:
    """``items``, now owned by ``partner_id`` (planned entities have partner 0 until stored)."""
    for item in items:
        item.partner_id = partner_id
    return items


def room_session(partner_id: int, record: SessionRecord, host: str) -> RoomSession:
    return RoomSession(
        partner_id=partner_id,
        id=record.id,
        entry_id=record.entry_id,
        start_time=at_us(record.start_us),
        end_time=at_us(record.end_us),
        host_user_id=host,
    )
