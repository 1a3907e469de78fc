"""Shared fixtures: a real DuckDB store in a temporary directory, a partner and a room."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from vantage.config import Settings
from vantage.entities import partners, repository
from vantage.entities.model import KINDS, Entry, EntryKind, Partner
from vantage.ingest.store import Store

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
T0 = int(NOW.timestamp()) - 3_600  # an hour ago: inside the accepted window


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    return Settings.load(engine=str(tmp_path / "store.duckdb"))


@pytest.fixture
def store(settings: Settings) -> Iterator[Store]:
    with Store.open(settings) as opened:
        yield opened


@pytest.fixture
def partner(store: Store) -> Partner:
    return store.writer.submit(lambda tx: partners.create(tx, "Test University")).result()


@pytest.fixture
def room(store: Store, partner: Partner) -> Entry:
    entry = Entry(partner_id=partner.id, id="1_room", name="Biology 101", kind=EntryKind.ROOM)
    store.writer.submit(lambda tx: repository.upsert(tx, KINDS["entries"], [entry])).result()
    return entry


def event(type_: str, **fields: Any) -> dict[str, Any]:
    """A valid wire event of ``type_`` for partner 101's room; ``fields`` override."""
    base: dict[str, Any] = {
        "type": type_,
        "partnerId": 101,
        "entryId": "1_room",
        "sessionId": "cp_1",
        "userId": "alice",
        "time": T0,
    }
    base.update(SAMPLE_FIELDS.get(type_, {}))
    base.update(fields)
    return base


# One valid set of type-specific fields per event type (every type must be listed).
SAMPLE_FIELDS: dict[str, dict[str, Any]] = {
    "sessionStarted": {},
    "sessionEnded": {},
    "joinSession": {"role": "speaker", "device": "Tablet", "country": "South Korea"},
    "leaveSession": {},
    "viewPeriod": {
        "viewTime": 7.5,
        "tabFocused": True,
        "soundOn": False,
        "micUnmuted": True,
        "cameraOn": False,
        "fullScreen": True,
        "onStage": False,
    },
    "reactionClicked": {"reaction": "heart"},
    "raiseHand": {},
    "micTurnedOn": {},
    "cameraTurnedOn": {},
    "groupMessageSent": {
        "messageId": "m2",
        "text": "Is this on the exam?",
        "replyToMessageId": "m1",
        "contextId": "1_breakout",
    },
    "messageLiked": {"messageId": "m2"},
    "groupMessageDeleted": {"messageId": "m2"},
    "privateMessageSent": {"messageId": "p1", "recipientUserId": "bob", "text": "hi"},
    "questionAnswerMessageSent": {"messageId": "q1", "threadId": "q1", "text": "Why?"},
    "questionThreadModerated": {
        "threadId": "q1",
        "action": "labeled",
        "labels": ["technical", "follow-up"],
    },
    "pollLaunched": {
        "pollId": "poll1",
        "question": "2+2?",
        "pollType": "quiz",
        "options": ["3", "4"],
        "correctAnswer": "4",
        "visualType": "bar",
        "visualIcon": "calculator",
        "groupPollId": "quiz1",
        "groupPollName": "Arithmetic",
        "schedulingType": "scheduled",
    },
    "pollAnswered": {"pollId": "poll1", "answer": "3", "isCorrect": False},
    "downloadAttachmentClicked": {"attachmentId": "att1", "attachmentTitle": "Slides.pdf"},
    "addToCalendarClicked": {},
    "registered": {
        "firstName": "Alice",
        "lastName": "Liddell",
        "email": "alice@example.edu",
        "title": "Student",
        "company": "Oxford",
        "industry": "Education",
        "country": "GB",
        "jobRole": "Researcher",
        "appGuid": "app-1",
    },
    "unregistered": {"appGuid": "app-1"},
}
