"""Webcast and event-platform reports, which combine live players with rooms, worked by hand.

Ann watches the live webcast 30 s (views of 10 s: high, good and fair engagement) and 10 s of
a 100 s recording, and spends 30 engaged seconds in the room. Bob is only in the room: 60 s
engaged and 30 s not, with a raised hand, two reactions, a chat message, a poll answer, a
question that opens a thread and an attachment download. Carl only registered.
"""

from __future__ import annotations

from typing import Any

import msgspec
import pytest

from tests.conftest import NOW, T0, event
from vantage.analytics import query as kq
from vantage.analytics.report_types import REPORTS
from vantage.entities import repository
from vantage.entities.model import KINDS, Entry
from vantage.events.arrow import to_arrow as rooms_to_arrow
from vantage.events.decode import TimeWindow, decode_batch
from vantage.ingest.store import Store
from vantage.kaltura import report_values as shown
from vantage.player import writes
from vantage.player.arrow import Received, to_arrow
from vantage.player.decode import decode_beacon
from vantage.timeconv import to_micros

T = T0 // 60 * 60  # a whole minute
ENGAGED = {"tabFocused": True, "fullScreen": False, "cameraOn": False, "onStage": False}
AWAY = {**ENGAGED, "tabFocused": False}


def _beacons(store: Store, *beacons: dict[str, Any]) -> None:
    for b in beacons:
        at = b.pop("at")
        wire = {k: str(v) for k, v in {"partnerId": 101, **b}.items()}
        table = to_arrow([decode_beacon(wire)], Received(at * 1_000_000, None, None))
        store.writer.append_events(table, target=writes.TARGET).result()


def _rooms(store: Store, *events: dict[str, Any]) -> None:
    batch = decode_batch(
        msgspec.json.encode(list(events)),
        ndjson=False,
        window=TimeWindow.around(NOW, 400, 300),
        max_events=100,
    )
    store.writer.append_events(rooms_to_arrow(batch, to_micros(NOW))).result()


def _presence(user: str, periods: int, modes: dict[str, bool], start: int) -> list[dict[str, Any]]:
    """10-second heartbeats in the room."""
    return [
        event(
            "viewPeriod",
            eventId=f"{user}{start + 10 * i}",
            userId=user,
            time=start + 10 * i,
            viewTime=10,
            **modes,
        )
        for i in range(periods)
    ]


@pytest.fixture
def webcast(store: Store) -> Store:
    recording = Entry(partner_id=101, id="1_vod", name="Recording", kind="video", duration=100)
    store.writer.submit(lambda tx: repository.upsert(tx, KINDS["entries"], [recording])).result()
    live = {"entryId": "1_live", "sessionId": "s1", "userId": "ann", "playbackType": "live"}
    _beacons(
        store,
        {**live, "at": T, "eventType": 3, "eventIndex": 1},
        *(
            {
                **live,
                "at": T + 10 * i,
                "eventType": 99,
                "eventIndex": 1 + i,
                "playTimeSum": 10 * i,
                "soundMode": 2,
                "tabMode": 2 if i < 3 else 1,
                "screenMode": 2 if i == 1 else 1,
            }
            for i in (1, 2, 3)
        ),
        {
            "entryId": "1_vod",
            "sessionId": "s2",
            "userId": "ann",
            "playbackType": "vod",
            "at": T,
            "eventType": 3,
            "eventIndex": 1,
        },
        {
            "entryId": "1_vod",
            "sessionId": "s2",
            "userId": "ann",
            "playbackType": "vod",
            "at": T + 10,
            "eventType": 99,
            "eventIndex": 2,
            "playTimeSum": 10,
            "position": 10,
        },
    )
    _rooms(
        store,
        *_presence("bob", 6, ENGAGED, T),
        *_presence("bob", 3, AWAY, T + 60),
        *_presence("ann", 3, ENGAGED, T),
        event("raiseHand", eventId="b3", userId="bob", time=T),
        event("reactionClicked", eventId="b4", userId="bob", time=T),
        event("reactionClicked", eventId="b5", userId="bob", time=T + 1),
        event("groupMessageSent", eventId="b6", userId="bob", time=T, messageId="m1"),
        event("pollAnswered", eventId="b7", userId="bob", time=T),
        event(
            "questionAnswerMessageSent",
            eventId="b8",
            userId="bob",
            time=T,
            messageId="q1",
            threadId="q1",
        ),
        event("downloadAttachmentClicked", eventId="b9", userId="bob", time=T),
        event("registered", eventId="c1", userId="carl", time=T),
    )
    return store


def _query(report_id: int, start: int = T - 3600, end: int = T + 3599) -> kq.ReportQuery:
    values = {"fromDate": start, "toDate": end}
    return kq.build(REPORTS[report_id], frozenset({101}), values, None, {})


def test_live_user_engagement_combines_players_and_rooms(webcast: Store) -> None:
    table = shown.table(webcast.engine, _query(60010), None, 10, 1)
    assert [row[:1] + row[8:] for row in table.rows] == [
        # live + room minutes; reactions, hands, engaged share, chat, polls, threads, downloads
        ("bob", 1.5, 2, 1, 60 / 90, 1, 1, 1, 1),
        ("ann", 1.0, 0, 0, (20 + 30) / (30 + 30), 0, 0, 0, 0),
    ]
    assert table.total_count == 2
    total = shown.total(webcast.engine, _query(60010))
    assert total.values == (2.5, 2, 1, (20 + 60 + 30) / (30 + 120), 1, 1, 1, 1)
    assert shown.graphs(webcast.engine, _query(60010)) == []


def test_event_platform_highlights(webcast: Store) -> None:
    total = shown.total(webcast.engine, _query(60001))
    # VOD: 10 s by one viewer; live: 30 s of player and 120 s of room by Ann and Bob;
    # all: 160 s by Ann and Bob
    assert total.values == (10 / 60, 150 / 60 / 2, 160 / 60 / 2)


def test_top_webcast_users_count_registrations(webcast: Store) -> None:
    table = shown.table(webcast.engine, _query(40009), None, 10, 1)
    assert table.rows == [
        # registered, loads, plays, minutes viewed, live minutes, buffer, completion, engaged
        ("ann", "", 0, 0, 2, 40 / 60, 30 / 60, 0, 11, 20 / 30),
        ("carl", "", 1, 0, 0, 0, 0, 0, 0, 0),
    ]


def test_engagement_timeline_lists_every_minute(webcast: Store) -> None:
    table = shown.table(webcast.engine, _query(40011, T - 120, T + 179), None, 10, 1)
    assert table.headers == ("position", "live_engaged_users_ratio")
    assert table.rows == [(T - 120, 0), (T - 60, 0), (T, 2 / 3), (T + 60, 0), (T + 120, 0)]
    assert table.total_count == 5
    with pytest.raises(kq.QueryError):
        shown.total(webcast.engine, _query(40011))


def test_webcast_highlights_take_partner_ids_as_object_ids(webcast: Store) -> None:
    values = {"fromDate": T - 3600, "toDate": T + 3599}
    mine = kq.build(REPORTS[40001], frozenset({101}), values, "101", {})
    assert shown.total(webcast.engine, mine).values == (2, 1, 40 / 60, 30 / 60)
    other = kq.build(REPORTS[40001], frozenset({101}), values, "999", {})
    assert shown.total(webcast.engine, other).values is None


def test_player_filters_keep_the_room_rows(webcast: Store) -> None:
    values = {"fromDate": T - 3600, "toDate": T + 3599, "browserIn": "Nothing"}
    q = kq.build(REPORTS[60010], frozenset({101}), values, None, {})
    table = shown.table(webcast.engine, q, None, 10, 1)
    # Ann's player time is filtered out; the room minutes of both stay
    assert [(row[0], row[8]) for row in table.rows] == [("bob", 1.5), ("ann", 0.5)]


def test_the_engagement_timeline_takes_entry_ids(webcast: Store) -> None:
    values = {"fromDate": T, "toDate": T + 59}
    live = kq.build(REPORTS[40011], frozenset({101}), values, "1_live", {})
    assert shown.table(webcast.engine, live, None, 10, 1).rows == [(T, 2 / 3)]
    other = kq.build(REPORTS[40011], frozenset({101}), values, "1_other", {})
    assert shown.table(webcast.engine, other, None, 10, 1).rows == [(T, 0)]
