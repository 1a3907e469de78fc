"""The school's media library: uploaded course videos and audio, recordings of past lectures and
keynotes, and campus live streams; with what the player part needs of each, as columns.

Planned after the room events are written, from the sessions that took place, so a recording
exists only of a session that has events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from vantage.demo.clock import DAY, HOUR, MINUTE, US, Clock, at_us
from vantage.demo.ids import kaltura_id
from vantage.demo.planner import COURSE_CATEGORIES, EVENT_CATEGORIES
from vantage.demo.school import School, SessionRecord
from vantage.demo.streams import MEDIA, stream
from vantage.entities.model import Entry, EntryKind

MEDIA_IDS = 10_000_000_000  # media ids are the school's ids from this number on: never a room's
VIDEOS_PER_COURSE = (4, 11)  # fewest and most (exclusive)
AUDIO_PER_COURSE = (1, 4)
RECORDED_KINDS = ("lecture", "keynote")
LIVE_CHANNELS = ("Campus TV", "Library Reading Room Live")
VIDEO, AUDIO, LIVE = 0, 1, 2  # ``Library.form``
# Kaltura numbers: media type 1 video, 5 audio, 201 live stream; source type 1 upload, 32 live
_MEDIA_TYPE = {EntryKind.VIDEO: 1, EntryKind.AUDIO: 5, EntryKind.LIVE_STREAM: 201}
_SOURCE_TYPE = {EntryKind.VIDEO: 1, EntryKind.AUDIO: 1, EntryKind.LIVE_STREAM: 32}
# Bytes stored per second of media (all flavors), for the usage reports' storage: about
# 2.5 Mbit/s for video, 128 kbit/s for audio; a live channel stores nothing itself.
_BYTES_PER_SECOND = {EntryKind.VIDEO: 312_500, EntryKind.AUDIO: 16_000}


@dataclass(frozen=True)
class Library:
    """The media entries, and by entry index what playing them needs."""

    entries: list[Entry]
    ids: pa.Array  # string
    contexts: pa.Array  # the category id (string) the entry is played in
    virtual_events: pa.Array  # the virtual event (int64) it belongs to, if any: its beacons say so
    form: np.ndarray  # VIDEO, AUDIO or LIVE
    duration_s: np.ndarray  # inf for live streams
    created_us: np.ndarray
    weight: np.ndarray  # how often it is played, relative


def plan_library(seed: int, school: School, records: list[SessionRecord]) -> Library:
    rng = stream(seed, MEDIA)
    clock = school.clock
    rooms = {e.id: e for e in school.entries}
    recorded = {
        u.session.id for u in school.units if u.session and u.session.kind in RECORDED_KINDS
    }
    events_root = next(
        c.id for c in school.categories if c.parent_id is None and c.name == "Events"
    )
    made: list[tuple[Entry, int, float]] = []  # entry, created, weight

    def add(
        kind: EntryKind,
        name: str,
        creator: str | None,
        created_us: int,
        category: int,
        duration_s: int | None,
        tags: list[str],
        weight: float,
        virtual_event_id: int | None = None,
        root_entry_id: str | None = None,
    ) -> None:
        entry = Entry(
            partner_id=0,
            id=kaltura_id(seed, MEDIA_IDS + len(made)),
            name=name,
            kind=kind,
            creator_user_id=creator,
            created_at=at_us(created_us),
            updated_at=at_us(created_us),
            duration=duration_s,
            size=duration_s * _BYTES_PER_SECOND[kind]
            if duration_s and kind in _BYTES_PER_SECOND
            else None,
            media_type=_MEDIA_TYPE[kind],
            source_type=_SOURCE_TYPE[kind],
            tags=tags,
            category_ids=[category],
            virtual_event_id=virtual_event_id,
            root_entry_id=root_entry_id,
        )
        made.append((entry, created_us, weight))

    for room in school.entries:
        course = room.category_ids[0] if room.category_ids else 0
        if room.kind != EntryKind.ROOM or room.parent_entry_id or "lecture" not in room.tags:
            continue
        if not COURSE_CATEGORIES <= course < EVENT_CATEGORIES:
            continue
        code = room.tags[0].upper()
        for k in range(int(rng.integers(*VIDEOS_PER_COURSE))):
            created = _created(rng, clock)
            minutes = float(rng.uniform(3, 25))
            add(
                EntryKind.VIDEO,
                f"{code} Explainer {k + 1}",
                room.creator_user_id,
                created,
                course,
                round(minutes * 60),
                [*room.tags[:2], "explainer"],
                float(rng.pareto(1.5) + 0.2),
            )
        for k in range(int(rng.integers(*AUDIO_PER_COURSE))):
            created = _created(rng, clock)
            minutes = float(rng.uniform(10, 40))
            add(
                EntryKind.AUDIO,
                f"{code} Podcast, episode {k + 1}",
                room.creator_user_id,
                created,
                course,
                round(minutes * 60),
                [*room.tags[:2], "podcast"],
                float(rng.pareto(2.0) + 0.1),
            )
    for rec in records:
        room = rooms[rec.entry_id]
        if rec.id not in recorded or not room.category_ids:
            continue
        ready = rec.end_us + int(rng.integers(30 * MINUTE, 3 * HOUR))
        if ready >= clock.now_us - HOUR:
            continue
        day = at_us(rec.start_us).date().isoformat()
        # the newest recordings are watched most: students catch up and revise
        recency = np.exp(-(clock.now_us - ready) / (21 * DAY))
        add(
            EntryKind.VIDEO,
            f"{room.name} — Recording {day}",
            room.creator_user_id,
            ready,
            room.category_ids[0],
            round((rec.end_us - rec.start_us) / US),
            [*room.tags[:2], "recording"],
            float(2.5 * recency + rng.uniform(0.05, 0.3)),
            room.virtual_event_id,  # a keynote's recording is watched on its event's site
            room.id,
        )
    for name in LIVE_CHANNELS:
        add(
            EntryKind.LIVE_STREAM,
            name,
            None,
            clock.window_start_us,
            events_root,
            None,
            ["live"],
            3.0,
        )

    entries = [e for e, _, _ in made]
    forms = {EntryKind.VIDEO: VIDEO, EntryKind.AUDIO: AUDIO, EntryKind.LIVE_STREAM: LIVE}
    return Library(
        entries=entries,
        ids=pa.array([e.id for e in entries], pa.string()),
        contexts=pa.array([str(e.category_ids[0]) for e in entries], pa.string()),
        virtual_events=pa.array([e.virtual_event_id for e in entries], pa.int64()),
        form=np.array([forms[e.kind] for e in entries], np.int8),
        duration_s=np.array([e.duration or np.inf for e in entries], np.float64),
        created_us=np.array([c for _, c, _ in made], np.int64),
        weight=np.array([w for _, _, w in made], np.float64),
    )


def _created(rng: np.random.Generator, clock: Clock) -> int:
    """Uploads: spread over the term, like everything else in the 120-day window."""
    return clock.window_start_us + int(rng.integers(DAY, clock.now_us - clock.window_start_us))
