"""Derived view periods (migration 4): play time per view and engagement classes, worked by hand."""

from __future__ import annotations

import datetime as dt

from vantage.ingest.store import Store
from vantage.player import writes
from vantage.player.arrow import Received, to_arrow
from vantage.player.decode import decode_beacon

T0 = int(dt.datetime(2026, 8, 3, 10, tzinfo=dt.UTC).timestamp())


def send(
    store: Store, at: int, session: str, index: int, event: int = 99, **fields: object
) -> None:
    params = {
        "eventType": str(event),
        "partnerId": "1",
        "entryId": "1_video",
        "sessionId": session,
        "eventIndex": str(index),
        "position": str(at - T0),  # the playhead moves on, across resets too
        **{k: str(v) for k, v in fields.items()},
    }
    table = to_arrow([decode_beacon(params)], Received(at * 1_000_000, None, None))
    store.writer.append_events(table, target=writes.TARGET).result()


def view(store: Store, at: int, session: str, index: int, play_time_sum: float, modes: str) -> None:
    sound, tab, screen = (2 if c == "1" else 1 for c in modes)
    send(
        store,
        at,
        session,
        index,
        playTimeSum=play_time_sum,
        soundMode=sound,
        tabMode=tab,
        screenMode=screen,
    )


def test_play_time_follows_the_cumulative_sum_and_its_resets(store: Store) -> None:
    send(store, T0, "s", 1, event=3)  # play: not a view
    view(store, T0 + 10, "s", 2, 10, "111")
    view(store, T0 + 20, "s", 3, 20, "110")
    view(store, T0 + 40, "s", 4, 40, "100")  # one view lost on the way: 20 s since the last
    # a 45 s pause resets the player's analytics session: the sum and the index start again
    view(store, T0 + 95, "s", 1, 10, "010")
    view(store, T0 + 105, "s", 2, 20, "000")
    view(store, T0 + 115, "s", 3, 500, "111")  # a sum the beacons cannot account for
    view(store, T0 + 10, "other", 1, 10, "111")
    rows = store.engine.query(
        "SELECT session_id, event_index, play_time, engagement, user_engagement "
        "FROM player_view_periods ORDER BY session_id, received_at"
    )
    assert rows == [
        ("other", 1, 10.0, "high", "SoundOnTabFocusedFullScreen"),
        ("s", 2, 10.0, "high", "SoundOnTabFocusedFullScreen"),
        ("s", 3, 10.0, "good", "SoundOnTabFocusedFullScreenOff"),
        ("s", 4, 20.0, "fair", "SoundOnTabNotFocusedFullScreenOff"),
        ("s", 1, 10.0, "low", "SoundOffTabFocusedFullScreenOff"),
        ("s", 2, 10.0, "none", "SoundOffTabNotFocusedFullScreenOff"),
        ("s", 3, 10.0, "high", "SoundOnTabFocusedFullScreen"),
    ]
