"""The school's people: who they are (users with unique emails), what they do there (staff,
students, outside guests) and their habits, which steer how they behave in sessions."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from vantage.demo import names
from vantage.demo.clock import HOUR, Clock, at_us
from vantage.demo.streams import PEOPLE, stream
from vantage.entities.model import User

# roles in a session
HOST, MODERATOR, SPEAKER, PARTICIPANT = 0, 1, 2, 3
ROLE_NAMES = ("host", "moderator", "speaker", "participant")
PROFILE_FIELDS = ("first_name", "last_name", "email", "title", "company", "industry", "country")


@dataclass
class People:
    """Every user of the school, by user index."""

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
        """A new person with a random name; their user index."""
        first = names.FIRST_NAMES[int(rng.integers(len(names.FIRST_NAMES)))]
        last = names.LAST_NAMES[int(rng.integers(len(names.LAST_NAMES)))]
        base = _ascii(f"{first}.{last}")
        local, n = base, 1
        domain = domain or names.SCHOOL_DOMAIN
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
                company=company or names.SCHOOL,
                industry=industry or "Education",
                country=country or names.HOME_COUNTRY,
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


def _domain(company: str) -> str:
    return _ascii(company).replace(".", "") + ".example"


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
    rng = stream(seed, PEOPLE, 1)
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


@dataclass(frozen=True)
class Cast:
    """Everyone in the school and their habits; the lists hold user indices by what people do."""

    people: People
    habits: Habits
    instructors: list[int]
    tas: list[int]
    organisers: list[int]
    guests: list[int]  # guest speakers
    students: np.ndarray
    externals: np.ndarray  # people from outside: virtual events, summer school


def populate(seed: int, clock: Clock, courses: int, seats: int, virtual_events: int) -> Cast:
    """The people of a school with ``courses`` courses of ``seats`` places in all."""
    people = People()
    rng = stream(seed, PEOPLE)

    def outsider(role: str, title: str | None = None) -> int:
        """Someone from a company; ``title`` None: a random job title."""
        company, industry = names.COMPANIES[int(rng.integers(len(names.COMPANIES)))]
        if title is None:
            title = names.EXTERNAL_TITLES[int(rng.integers(len(names.EXTERNAL_TITLES)))]
        return people.add(
            rng,
            clock,
            role=role,
            title=title,
            company=company,
            industry=industry,
            country=names.COUNTRIES[int(rng.integers(len(names.COUNTRIES)))],
            domain=_domain(company),
        )

    instructors = [
        people.add(
            rng,
            clock,
            role="instructor",
            title=("Professor", "Associate Professor", "Lecturer")[i % 3],
        )
        for i in range(max(1, math.ceil(courses * 0.8)))
    ]
    tas = [
        people.add(rng, clock, role="teachingAssistant", title="Teaching Assistant")
        for _ in range(max(1, math.ceil(courses * 1.2)))
    ]
    organisers = [
        people.add(rng, clock, role="eventsOffice", title="Events Coordinator") for _ in range(2)
    ]
    guests = [outsider("guestSpeaker", "Guest Lecturer") for _ in range(3 + courses // 3)]
    staff_n = len(people.ids)

    n_students = max(60, math.ceil(seats / 1.8))
    students = np.array(
        [
            people.add(
                rng,
                clock,
                role="student",
                title="Student",
                country=names.HOME_COUNTRY
                if rng.random() < 0.8
                else names.COUNTRIES[int(rng.integers(len(names.COUNTRIES)))],
            )
            for _ in range(n_students)
        ]
    )
    externals = np.array([outsider("guest") for _ in range(40 + 230 * virtual_events)])
    habits = _habits(seed, len(people.ids), np.arange(staff_n))
    return Cast(people, habits, instructors, tas, organisers, guests, students, externals)
