"""The single writer: batches committed whole, duplicates dropped, sessions kept current."""

from __future__ import annotations

import threading

import msgspec
import pyarrow as pa
import pytest

from tests.conftest import NOW, T0, event
from vantage.entities.model import Entry, Partner
from vantage.events.arrow import to_arrow
from vantage.events.decode import TimeWindow, decode_batch
from vantage.ingest.store import Store
from vantage.player import writes
from vantage.player.arrow import Received
from vantage.player.arrow import to_arrow as to_player_arrow
from vantage.player.decode import decode_beacon
from vantage.timeconv import to_micros

WINDOW = TimeWindow.around(NOW, 400, 300)


def table(*events: dict[str, object]) -> pa.Table:
    batch = decode_batch(
        msgspec.json.encode(list(events)), ndjson=False, window=WINDOW, max_events=100
    )
    return to_arrow(batch, to_micros(NOW))


def count(store: Store, where: str = "true") -> int:
    return store.engine.query(f"SELECT count(*) FROM room_events WHERE {where}")[0][0]


def test_every_field_is_stored(store: Store, partner: Partner, room: Entry) -> None:
    e = event("viewPeriod", eventId="v1")
    store.writer.append_events(table(e)).result()
    row = store.engine.query(
        "SELECT event_type, event_id, partner_id, entry_id, session_id, user_id, epoch(time), "
        "view_time, tab_focused, sound_on, mic_unmuted, camera_on, full_screen, on_stage, "
        "reaction, received_at IS NOT NULL FROM room_events"
    )
    assert row == [
        (
            "viewPeriod",
            "v1",
            101,
            "1_room",
            "cp_1",
            "alice",
            T0,
            7.5,
            True,
            False,
            True,
            False,
            True,
            False,
            None,
            True,
        )
    ]


def test_retried_batch_is_stored_once(store: Store, partner: Partner, room: Entry) -> None:
    batch = table(*(event("raiseHand", eventId=f"e{i}", time=T0 + i) for i in range(5)))
    first = store.writer.append_events(batch).result()
    again = store.writer.append_events(batch).result()
    assert (first.stored, first.duplicates) == (5, 0)
    assert (again.stored, again.duplicates) == (0, 5)
    assert count(store) == 5


def test_duplicates_inside_a_batch_and_events_without_ids(
    store: Store, partner: Partner, room: Entry
) -> None:
    result = store.writer.append_events(
        table(
            event("raiseHand", eventId="same"),
            event("raiseHand", eventId="same"),
            event("raiseHand"),  # no id: never a duplicate
            event("raiseHand"),
            event("raiseHand", eventId="same", time=T0 + 1),  # same id, other time: another event
        )
    ).result()
    assert (result.received, result.stored, result.duplicates) == (5, 4, 1)


def test_same_id_in_another_partner_is_not_a_duplicate(
    store: Store, partner: Partner, room: Entry
) -> None:
    store.writer.append_events(table(event("raiseHand", eventId="x"))).result()
    result = store.writer.append_events(
        table(event("raiseHand", eventId="x", partnerId=102))
    ).result()
    assert result.stored == 1


def test_group_commit_reports_counts_per_batch(store: Store, partner: Partner, room: Entry) -> None:
    store.writer.append_events(table(event("raiseHand", eventId="old"))).result()
    gate = threading.Event()
    blocker = store.writer.submit(lambda tx: gate.wait(5))  # holds the writer so batches queue
    a = store.writer.append_events(
        table(event("raiseHand", eventId="old"), event("raiseHand", eventId="a"))
    )
    b = store.writer.append_events(
        table(event("raiseHand", eventId="a"), event("raiseHand", eventId="b"))
    )
    gate.set()
    blocker.result()
    assert (a.result().stored, a.result().duplicates) == (1, 1)
    assert (b.result().stored, b.result().duplicates) == (1, 1)
    assert count(store) == 3


def test_a_failing_job_does_not_stop_the_writer(
    store: Store, partner: Partner, room: Entry
) -> None:
    def boom(tx: object) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        store.writer.submit(boom).result()
    assert store.writer.append_events(table(event("raiseHand"))).result().stored == 1


def test_failed_transaction_leaves_nothing_behind(
    store: Store, partner: Partner, room: Entry
) -> None:
    def half(tx: object) -> None:
        tx.append("room_events", table(event("raiseHand")))  # type: ignore[attr-defined]
        raise RuntimeError("fails after writing")

    with pytest.raises(RuntimeError):
        store.writer.submit(half).result()
    assert count(store) == 0


def test_session_events_keep_the_session_entity_current(
    store: Store, partner: Partner, room: Entry
) -> None:
    store.writer.append_events(
        table(
            event("sessionStarted", userId="host", time=T0 + 60),
            event("sessionStarted", userId="late-host", time=T0 + 120),
        )
    ).result()
    store.writer.append_events(
        table(
            event("sessionStarted", userId="earlier", time=T0),
            event("sessionEnded", time=T0 + 3600),
        )
    ).result()
    rows = store.engine.query(
        "SELECT id, entry_id, epoch(start_time), epoch(end_time), host_user_id FROM room_sessions"
    )
    assert rows == [("cp_1", "1_room", T0, T0 + 3600, "host")]


def test_readers_see_whole_batches_only(store: Store, partner: Partner, room: Entry) -> None:
    seen: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(count(store))

    reader = threading.Thread(target=read)
    reader.start()
    for k in range(20):
        store.writer.append_events(
            table(*(event("raiseHand", eventId=f"{k}-{i}") for i in range(50)))
        ).result()
    stop.set()
    reader.join()
    assert all(n % 50 == 0 for n in seen)
    assert count(store) == 1000


def beacon(
    session: str, index: int | None, event_type: str = "99", position: float = 12.5
) -> pa.Table:
    params = {"eventType": event_type, "partnerId": "1", "entryId": "e", "sessionId": session}
    params["position"] = str(position)
    if index is not None:
        params["eventIndex"] = str(index)
    return to_player_arrow([decode_beacon(params)], Received(to_micros(NOW), None, None))


def test_player_beacons_are_stored_once_per_session_and_index(store: Store) -> None:
    first = store.writer.append_events(beacon("s", 1), target=writes.TARGET).result()
    assert (first.stored, first.duplicates) == (1, 0)
    again = store.writer.append_events(beacon("s", 1), target=writes.TARGET).result()
    assert (again.stored, again.duplicates) == (0, 1)
    # Another index, session or event, or the same index after the player reset its analytics
    # session (it counts from 1 again; the playhead has moved on): all are new beacons.
    others = (
        beacon("s", 2),
        beacon("other", 1),
        beacon("s", None, "10003"),
        beacon("s", 1, "4", position=95.0),
        beacon("s", 1, "99", position=95.0),
    )
    for table in others:
        assert store.writer.append_events(table, target=writes.TARGET).result().stored == 1
    rows = store.engine.query("SELECT count(*) FROM player_events")
    assert rows == [(6,)]


def test_a_group_may_mix_targets(store: Store, partner: Partner, room: Entry) -> None:
    gate = threading.Event()
    store.writer.submit(lambda tx: gate.wait())  # hold the writer so the next jobs group up
    jobs = [
        store.writer.append_events(beacon("s", 1), target=writes.TARGET),
        store.writer.append_events(table(event("raiseHand", eventId="x"))),
        store.writer.append_events(beacon("s", 1), target=writes.TARGET),
    ]
    gate.set()
    assert [(j.result().stored, j.result().duplicates) for j in jobs] == [(1, 0), (1, 0), (0, 1)]
    assert count(store) == 1
