"""Derived beacon columns (watched percentiles, quartile time) and the hourly facts, by hand."""

from __future__ import annotations

import datetime as dt

from tests.player.facts_sql import FRESH, STORED
from vantage.entities import repository
from vantage.entities.model import KINDS, Entry
from vantage.ingest.store import Store
from vantage.player import facts, writes
from vantage.player.arrow import Received, to_arrow
from vantage.player.decode import decode_beacon

T0 = int(dt.datetime(2026, 8, 3, 10, 50, tzinfo=dt.UTC).timestamp())


def add_video(store: Store, duration: int) -> None:
    entry = Entry(partner_id=1, id="1_video", name="Video", kind="video", duration=duration)
    store.writer.submit(lambda tx: repository.upsert(tx, KINDS["entries"], [entry])).result()


def beacon(at: int, session: str, index: int, event: int, **fields: object) -> dict[str, str]:
    return {
        "eventType": str(event),
        "partnerId": "1",
        "entryId": "1_video",
        "sessionId": session,
        "eventIndex": str(index),
        "playbackType": "vod",
        **{k: str(v) for k, v in fields.items()},
    }


def send(store: Store, at: int, *beacons: dict[str, str]) -> None:
    table = to_arrow([decode_beacon(b) for b in beacons], Received(at * 1_000_000, None, None))
    store.writer.append_events(table, target=writes.TARGET).result()


def views(store: Store) -> list[tuple[object, ...]]:
    return store.engine.query(
        "SELECT session_id, event_index, play_time, bit_count(coverage), new_percentiles "
        "FROM player_events WHERE event_type_id = 99 ORDER BY session_id, received_at"
    )


def test_watched_percentiles_accumulate_per_play_across_batches(store: Store) -> None:
    add_video(store, 200)  # one percentile is 2 seconds
    view = {"soundMode": 2, "tabMode": 2}
    send(store, T0, beacon(T0, "a", 1, 3, position=0, userId="ann"))
    send(store, T0 + 10, beacon(T0 + 10, "a", 2, 99, position=10, playTimeSum=10, **view))
    # two views in one batch: 10–20 s, then a seek back to 0–10 s (nothing new)
    send(
        store,
        T0 + 20,
        beacon(T0 + 20, "a", 3, 99, position=20, playTimeSum=20, **view),
        beacon(T0 + 20, "a", 4, 99, position=10, playTimeSum=30, **view),
    )
    # more than an hour later the same session starts a new play: its percentiles count again
    send(store, T0 + 4000, beacon(T0 + 4000, "a", 5, 99, position=20, playTimeSum=40, **view))
    assert views(store) == [
        # 0–10 s are percentiles 0–5 (the 5th starts at 10 s)
        ("a", 2, 10.0, 6, 6),
        ("a", 3, 10.0, 11, 5),  # 10–20 s: percentiles 5–10, of which 6–10 are new
        ("a", 4, 10.0, 11, 0),
        ("a", 5, 10.0, 6, 6),  # a new play: 10 s before position 20 → percentiles 5–10
    ]


def test_live_views_and_unknown_durations_cover_nothing(store: Store) -> None:
    send(
        store,
        T0,
        beacon(T0, "a", 1, 99, position=10, playTimeSum=10),  # no entry, so no duration
        {**beacon(T0, "b", 1, 99, position=10, playTimeSum=10), "playbackType": "live"},
    )
    assert views(store) == [("a", 1, 10.0, None, 0), ("b", 1, 10.0, None, 0)]


def test_quartile_beacons_count_a_quarter_of_the_duration(store: Store) -> None:
    add_video(store, 200)
    send(store, T0, beacon(T0, "a", 1, 11, position=50), beacon(T0, "a", 2, 12, position=100))
    rows = store.engine.query("SELECT play_time FROM player_events ORDER BY event_index")
    assert rows == [(50.0,), (50.0,)]


def test_facts_equal_the_beacons_aggregated_whatever_the_batches(store: Store) -> None:
    add_video(store, 200)
    view = {"soundMode": 2, "tabMode": 1, "screenMode": 2}
    for i in range(12):  # one play crossing an hour, sent one beacon per batch
        at = T0 + 100 * i
        send(store, at, beacon(at, "a", i + 1, 99, position=10 * i, playTimeSum=10 * i, **view))
    send(
        store,
        T0,
        beacon(T0, "b", 1, 1, userId="bob"),
        beacon(T0, "b", 2, 3, userId="bob"),
        beacon(T0, "b", 3, 41, userId="bob", playbackSpeed=1.5),
    )
    stored, fresh = STORED, FRESH
    assert store.engine.query(f"({stored}) EXCEPT ({fresh})") == []
    assert store.engine.query(f"({fresh}) EXCEPT ({stored})") == []
    hours = store.engine.query(
        "SELECT hour(bucket), sum(n_view), sum(view_play_time), sum(fair_play_time) "
        "FROM player_facts WHERE n_view > 0 GROUP BY ALL ORDER BY 1"
    )
    # views at 10:50…11:08: the first counts 0 s (playTimeSum 0), then 10 s each
    assert hours == [(10, 6, 50.0, 50.0), (11, 6, 60.0, 60.0)]
    speeds = store.engine.query("SELECT event_var1, n_speed FROM player_facts WHERE n_speed > 0")
    assert speeds == [("1.5", 1)]


def test_delivered_bytes_are_estimated_from_the_views_bitrates(store: Store) -> None:
    add_video(store, 200)
    send(
        store,
        T0,
        beacon(T0, "a", 1, 3),
        # 10 s at 800 kbit/s (100,000 bytes/s): 1,000,000 bytes
        beacon(T0, "a", 2, 99, position=10, playTimeSum=10, averageBitrate=800),
        # 10 s more at 1,600 kbit/s: 2,000,000 bytes; one without a bitrate adds nothing
        beacon(T0, "a", 3, 99, position=20, playTimeSum=20, averageBitrate=1600),
        beacon(T0, "a", 4, 99, position=30, playTimeSum=30),
    )
    found = store.engine.query("SELECT sum(delivered_bytes), sum(view_play_time) FROM player_facts")
    assert found == [(3_000_000.0, 30.0)]


def test_a_view_at_double_speed_covers_twice_its_time(store: Store) -> None:
    add_video(store, 200)
    view = {"soundMode": 2, "tabMode": 2, "playbackSpeed": 2}
    send(store, T0 + 10, beacon(T0 + 10, "a", 1, 99, position=20, playTimeSum=10, **view))
    # 10 s at 2× played 0–20 s of the entry: percentiles 0–10
    assert views(store) == [("a", 1, 10.0, 11, 11)]


def test_speeds_are_keyed_as_the_player_writes_them(store: Store) -> None:
    send(
        store,
        T0,
        beacon(T0, "a", 1, 41, playbackSpeed=2),
        beacon(T0, "a", 2, 41, playbackSpeed=1.25),
    )
    speeds = store.engine.query("SELECT event_var1 FROM player_facts ORDER BY 1")
    assert speeds == [("1.25",), ("2",)]


def test_compaction_merges_an_hours_rows_exactly(store: Store) -> None:
    add_video(store, 200)
    view = {"soundMode": 2, "tabMode": 2, "playbackSpeed": 1}
    for i in range(1, 7):  # one viewer, one beacon per commit: six rows of the same keys
        at = T0 + 10 * i
        send(store, at, beacon(at, "a", i, 99, position=10 * i, playTimeSum=10 * i, **view))
    later = T0 + 3600  # an hour on, not yet compacted
    send(store, later, beacon(later, "b", 1, 99, position=10, playTimeSum=10, **view))
    merged, fresh = STORED, FRESH

    def rows() -> list[tuple[object, ...]]:
        return store.engine.query("SELECT hour(bucket), count(*) FROM player_facts GROUP BY 1")

    assert sorted(rows()) == [(10, 6), (11, 1)]
    before = (later // 3600 * 3600) * 1_000_000  # the start of the later beacon's hour
    store.writer.submit(lambda tx: writes.compact_facts(tx, before)).result()
    assert sorted(rows()) == [(10, 1), (11, 1)]
    assert store.engine.query(f"({merged}) EXCEPT ({fresh})") == []
    assert store.engine.query(f"({fresh}) EXCEPT ({merged})") == []
    dirty = store.engine.query(f"SELECT hour(bucket) FROM {facts.DIRTY_TABLE}")
    assert dirty == [(11,)]  # only the hour not compacted yet


def test_views_without_a_session_are_plays_of_their_own(store: Store) -> None:
    add_video(store, 200)
    # two viewers whose pages set no session, sending the same numbers: neither is a copy of
    # the other, and no view continues another's play
    view = {"soundMode": 2, "tabMode": 2}
    for at in (T0, T0 + 10):
        first = beacon(at, "", 2, 99, position=20, playTimeSum=20, **view)
        send(store, at, first, dict(first))
    send(store, T0 + 20, beacon(T0 + 20, "", 3, 99, position=30, playTimeSum=30, **view))
    rows = store.engine.query(
        "SELECT session_id, play_time, bit_count(coverage), new_percentiles FROM player_events "
        "ORDER BY received_at"
    )
    # each counts its own playTimeSum up to one 10-second period, and covers 10 s before it
    assert rows == [(None, 10.0, 6, 6)] * 4 + [(None, 10.0, 6, 6)]
    assert store.engine.query("SELECT sum(n_view), sum(view_play_time) FROM player_facts") == [
        (5, 50.0)
    ]
