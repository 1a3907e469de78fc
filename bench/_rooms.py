"""The issue's three room shapes for ``bench/dashboard.py``, added to a copy of a store.

Issue 11 asks for the dashboard's speed on

* (a) one room with one session of 500 attendees, 90 minutes (a keynote: most stay 60 to 90
  minutes, some come late, leave early or drop out and come back);
* (b) one room with 100 sessions of 30 attendees, 60-minute lectures, two a day over 50 days;
* (c) a category of 200 rooms, each with 3 workshops of 15 attendees, 45 minutes, over 30 days;

on the demo school's store and on a store of 35 M room events. Each session's events are the
demo's own (``vantage.demo.session``: joins and leaves, a ``viewPeriod`` every 10 s with the
engagement flags, raised hands, chat, reactions, polls with answers, Q&A, downloads), made
column-wise into Arrow tables and written through the public ingest
(``store.ingest.room_events``, about 200,000 rows a call), as ``vantage demo`` writes them.
They belong to the demo school's partner, so the panels read them among the school's own
events. Their people are 1,000 of their own (ids at ``DOMAIN``), stored as the demo's users.

A built store is kept in ``var/bench/dashboard/<base>-<SHAPES>/`` with ``rooms.json``, written
last: a directory without it is an unfinished build and is built again. The base store is
copied first and never written.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa

from _common import VANTAGE
from _shaped import NOW, say
from vantage.config import Settings
from vantage.demo.clock import DAY, HOUR, MINUTE, Clock, at_us
from vantage.demo.delays import delays
from vantage.demo.frame import Frame
from vantage.demo.people import Cast, populate
from vantage.demo.school import School, SessionPlan, room_session, unit_key
from vantage.demo.session import session_events
from vantage.demo.streams import DELAYS, stream
from vantage.entities.model import KINDS, Category, Entry, EntryKind
from vantage.ingest.store import Store
from vantage.store.writer import AppendResult

SHAPES = "a500-b100x30-c200x3x15"  # what the shapes hold: the cache key's second half
SEED = 11
DOMAIN = "rooms-bench.example"
PEOPLE_SEATS = 1_800  # populate's seats: about 1,000 students
CHUNK_ROWS = 200_000
MANIFEST = "rooms.json"
CATEGORY = 3_000_000  # the shapes' categories, a block the demo never uses
BIG = (500, 90)  # (a): attendees, minutes
BUSY = (100, 30, 60)  # (b): sessions, attendees, minutes
MANY = (200, 3, 15, 45)  # (c): rooms, sessions each, attendees, minutes
DAYS = 50  # every shape's sessions end within this many days before NOW


@dataclass(frozen=True)
class Rooms:
    """What the benchmark needs to know of a built store, kept in ``rooms.json``."""

    store: str
    partner_id: int
    admin_secret: str
    ks_version: int
    big_room: str
    big_session: str
    big_attendees: int
    busy_room: str
    busy_sessions: int
    category: int
    category_rooms: int
    first_day: str  # a range from the first to the last day covers every shape, UTC dates
    last_day: str
    room_events: int  # in the whole store, the shapes' included
    shape_events: int
    seconds: float


def load(where: Path) -> Rooms | None:
    manifest = where / MANIFEST
    if not manifest.exists():
        return None
    return Rooms(**json.loads(manifest.read_text()))


def demo_store(path: Path, events: int) -> None:
    """The demo school (room events only) as ``vantage demo`` makes it, at ``NOW``."""
    subprocess.run(
        [VANTAGE, "--store", str(path), "demo", "--events", str(events)]
        + ["--player-events", "0", "--now", NOW.strftime("%Y-%m-%dT%H:%M:%SZ")],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def build(where: Path, make: Callable[[Path], None]) -> Rooms:
    """Make the base store in ``where`` (emptied first) with ``make`` (a copy of a cached
    store, or a new demo school) and add the three shapes."""
    shutil.rmtree(where, ignore_errors=True)
    where.mkdir(parents=True)
    store = where / "store.duckdb"
    began = time.perf_counter()
    make(store)
    partner_id, secret, version = _demo_partner(store)
    say(f"{where}: the shapes {SHAPES} for partner {partner_id} ...")
    with Store.open(Settings.load(engine=str(store))) as opened:
        made = write_shapes(opened, partner_id)
        while opened.ingest.maintain().result():  # the upkeep the server would do
            pass
    duckdb.connect(str(store)).close()  # folds the write-ahead log into the file
    with duckdb.connect(str(store), read_only=True) as con:
        row = con.execute(
            "SELECT count(*) FROM room_events WHERE partner_id = ?", [partner_id]
        ).fetchone()
    assert row is not None
    rooms = Rooms(
        store=str(store),
        partner_id=partner_id,
        admin_secret=secret,
        ks_version=version,
        **made,
        room_events=int(row[0]),
        seconds=time.perf_counter() - began,
    )
    (where / MANIFEST).write_text(json.dumps(asdict(rooms), indent=2) + "\n")
    return rooms


def _demo_partner(store: Path) -> tuple[int, str, int]:
    with duckdb.connect(str(store), read_only=True) as con:
        row = con.execute(
            "SELECT p.id, p.admin_secrets[1], p.ks_version FROM partners p "
            "JOIN meta m ON m.key = 'demo_partner_id' AND p.id = m.value::BIGINT"
        ).fetchone()
    assert row is not None, f"{store} holds no demo school"
    return int(row[0]), str(row[1]), int(row[2])


# --- the shapes --------------------------------------------------------------------------------


def write_shapes(store: Store, partner_id: int) -> dict[str, Any]:
    """Store the shapes' people, categories, rooms, sessions and events; what ``Rooms`` says
    of them."""
    clock = Clock.at(NOW)
    school, cast = _people(clock)
    for user in school.people.users:
        user.partner_id = partner_id
    store.ingest.upsert(KINDS["users"], school.people.users).result()
    root = Category(partner_id=partner_id, id=CATEGORY, name="Dashboard bench")
    channel = Category(
        partner_id=partner_id,
        id=CATEGORY + 1,
        name="200 rooms",
        parent_id=CATEGORY,
        full_name="Dashboard bench>200 rooms",
    )
    store.ingest.upsert(KINDS["categories"], [root, channel]).result()
    plans = list(_plans(cast, clock))
    rooms = sorted({p.entry_id for p in plans})
    entries = [_room(partner_id, r, school, clock, p) for r, p in _first_plans(plans).items()]
    store.ingest.upsert(KINDS["entries"], entries).result()

    frame_ids = pa.array(school.user_ids, pa.string())
    chunk: list[pa.Table] = []
    pending: Future[AppendResult] | None = None
    written = 0
    sessions = []

    def flush() -> None:
        nonlocal pending, written, chunk
        if pending is not None:  # one chunk stored while the next is made
            written += pending.result().stored
            pending = None
        if chunk:
            pending = store.ingest.room_events(pa.concat_tables(chunk), dedupe=False)
            chunk = []

    for plan in plans:
        frame = Frame(partner_id, frame_ids)
        for record in session_events(plan, school, frame, SEED):
            sessions.append(room_session(partner_id, record, school.user_ids[record.host]))
        chunk.append(frame.table(delays(stream(SEED, DELAYS, plan.key), frame.rows)))
        if sum(t.num_rows for t in chunk) >= CHUNK_ROWS:
            flush()
    flush()
    flush()
    store.ingest.upsert(KINDS["sessions"], sessions).result()
    say(f"  {written:,} room events, {len(sessions)} sessions, {len(rooms)} rooms")

    big = plans[0]
    first = min(p.start_us for p in plans)
    last = max(p.end_us for p in plans)
    return {
        "big_room": big.entry_id,
        "big_session": big.id,
        "big_attendees": len(big.roster),
        "busy_room": plans[1].entry_id,
        "busy_sessions": BUSY[0],
        "category": CATEGORY + 1,
        "category_rooms": MANY[0],
        "first_day": at_us(first).date().isoformat(),
        "last_day": at_us(last).date().isoformat(),
        "shape_events": written,
    }


def _people(clock: Clock) -> tuple[School, Cast]:
    """The demo's kind of people (habits included) with ids of their own, so the shapes' users
    never overwrite the school's: a school with no courses or rooms."""
    cast = populate(SEED, clock, 1, PEOPLE_SEATS, 0)
    people = cast.people
    taken: set[str] = set()
    for user in people.users:  # an outsider may share a student's name: number the second
        local = base = user.id.split("@")[0]
        while local in taken:
            local = f"{base}{len(taken)}"
        taken.add(local)
        user.id = user.email = f"{local}@{DOMAIN}"
    people.ids[:] = [u.id for u in people.users]
    return School(clock, 1, people, cast.habits, [], [], [], []), cast


def _plans(cast: Cast, clock: Clock) -> Iterator[SessionPlan]:
    """(a)'s session first, then (b)'s first session, then the rest."""
    rng = np.random.default_rng([SEED, 0])
    students = np.asarray(cast.students, np.int64)
    host, tas = cast.instructors[0], tuple(cast.tas)
    day0 = clock.now_us - clock.now_us % DAY - DAY * DAYS  # midnight, DAYS days before NOW
    number = iter(range(1, 1_000_000))

    def plan(kind: str, room: str, start: int, minutes: int, roster: np.ndarray) -> SessionPlan:
        n = next(number)
        return SessionPlan(
            key=unit_key(9, n),
            id=f"1_sb{n:06d}",
            kind=kind,
            entry_id=room,
            start_us=start,
            end_us=start + minutes * MINUTE,
            host=host,
            moderators=tas[:1],
            speakers=(),
            roster=np.sort(roster),
            all_attend=True,
            topic="the bench",
            week=1 + (start - day0) // (7 * DAY),
            course_code="BENCH-100",
            quiz_share=0.4,
        )

    attendees, minutes = BIG
    yield plan(
        "keynote",
        "1_rb000001",
        day0 + (DAYS - 2) * DAY + 14 * HOUR,
        minutes,
        rng.choice(students, attendees, replace=False),
    )
    count, attendees, minutes = BUSY
    for s in range(count):
        start = day0 + (s // 2) * DAY + (10 + 5 * (s % 2)) * HOUR
        yield plan(
            "lecture", "1_rb000002", start, minutes, rng.choice(students, attendees, replace=False)
        )
    count, each, attendees, minutes = MANY
    for r in range(count):
        room = f"1_rc{r:06d}"
        for s in range(each):
            start = day0 + (DAYS - 30 + 10 * s + r % 10) * DAY + (8 + r % 10) * HOUR
            yield plan(
                "workshop", room, start, minutes, rng.choice(students, attendees, replace=False)
            )


def _first_plans(plans: list[SessionPlan]) -> dict[str, SessionPlan]:
    out: dict[str, SessionPlan] = {}
    for p in plans:
        out.setdefault(p.entry_id, p)
    return out


def _room(partner_id: int, room: str, school: School, clock: Clock, plan: SessionPlan) -> Entry:
    category = CATEGORY + 1 if room.startswith("1_rc") else CATEGORY
    created = at_us(clock.window_start_us)
    return Entry(
        partner_id=partner_id,
        id=room,
        name=f"Bench {plan.kind} room {room[-6:]}",
        kind=EntryKind.ROOM,
        creator_user_id=school.user_ids[plan.host],
        created_at=created,
        updated_at=created,
        media_type=201,
        source_type=32,
        admin_tags=["kalturameeting"],
        tags=["bench"],
        category_ids=[category],
    )
