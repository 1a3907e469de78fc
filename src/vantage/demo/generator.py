"""``generate``: plan the demo school, store its entities, then write its events in chunks.

Units (sessions with what came before them) are written newest first, so a requested event
count that cuts the timetable short keeps the recent weeks, which are what dashboards open on.
At most two chunks are in memory: one being generated while the writer stores the previous one.
Then the media library is planned from the sessions that took place, stored, and watched
(``player``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass

import geolite2
import pyarrow as pa

from vantage.demo import names
from vantage.demo.build import build_school
from vantage.demo.clock import Clock, at_us
from vantage.demo.delays import delays
from vantage.demo.frame import Frame
from vantage.demo.ids import app_guid
from vantage.demo.media import plan_library
from vantage.demo.player import write_player_events
from vantage.demo.school import SessionRecord, owned, room_session, with_partner
from vantage.demo.sizing import NATURAL_COURSES, courses_for
from vantage.demo.streams import DELAYS, stream
from vantage.demo.units import unit_events
from vantage.entities.model import KINDS
from vantage.ingest.store import Store
from vantage.player.enrich import Enricher
from vantage.store.writer import AppendResult

PARTNER_NAME = names.SCHOOL
PARTNER_ID = 101
CHUNK_ROWS = 200_000  # rows per Arrow table handed to the writer


@dataclass(frozen=True)
class DemoSummary:
    partner_id: int
    partner_name: str
    admin_secret: str
    user_secret: str
    events: int  # room events written
    player_events: int  # written
    player_sessions: int  # page loads with a player
    media: int  # video, audio and live entries
    sessions: int  # room sessions, breakout sessions included
    rooms: int  # room entries, breakout rooms included
    users: int
    categories: int
    virtual_events: int
    # (virtual event id, the appGuid its registrations carry), for the C&C reports' filters
    app_guids: tuple[tuple[int, str], ...]
    courses: int
    first_event: dt.datetime | None  # of the room events
    last_event: dt.datetime | None


def demo_secret(seed: int, which: str) -> str:
    """The demo partner's secret, derived from the seed so a demo store can be rebuilt
    byte for byte. Pass secrets to ``generate`` for a store others can reach."""
    return hashlib.sha256(f"vantage-demo:{seed}:{which}".encode()).hexdigest()[:32]


def generate(
    store: Store,
    *,
    seed: int = 1,
    events: int | None = None,
    player_events: int | None = None,
    now: dt.datetime,
    progress: Callable[[int], None] | None = None,
    admin_secret: str | None = None,
    user_secret: str | None = None,
    chunk_rows: int = CHUNK_ROWS,
    enricher: Enricher | None = None,
) -> DemoSummary:
    """Fill ``store`` with a demo school: a new partner, its users, courses, rooms and virtual
    events, and room events of the 120 days before ``now`` (about ``events`` of them, or the
    natural school's 1–2 million); then its media library and player beacons of the 30 days
    before ``now`` (about ``player_events``, or 400,000), enriched by ``enricher`` (default: the
    bundled GeoLite2 database). Same seed, ``now`` and enrichment data, same data."""
    if events is not None and events < 1:
        raise ValueError("events must be at least 1")
    if player_events is not None and player_events < 0:
        raise ValueError("player_events must not be negative")
    if seed < 0:
        raise ValueError("seed must not be negative")
    clock = Clock.at(now)
    courses = NATURAL_COURSES if events is None else courses_for(seed, events, clock)
    school = build_school(seed, courses, clock)
    admin_secret = admin_secret or demo_secret(seed, "admin")
    user_secret = user_secret or demo_secret(seed, "user")

    partner_id = (
        store.ingest.create_partner(
            PARTNER_NAME,
            partner_id=PARTNER_ID,
            next_free_if_taken=True,
            admin_secret=admin_secret,
            user_secret=user_secret,
        )
        .result()
        .id
    )
    for kind, items in with_partner(school, partner_id).items():
        store.ingest.upsert(KINDS[kind], items).result()

    frame_ids = pa.array(school.user_ids, pa.string())
    records: list[SessionRecord] = []
    written = 0
    pending: Future[AppendResult] | None = None
    chunk: list[pa.Table] = []
    chunk_n = 0
    first_us: int | None = None
    last_us: int | None = None
    sessions_done = 0
    produced = 0

    def flush() -> None:
        nonlocal pending, written, chunk, chunk_n
        if pending is not None:
            written += pending.result().stored
            pending = None
            if progress is not None:
                progress(written)
        if chunk:
            table = pa.concat_tables(chunk)
            chunk, chunk_n = [], 0
            pending = store.ingest.room_events(table, dedupe=False)

    for unit in school.units:
        frame = Frame(partner_id, frame_ids)
        records += unit_events(unit, school, frame, seed)
        if unit.session is not None:
            sessions_done += 1
        if not frame.rows:
            continue
        table = frame.table(delays(stream(seed, DELAYS, unit.key), frame.rows))
        times = table.column("time")
        lo, hi = times[0].value, times[-1].value
        first_us = lo if first_us is None else min(first_us, lo)
        last_us = hi if last_us is None else max(last_us, hi)
        chunk.append(table)
        chunk_n += table.num_rows
        if chunk_n >= chunk_rows:
            flush()
        produced += table.num_rows
        if events is not None and sessions_done and produced >= events:
            break
    flush()
    flush()

    sessions = [room_session(partner_id, r, school.user_ids[r.host]) for r in records]
    store.ingest.upsert(KINDS["sessions"], sessions).result()

    library = plan_library(seed, school, records)
    media = owned(library.entries, partner_id)
    store.ingest.upsert(KINDS["entries"], media).result()
    played = write_player_events(
        store,
        seed=seed,
        partner_id=partner_id,
        school=school,
        library=library,
        events=player_events,
        enricher=enricher or Enricher(geolite2.geolite2.filename),
        progress=None if progress is None else lambda n: progress(written + n),
    )

    return DemoSummary(
        partner_id=partner_id,
        partner_name=PARTNER_NAME,
        admin_secret=admin_secret,
        user_secret=user_secret,
        events=written,
        player_events=played.events,
        player_sessions=played.loads,
        media=len(media),
        sessions=len(sessions),
        rooms=sum(1 for e in school.entries if e.kind.value == "room"),
        users=len(school.user_ids),
        categories=len(school.categories),
        virtual_events=len(school.virtual_events),
        app_guids=tuple((ve.id, app_guid(ve.id)) for ve in school.virtual_events),
        courses=courses,
        first_event=None if first_us is None else at_us(first_us),
        last_event=None if last_us is None else at_us(last_us),
    )
