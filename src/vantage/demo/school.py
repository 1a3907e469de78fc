"""The demo school: its people, courses, rooms, virtual events and timetable.

Everything here is planned before any event is made: who exists, which rooms there are, which
sessions happen when and who may come to each. ``sessions`` then turns one planned session into
its events. A school is sized by its number of courses (``courses``); the natural demo school
has ``NATURAL_COURSES``, and ``courses_for(events)`` picks how many make about that many events.

Every random choice comes from a generator seeded by (seed, purpose, index), so a course,
person or session looks the same whatever else the school holds.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pyarrow as pa

from vantage.demo import words
from vantage.entities.model import (
    Category,
    Entry,
    EntryKind,
    RoomSession,
    User,
    VirtualEvent,
)

US = 1_000_000
MINUTE = 60 * US
HOUR = 60 * MINUTE
DAY = 24 * HOUR
WINDOW_DAYS = 120
LAST_END_MARGIN = 30 * MINUTE  # the newest session ends at least this long before ``now``
NATURAL_COURSES = 5

# Seeds of the independent random streams: (seed, purpose, index).
_PEOPLE, _COURSE, _ROSTER, _VE, _UPCOMING, _IDS = 1, 2, 3, 4, 5, 6

# Events one attendee makes per minute of a session, all types together. Worked out from the
# generator's own output (heartbeats every 10 s, late arrivals, early leavers, reconnects,
# interactions); it only steers how many courses a requested event count needs.
EVENTS_PER_PRESENT_MINUTE = 6.45


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def at_us(us: int) -> dt.datetime:
    """Unix microseconds as an aware datetime (exact, unlike float seconds)."""
    return _EPOCH + dt.timedelta(microseconds=int(us))


def _rng(seed: int, purpose: int, index: int = 0) -> np.random.Generator:
    return np.random.default_rng([seed, purpose, index])


def _base36(x: int, width: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    for _ in range(width):
        x, r = divmod(x, 36)
        out.append(digits[r])
    return "".join(reversed(out))


def kaltura_id(seed: int, n: int) -> str:
    """A Kaltura-looking id ('1_x7k2p9qa'), unique for each n < 36**8 and seed-dependent."""
    space = 36**8
    salt = (seed * 0x9E3779B1 + 0x5BD1E995) % space
    # multiplying by a number coprime to 36 is a bijection of [0, 36**8)
    return "1_" + _base36((n * 2_654_435_761 + salt) % space, 8)


# --- courses -----------------------------------------------------------------------------------


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
    code, dept, title, roster, minutes, weekday, hour, every, rooms, quiz, office = _TEMPLATES[
        index % len(_TEMPLATES)
    ]
    section = index // len(_TEMPLATES)
    if section:
        rng = _rng(seed, _COURSE, index)
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


OFFICE_MINUTES = 50
OFFICE_SIZE = (10, 20)
LECTURE_ATTENDANCE = 0.72  # mean share of a roster at a lecture, over the term


def _weekly(
    first_day: dt.date,
    weekday: int,
    hour: int,
    minute: int,
    until_us: int,
    duration_us: int,
    every: int = 1,
) -> list[tuple[int, int]]:
    """(week number, start in unix µs) of a weekly slot from ``first_day`` on, ending by
    ``until_us``; week 8 is the reading week with no classes."""
    day = first_day + dt.timedelta(days=(weekday - first_day.weekday()) % 7)
    out: list[tuple[int, int]] = []
    week = 0
    while True:
        start = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)
        start_us = int(start.timestamp()) * US
        if start_us + duration_us > until_us:
            return out
        if week != 8 and week % every == 0:
            out.append((week, start_us))
        week += 1
        day += dt.timedelta(days=7)


@dataclass(frozen=True)
class Clock:
    now_us: int
    window_start_us: int
    term_start: dt.date
    last_end_us: int

    @classmethod
    def at(cls, now: dt.datetime) -> Clock:
        if now.tzinfo is None or now.utcoffset() is None:
            raise ValueError("now must be a timezone-aware datetime")
        now = now.astimezone(dt.UTC)
        now_us = (now - _EPOCH) // dt.timedelta(microseconds=1)
        window_start = now_us - WINDOW_DAYS * DAY
        # the first class is at least three days into the window: time to set things up
        term_start = (now - dt.timedelta(days=WINDOW_DAYS - 4)).date()
        return cls(now_us, window_start, term_start, now_us - LAST_END_MARGIN)


def course_estimate(spec: CourseSpec, clock: Clock) -> float:
    lectures = len(
        _weekly(
            clock.term_start,
            spec.weekday,
            spec.hour,
            0,
            clock.last_end_us,
            (spec.minutes + 10) * MINUTE,
        )
    )
    office = len(
        _weekly(
            clock.term_start,
            (spec.weekday + 2) % 5,
            16,
            0,
            clock.last_end_us,
            (OFFICE_MINUTES + 10) * MINUTE,
            spec.office_every,
        )
    )
    per_lecture = spec.roster * LECTURE_ATTENDANCE * spec.minutes
    per_office = min(spec.roster, sum(OFFICE_SIZE) / 2) * OFFICE_MINUTES
    return (lectures * per_lecture + office * per_office) * EVENTS_PER_PRESENT_MINUTE


# --- virtual events ----------------------------------------------------------------------------

_VE_DAYS_AGO = (75, 9, 40, 103, 58, 24, 88, 16, 67, 33, 96, 50)
KEYNOTE_MINUTES = 60
WORKSHOP_MINUTES = 45


@dataclass(frozen=True)
class EventSpec:
    index: int
    id: int
    name: str
    description: str
    start_us: int
    audience: int  # keynote attendees
    workshops: tuple[str, ...]
    workshop_sizes: tuple[int, ...]


def event_spec(seed: int, index: int, clock: Clock) -> EventSpec:
    rng = _rng(seed, _VE, index)
    name, description = words.VIRTUAL_EVENTS[index % len(words.VIRTUAL_EVENTS)]
    if index >= len(words.VIRTUAL_EVENTS):
        name = f"{name} {index // len(words.VIRTUAL_EVENTS) + 1}"
    days_ago = _VE_DAYS_AGO[index % len(_VE_DAYS_AGO)] + index // len(_VE_DAYS_AGO)
    day = dt.datetime.fromtimestamp(clock.now_us / US - days_ago * 86_400, dt.UTC).date()
    start_us = int(dt.datetime(day.year, day.month, day.day, 15, tzinfo=dt.UTC).timestamp()) * US
    start_us = min(start_us, clock.last_end_us - 3 * HOUR)
    n_workshops = 2
    picks = rng.choice(len(words.WORKSHOPS), n_workshops, replace=False)
    return EventSpec(
        index=index,
        id=3001 + index,
        name=name,
        description=description,
        start_us=start_us,
        audience=int(rng.integers(180, 301)),
        workshops=tuple(words.WORKSHOPS[int(i)] for i in picks),
        workshop_sizes=tuple(int(x) for x in rng.integers(40, 81, n_workshops)),
    )


def event_estimate(spec: EventSpec) -> float:
    present = spec.audience * KEYNOTE_MINUTES * 0.95 + sum(spec.workshop_sizes) * WORKSHOP_MINUTES
    return present * EVENTS_PER_PRESENT_MINUTE


def events_for(courses: int) -> int:
    """Virtual events of a school with ``courses`` courses (2 in the natural school)."""
    return (2 * courses) // 5


def upcoming_size(courses: int) -> int:
    return min(300, 25 + 8 * courses)


def school_estimate(seed: int, courses: int, clock: Clock) -> float:
    total = sum(course_estimate(course_spec(seed, i), clock) for i in range(courses))
    total += sum(event_estimate(event_spec(seed, j, clock)) for j in range(events_for(courses)))
    return total + upcoming_size(courses) * 1.5


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


# --- people ------------------------------------------------------------------------------------

HOST, MODERATOR, SPEAKER, PARTICIPANT = 0, 1, 2, 3
PROFILE_FIELDS = ("first_name", "last_name", "email", "title", "company", "industry", "country")
ROLE_NAMES = ("host", "moderator", "speaker", "participant")


@dataclass
class People:
    """Every user of the school: entities, and per-person habits as arrays by user index."""

    users: list[User] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    _taken: set[str] = field(default_factory=set)

    def add(
        self,
        rng: np.random.Generator,
        clock: Clock,
        *,
        role: str,
        title: str,
        company: str | None = None,
        industry: str | None = None,
        country: str | None = None,
        domain: str | None = None,
        created_us: int | None = None,
    ) -> int:
        first = words.FIRST_NAMES[int(rng.integers(len(words.FIRST_NAMES)))]
        last = words.LAST_NAMES[int(rng.integers(len(words.LAST_NAMES)))]
        base = _ascii(f"{first}.{last}")
        local, n = base, 1
        domain = domain or words.SCHOOL_DOMAIN
        while f"{local}@{domain}" in self._taken:
            n += 1
            local = f"{base}{n}"
        email = f"{local}@{domain}"
        self._taken.add(email)
        if created_us is None:
            created_us = clock.window_start_us + int(rng.integers(0, 12 * HOUR))
        self.users.append(
            User(
                partner_id=0,  # set when stored
                id=email,
                first_name=first,
                last_name=last,
                email=email,
                title=title,
                company=company or words.SCHOOL,
                industry=industry or "Education",
                country=country or words.HOME_COUNTRY,
                role=role,
                created_at=at_us(created_us),
            )
        )
        self.ids.append(email)
        return len(self.users) - 1


def _ascii(name: str) -> str:
    table = str.maketrans(
        {"ü": "u", "á": "a", "é": "e", "í": "i", "ó": "o", "ú": "u", "'": "", "-": "", " ": ""}
    )
    return name.lower().translate(table)


@dataclass(frozen=True)
class Habits:
    """Per-person tendencies, indexed by user index."""

    attend: np.ndarray  # chance to come to a given lecture
    late: np.ndarray  # chance to arrive late
    early: np.ndarray  # chance to leave early
    drops: np.ndarray  # connection drops per hour
    chat: np.ndarray  # relative chattiness
    focus: np.ndarray  # chance the tab is focused at the start of a session
    fatigue: np.ndarray  # how fast focus decays, per hour
    sound: np.ndarray
    camera: np.ndarray
    full_screen: np.ndarray
    ability: np.ndarray  # chance to answer a quiz right


def _habits(seed: int, n: int, staff: np.ndarray) -> Habits:
    rng = _rng(seed, _PEOPLE, 1)
    camera = np.where(rng.random(n) < 0.3, rng.uniform(0.6, 0.95, n), rng.uniform(0.0, 0.12, n))
    h = Habits(
        attend=rng.beta(5.0, 1.3, n),
        late=rng.uniform(0.05, 0.4, n),
        early=rng.uniform(0.03, 0.25, n),
        drops=rng.exponential(0.25, n),
        chat=rng.lognormal(0.0, 0.9, n),
        focus=rng.uniform(0.55, 0.98, n),
        fatigue=rng.uniform(0.05, 0.6, n),
        sound=rng.uniform(0.8, 0.995, n),
        camera=camera,
        full_screen=rng.beta(1.0, 5.0, n),
        ability=rng.beta(4.0, 2.0, n),
    )
    h.attend[staff] = 1.0
    h.late[staff] = 0.0
    h.early[staff] = 0.0
    h.drops[staff] *= 0.3
    h.focus[staff] = 0.97
    h.fatigue[staff] = 0.05
    h.sound[staff] = 0.99
    h.camera[staff] = 0.9
    return h


# --- the plan ----------------------------------------------------------------------------------


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
        """Registration-form fields of every user, as columns by user index."""
        return {
            name: pa.array([getattr(u, name) for u in self.people.users], pa.string())
            for name in PROFILE_FIELDS
        }


class _Ids:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.n = 0

    def __call__(self) -> str:
        self.n += 1
        return kaltura_id(self.seed, self.n)


def build(seed: int, courses: int, clock: Clock) -> School:
    specs = [course_spec(seed, i) for i in range(courses)]
    ve_specs = [event_spec(seed, j, clock) for j in range(events_for(courses))]
    new_id = _Ids(seed)
    people = People()
    prng = _rng(seed, _PEOPLE)

    # staff
    instructors = [
        people.add(
            prng,
            clock,
            role="instructor",
            title=("Professor", "Associate Professor", "Lecturer")[i % 3],
        )
        for i in range(max(1, math.ceil(courses * 0.8)))
    ]
    tas = [
        people.add(prng, clock, role="teachingAssistant", title="Teaching Assistant")
        for _ in range(max(1, math.ceil(courses * 1.2)))
    ]
    organisers = [
        people.add(prng, clock, role="eventsOffice", title="Events Coordinator") for _ in range(2)
    ]
    guests = []
    for _ in range(3 + courses // 3):
        company, industry = words.COMPANIES[int(prng.integers(len(words.COMPANIES)))]
        guests.append(
            people.add(
                prng,
                clock,
                role="guestSpeaker",
                title="Guest Lecturer",
                company=company,
                industry=industry,
                country=words.COUNTRIES[int(prng.integers(len(words.COUNTRIES)))],
                domain=_domain(company),
            )
        )
    staff_n = len(people.ids)

    # students
    n_students = max(60, math.ceil(sum(s.roster for s in specs) / 1.8))
    students = np.array(
        [
            people.add(
                prng,
                clock,
                role="student",
                title="Student",
                country=words.HOME_COUNTRY
                if prng.random() < 0.8
                else words.COUNTRIES[int(prng.integers(len(words.COUNTRIES)))],
            )
            for _ in range(n_students)
        ]
    )

    # people from outside (virtual events, summer school)
    n_external = 40 + 230 * len(ve_specs)
    externals = []
    for _ in range(n_external):
        company, industry = words.COMPANIES[int(prng.integers(len(words.COMPANIES)))]
        externals.append(
            people.add(
                prng,
                clock,
                role="guest",
                title=words.EXTERNAL_TITLES[int(prng.integers(len(words.EXTERNAL_TITLES)))],
                company=company,
                industry=industry,
                country=words.COUNTRIES[int(prng.integers(len(words.COUNTRIES)))],
                domain=_domain(company),
            )
        )
    externals_arr = np.array(externals)
    habits = _habits(seed, len(people.ids), np.arange(staff_n))

    # categories
    categories: list[Category] = []
    cat_root = Category(partner_id=0, id=1001, name="Courses", full_name="Courses")
    categories.append(cat_root)
    dept_cat: dict[str, Category] = {}
    for i, (code, name) in enumerate(words.DEPARTMENTS.items()):
        dept_cat[code] = Category(
            partner_id=0, id=1101 + i, name=name, parent_id=cat_root.id, full_name=f"Courses>{name}"
        )
    used_depts = sorted({s.dept for s in specs}, key=list(words.DEPARTMENTS).index)
    categories += [dept_cat[d] for d in used_depts]
    events_root = Category(partner_id=0, id=1002, name="Events", full_name="Events")
    categories.append(events_root)

    entries: list[Entry] = []
    units: list[Unit] = []
    session_key = 0

    def room(
        name: str,
        *,
        creator: int,
        created_us: int,
        category: int,
        tags: list[str],
        admin_tags: list[str],
        live: bool = True,
        parent: str | None = None,
        virtual_event_id: int | None = None,
    ) -> str:
        entry_id = new_id()
        entries.append(
            Entry(
                partner_id=0,
                id=entry_id,
                name=name,
                kind=EntryKind.ROOM,
                creator_user_id=people.ids[creator],
                created_at=at_us(created_us),
                updated_at=at_us(created_us),
                media_type=201 if live else None,
                source_type=32 if live else None,
                admin_tags=admin_tags,
                tags=tags,
                category_ids=[category],
                parent_entry_id=parent,
                virtual_event_id=virtual_event_id,
            )
        )
        return entry_id

    # courses
    for spec in specs:
        crng = _rng(seed, _ROSTER, spec.index)
        cat = Category(
            partner_id=0,
            id=1201 + spec.index,
            name=spec.code,
            parent_id=dept_cat[spec.dept].id,
            full_name=f"Courses>{words.DEPARTMENTS[spec.dept]}>{spec.code}",
        )
        categories.append(cat)
        instructor = instructors[spec.index % len(instructors)]
        course_tas = [tas[(spec.index + k) % len(tas)] for k in range(1 + spec.index % 2)]
        course_tas = list(dict.fromkeys(course_tas))
        roster = np.sort(crng.choice(students, min(spec.roster, len(students)), replace=False))
        created = clock.window_start_us + int(crng.integers(12 * HOUR, 36 * HOUR))
        tags = [spec.code.lower(), words.DEPARTMENTS[spec.dept].lower()]
        lecture_room = room(
            f"{spec.code} {spec.title} — Lecture",
            creator=instructor,
            created_us=created,
            category=cat.id,
            tags=[*tags, "lecture"],
            admin_tags=["kalturameeting"],
        )
        office_room = room(
            f"{spec.code} Office Hours",
            creator=instructor,
            created_us=created,
            category=cat.id,
            tags=[*tags, "office-hours"],
            admin_tags=["kalturameeting"],
            live=False,
        )
        breakout_rooms = tuple(
            room(
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
        topics = words.COURSE_TOPICS[spec.dept]
        lectures = _weekly(
            clock.term_start,
            spec.weekday,
            spec.hour,
            0,
            clock.last_end_us,
            (spec.minutes + 10) * MINUTE,
        )
        guest_weeks = set(crng.choice(range(3, 15), spec.guest_lectures, replace=False).tolist())
        first_lecture_us = lectures[0][1] if lectures else None
        for n, (week, at) in enumerate(lectures):
            session_key += 1
            start = at + int(crng.integers(-2 * MINUTE, 4 * MINUTE))
            end = start + spec.minutes * MINUTE + int(crng.integers(-5 * MINUTE, 8 * MINUTE))
            breakout = None
            if spec.breakout_every and n % spec.breakout_every == spec.breakout_every - 1:
                breakout = Breakout(breakout_rooms, tuple(new_id() for _ in breakout_rooms))
            speakers = (guests[(spec.index + week) % len(guests)],) if week in guest_weeks else ()
            plan = SessionPlan(
                key=_key(spec.index, session_key),
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
                calendar = Registration(
                    lecture_room, None, roster, created, start - HOUR, 0.25, 0.0
                )
            units.append(Unit(start, plan.key, plan, calendar=calendar))
        for week, at in _weekly(
            clock.term_start,
            (spec.weekday + 2) % 5,
            16,
            0,
            clock.last_end_us,
            (OFFICE_MINUTES + 10) * MINUTE,
            spec.office_every,
        ):
            session_key += 1
            start = at + int(crng.integers(-MINUTE, 3 * MINUTE))
            end = start + OFFICE_MINUTES * MINUTE + int(crng.integers(-5 * MINUTE, 10 * MINUTE))
            host = course_tas[week % len(course_tas)] if week % 3 else instructor
            size = int(crng.integers(OFFICE_SIZE[0], OFFICE_SIZE[1] + 1))
            # the ones who struggle come more often
            weight = 1.2 - habits.ability[roster]
            who = np.sort(
                crng.choice(roster, min(size, len(roster)), replace=False, p=weight / weight.sum())
            )
            plan = SessionPlan(
                key=_key(spec.index, session_key),
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
            units.append(Unit(start, plan.key, plan))

    # virtual events
    virtual_events = []
    for ve in ve_specs:
        vrng = _rng(seed, _VE, 1000 + ve.index)
        ve_cat = Category(
            partner_id=0,
            id=1301 + ve.index,
            name=ve.name,
            parent_id=events_root.id,
            full_name=f"Events>{ve.name}",
        )
        categories.append(ve_cat)
        end_us = ve.start_us + (KEYNOTE_MINUTES + 15 + WORKSHOP_MINUTES + 10) * MINUTE
        virtual_events.append(
            VirtualEvent(
                partner_id=0,
                id=ve.id,
                name=ve.name,
                description=ve.description,
                starts_at=at_us(ve.start_us),
                ends_at=at_us(end_us),
            )
        )
        organiser = organisers[ve.index % len(organisers)]
        created = max(clock.window_start_us + HOUR, ve.start_us - 30 * DAY)
        tags = ["virtual-event", _slug(ve.name)]
        keynote_room = room(
            f"{ve.name} — Keynote",
            creator=organiser,
            created_us=created,
            category=ve_cat.id,
            tags=[*tags, "keynote"],
            admin_tags=["kalturameeting", "virtualevent"],
            virtual_event_id=ve.id,
        )
        n_students = int(ve.audience * 0.35)
        attendees = np.concatenate(
            [
                vrng.choice(students, min(n_students, len(students)), replace=False),
                vrng.choice(
                    externals_arr, ve.audience - min(n_students, len(students)), replace=False
                ),
            ]
        )
        outsiders = np.setdiff1d(externals_arr, attendees)
        no_shows = vrng.choice(
            outsiders, min(len(outsiders), int(ve.audience * 0.3)), replace=False
        )
        registered = attendees[vrng.random(len(attendees)) < 0.85]  # the rest walk in
        registrants = np.concatenate([registered, no_shows])
        first_reg = max(clock.window_start_us + HOUR, ve.start_us - 21 * DAY)
        registration = Registration(
            keynote_room, ve.id, registrants, first_reg, ve.start_us - 15 * MINUTE, 0.4, 0.15
        )
        speaker = guests[ve.index % len(guests)]
        session_key += 1
        keynote = SessionPlan(
            key=_key(10_000 + ve.index, session_key),
            id=new_id(),
            kind="keynote",
            entry_id=keynote_room,
            start_us=ve.start_us,
            end_us=ve.start_us + KEYNOTE_MINUTES * MINUTE + int(vrng.integers(0, 6 * MINUTE)),
            host=organiser,
            moderators=(organisers[(ve.index + 1) % len(organisers)], tas[ve.index % len(tas)]),
            speakers=(speaker, instructors[ve.index % len(instructors)]),
            roster=np.sort(attendees),
            all_attend=True,
            topic=ve.name,
            week=1,
            course_code=_slug(ve.name),
            quiz_share=0.0,
            virtual_event_id=ve.id,
        )
        units.append(Unit(ve.start_us, keynote.key, keynote, registration=registration))
        w_start = ve.start_us + (KEYNOTE_MINUTES + 15) * MINUTE
        for k, (name, size) in enumerate(zip(ve.workshops, ve.workshop_sizes, strict=True)):
            w_room = room(
                f"{ve.name} — {name}",
                creator=organiser,
                created_us=created,
                category=ve_cat.id,
                tags=[*tags, "workshop"],
                admin_tags=["kalturameeting", "virtualevent"],
                virtual_event_id=ve.id,
            )
            session_key += 1
            workshop = SessionPlan(
                key=_key(10_000 + ve.index, session_key),
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
                course_code=_slug(ve.name),
                quiz_share=0.0,
                virtual_event_id=ve.id,
            )
            units.append(Unit(w_start, workshop.key, workshop))

    # a summer school that has not started yet: registrations only, nobody has joined
    urng = _rng(seed, _UPCOMING)
    summer_cat = Category(
        partner_id=0,
        id=1199,
        name="Summer School",
        parent_id=cat_root.id,
        full_name="Courses>Summer School",
    )
    categories.append(summer_cat)
    created = clock.now_us - 20 * DAY
    upcoming_room = room(
        "Summer School: Introduction to Data Science",
        creator=instructors[0],
        created_us=created,
        category=summer_cat.id,
        tags=["summer-school", "data-science"],
        admin_tags=["kalturameeting"],
    )
    size = upcoming_size(courses)
    n_st = min(len(students), int(size * 0.6))
    registrants = np.concatenate(
        [
            urng.choice(students, n_st, replace=False),
            urng.choice(externals_arr, min(len(externals_arr), size - n_st), replace=False),
        ]
    )
    units.append(
        Unit(
            clock.now_us - HOUR,
            _key(20_000, 0),
            registration=Registration(
                upcoming_room,
                None,
                registrants,
                created + HOUR,
                clock.now_us - 2 * HOUR,
                0.35,
                0.08,
            ),
        )
    )

    for u in people.users:
        u.partner_id = 0
    units.sort(key=lambda u: (-u.time_us, u.session.id if u.session else ""))
    return School(clock, courses, people, habits, categories, entries, virtual_events, units)


def _key(group: int, n: int) -> int:
    return group * 1_000_000 + n


def _domain(company: str) -> str:
    return _ascii(company).replace(".", "") + ".example"


def _slug(name: str) -> str:
    return "-".join(name.lower().split())


def with_partner(school: School, partner_id: int) -> dict[str, list]:
    """The school's entities, owned by ``partner_id``, by entity kind name."""

    def own(items: list) -> list:
        out = []
        for item in items:
            item.partner_id = partner_id
            out.append(item)
        return out

    return {
        "users": own(school.people.users),
        "categories": own(school.categories),
        "entries": own(school.entries),
        "virtual-events": own(school.virtual_events),
    }


def room_session(
    partner_id: int, session_id: str, entry_id: str, start_us: int, end_us: int, host: str
) -> RoomSession:
    return RoomSession(
        partner_id=partner_id,
        id=session_id,
        entry_id=entry_id,
        start_time=at_us(start_us),
        end_time=at_us(end_us),
        host_user_id=host,
    )
