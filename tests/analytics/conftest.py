"""A small school whose report numbers are worked out by hand in the tests.

Partner 101: main room 1_main "Biology 101" (virtual event 7) with breakout 1_break "Group A",
and room 1_other "Chemistry". Partner 102 has a room of its own with a user also called alice;
none of it may show in partner 101's reports. B is 2026-08-03 10:00 UTC.

Session s1 (1_main, host prof, B .. B+600):
  prof   6 periods of 10 s, all engaged                      → 60 s present, 60 engaged
  alice  joins as participant: 10 engaged, 10 not, 5 engaged → 25 present, 15 engaged
         leaves, rejoins as speaker: 2 × 10 s on stage (tab unfocused) → +20 present, +20 engaged
         → 45 s present (0.75 min), 35 engaged (ratio 0.77777777777778)
  bob    3 × 10 s with the tab unfocused, camera on in one    → 30 present, 10 engaged (1/3)
  session: 3 people, 105 / 135 engaged                         → 0.77777777777778
Session b1 (1_break, started by alice, B+100 .. B+250):
  alice 2 × 10 engaged; carol 10 full screen + 10 not engaged → 2 people, 30 / 40 = 0.75
Session s2 (1_other, host prof, B+2000 .. B+2100): nobody came.
Session s0 (1_main, ten days before B): outside the reports' range.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from vantage.analytics import run
from vantage.analytics.room_reports import REPORTS as ROOM_REPORTS
from vantage.config import Settings
from vantage.entities import partners, repository
from vantage.entities.model import KINDS
from vantage.events.arrow import to_arrow
from vantage.events.decode import TimeWindow, decode_batch
from vantage.ingest.store import Store
from vantage.kaltura.string_params import build_query, split_params
from vantage.store.engine import Engine

B = int(dt.datetime(2026, 8, 3, 10, 0, tzinfo=dt.UTC).timestamp())
FROM, TO = B - 86_400, B + 86_400
ENGAGED = {
    "tabFocused": True,
    "soundOn": True,
    "micUnmuted": False,
    "cameraOn": False,
    "fullScreen": False,
    "onStage": False,
}
IDLE = {**ENGAGED, "tabFocused": False}


def ev(
    type_: str,
    user: str,
    t: float,
    session: str | None = "s1",
    entry: str = "1_main",
    partner: int = 101,
    **fields: Any,
) -> dict[str, Any]:
    out = {
        "type": type_,
        "partnerId": partner,
        "entryId": entry,
        "userId": user,
        "time": t,
        **fields,
    }
    if session is not None:
        out["sessionId"] = session
    return out


def beats(
    user: str,
    start: int,
    states: list[dict[str, Any]],
    session: str = "s1",
    entry: str = "1_main",
    **extra: Any,
) -> list[dict[str, Any]]:
    return [
        ev("viewPeriod", user, start + 10 * i, session, entry, **s, **extra)
        for i, s in enumerate(states)
    ]


def events(b: int = B) -> list[dict[str, Any]]:
    """The school's events, with ``b`` as the start of session s1."""
    out = [
        ev("sessionStarted", "prof", b),
        ev("sessionEnded", "prof", b + 600),
        ev("joinSession", "prof", b, role="host"),
        *beats("prof", b, [ENGAGED] * 6),
        ev("joinSession", "alice", b + 10, role="participant"),
        *beats("alice", b + 10, [ENGAGED, IDLE]),
        ev("viewPeriod", "alice", b + 30, viewTime=5, **ENGAGED),
        ev("leaveSession", "alice", b + 35),
        ev("joinSession", "alice", b + 300, role="speaker"),
        *beats("alice", b + 300, [{**IDLE, "onStage": True}] * 2),
        ev("joinSession", "bob", b + 20),
        *beats("bob", b + 20, [IDLE, {**IDLE, "cameraOn": True}, IDLE]),
        # breakout
        ev("sessionStarted", "alice", b + 100, "b1", "1_break"),
        ev("sessionEnded", "alice", b + 250, "b1", "1_break"),
        *beats("alice", b + 100, [ENGAGED] * 2, "b1", "1_break"),
        *beats("carol", b + 110, [{**IDLE, "fullScreen": True}, IDLE], "b1", "1_break"),
        # an empty session and one before the range
        ev("sessionStarted", "prof", b + 2000, "s2", "1_other"),
        ev("sessionEnded", "prof", b + 2100, "s2", "1_other"),
        ev("sessionStarted", "prof", b - 864_000, "s0"),
        *beats("alice", b - 864_000, [ENGAGED] * 3, "s0"),
        # interactions
        ev("reactionClicked", "alice", b + 40, reaction="clap"),
        ev("reactionClicked", "alice", b + 41, reaction="clap"),
        ev("reactionClicked", "alice", b + 42, reaction="heart"),
        ev("raiseHand", "alice", b + 43),
        ev("micTurnedOn", "alice", b + 44),
        ev("reactionClicked", "bob", b + 45, reaction="wow"),
        ev("cameraTurnedOn", "bob", b + 46),
        ev("cameraTurnedOn", "bob", b + 47),
        ev("pollAnswered", "alice", b + 50, pollId="poll1", answer="4", isCorrect=True),
        ev("pollAnswered", "alice", b + 51, pollId="poll1", answer="5", isCorrect=False),
        ev("pollAnswered", "alice", b + 52, pollId="poll2", answer="yes"),
        ev("groupMessageSent", "alice", b + 53, messageId="m1", text="hello, all"),
        ev("groupMessageSent", "alice", b + 54, messageId="m2", text="again"),
        ev(
            "questionAnswerMessageSent", "alice", b + 55, messageId="q1", threadId="q1", text="why?"
        ),
        ev(
            "questionAnswerMessageSent",
            "alice",
            b + 56,
            messageId="q3",
            threadId="q2",
            text="because",
        ),
        ev("questionAnswerMessageSent", "bob", b + 57, messageId="q2", threadId="q2", text="how?"),
        ev(
            "downloadAttachmentClicked",
            "alice",
            b + 58,
            None,
            attachmentId="att1",
            attachmentTitle="Slides, week 1",
        ),
        ev(
            "downloadAttachmentClicked",
            "alice",
            b + 59,
            None,
            attachmentId="att1",
            attachmentTitle="Slides, week 1",
        ),
        ev("addToCalendarClicked", "alice", b - 3600, None),
        ev("addToCalendarClicked", "bob", b - 3600, None, entry="1_other"),
        # another partner's data with clashing ids
        ev("sessionStarted", "alice", b, "s1", "2_room", partner=102),
        *[
            ev("viewPeriod", "alice", b + 10 * i, "s1", "2_room", partner=102, **ENGAGED)
            for i in range(3)
        ],
        ev("reactionClicked", "alice", b + 5, "s1", "2_room", partner=102, reaction="clap"),
    ]
    return out


LAUNCHES: list[dict[str, Any]] = [
    ev(
        "pollLaunched",
        "prof",
        B + 45,
        pollId="poll1",
        question="2 + 2?",
        pollType="quiz",
        options=["4", "5"],
        correctAnswer="4",
    ),
    ev("pollLaunched", "prof", B + 49, pollId="poll2", question="Ready?", pollType="poll"),
]
"""The launches of the school's polls, for the tests that want them: poll1 a quiz "2 + 2?"
whose right answer is 4, poll2 a poll "Ready?"."""


ENTRIES: list[dict[str, Any]] = [
    {
        "partnerId": 101,
        "id": "1_main",
        "name": "Biology 101",
        "kind": "room",
        "virtualEventId": 7,
    },
    {
        "partnerId": 101,
        "id": "1_break",
        "name": "Group A",
        "kind": "room",
        "parentEntryId": "1_main",
    },
    {
        "partnerId": 101,
        "id": "1_other",
        "name": "Chemistry",
        "kind": "room",
        "duration": 5400,
    },
    {"partnerId": 102, "id": "2_room", "name": "Elsewhere", "kind": "room"},
]
USERS: list[dict[str, Any]] = [
    {
        "partnerId": 101,
        "id": "alice",
        "firstName": "Alice",
        "lastName": "Liddell",
        "email": "alice@x.edu",
        "company": "Oxford",
        "role": "student",
    },
    {
        "partnerId": 101,
        "id": "bob",
        "firstName": "Bob",
        "lastName": "Builder",
        "email": "bob@x.edu",
    },
    {"partnerId": 101, "id": "carol"},
    {
        "partnerId": 101,
        "id": "prof",
        "firstName": "Pat",
        "lastName": "Professor",
        "email": "prof@x.edu",
    },
    {
        "partnerId": 102,
        "id": "alice",
        "firstName": "Other",
        "email": "alice@elsewhere.org",
    },
]

# Report 6001 of the whole school, worked out in the module docstring.
ATTENDEES_CSV = (
    "entry_id,cue_point_id,user_id,user_name,user_email,user_type,meeting_view_time,"
    "meeting_engaged_play_time_ratio\n"
    "1_break,b1,alice,Alice Liddell,alice@x.edu,student,0.33333333333333,1\n"
    "1_break,b1,carol,,,,0.33333333333333,0.5\n"
    "1_main,s1,alice,Alice Liddell,alice@x.edu,speaker,0.75,0.77777777777778\n"
    "1_main,s1,bob,Bob Builder,bob@x.edu,participant,0.5,0.33333333333333\n"
    "1_main,s1,prof,Pat Professor,prof@x.edu,host,1,1\n"
)


def _upsert(store: Store, kind: str, items: list[dict[str, Any]]) -> None:
    k = KINDS[kind]
    objs = repository.decode_items(k, msgspec.json.encode(items))
    store.writer.submit(lambda tx: repository.upsert(tx, k, objs)).result()


@contextlib.contextmanager
def open_store(
    path: Path,
    entries: list[dict[str, Any]],
    users: list[dict[str, Any]],
    room_events: list[dict[str, Any]],
) -> Iterator[Store]:
    """A store of partners 101 and 102 holding these entities and room events (times near B)."""
    with Store.open(Settings.load(engine=str(path))) as store:
        for pid in (101, 102):
            store.writer.submit(
                lambda tx, p=pid: partners.create(tx, f"P{p}", partner_id=p)
            ).result()
        _upsert(store, "entries", entries)
        _upsert(store, "users", users)
        if room_events:
            append_events(store, room_events)
        yield store


def append_events(store: Store, room_events: list[dict[str, Any]]) -> None:
    """Room events (times near B) written as the collector writes them."""
    now = dt.datetime.fromtimestamp(B, dt.UTC)
    window = TimeWindow.around(now, 400, 86_400)
    batch = decode_batch(
        msgspec.json.encode(room_events), ndjson=False, window=window, max_events=1000
    )
    store.writer.append_events(to_arrow(batch, B * 1_000_000)).result()


@pytest.fixture(scope="module")
def school(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("school") / "store.duckdb"
    with open_store(path, ENTRIES, USERS, events()) as store:
        yield store


def room_rows(engine: Engine, report_id: int, params: str, partners: frozenset[int]) -> run.Rows:
    """A room report's rows for a ``params`` string, read as report.getCsvFromStringParams
    reads it."""
    query = build_query(ROOM_REPORTS[report_id], split_params(params), partners)
    return run.room_rows(engine, query)
