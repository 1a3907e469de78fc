"""Entry writes keep the entry lifecycle current: adds, deletes, resurrections, resizes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest

from vantage.entities import repository
from vantage.entities.model import KINDS, Entry, EntryKind, EntryStatus, Partner
from vantage.ingest.store import Store
from vantage.store import lifecycle

ENTRIES = KINDS["entries"]
AUG_1 = 1_722_470_400  # 2024-08-01T00:00:00Z
WRITE_1 = dt.datetime(2024, 9, 1, 12, 0)  # the store's naive UTC
WRITE_2 = dt.datetime(2024, 9, 2, 12, 0)
WRITE_3 = dt.datetime(2024, 9, 3, 12, 0)


class Clock:
    def __init__(self) -> None:
        self.now = WRITE_1

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(lifecycle, "write_time", c)
    return c


def video(entry_id: str, **fields: Any) -> Entry:
    base: dict[str, Any] = {
        "partner_id": 101,
        "id": entry_id,
        "name": entry_id,
        "kind": EntryKind.VIDEO,
        "media_type": 1,
        "source_type": 1,
        "creator_user_id": "alice",
    }
    base.update(fields)
    return Entry(**base)


def put(store: Store, *entries: Entry) -> None:
    store.writer.submit(lambda tx: repository.upsert(tx, ENTRIES, list(entries))).result()


def rows(store: Store) -> list[tuple[Any, ...]]:
    """(entry, time, event, delta, duration, media type, source type, source, creator, kind)."""
    return store.engine.query(
        "SELECT entry_id, time, event_type, delta, duration, media_type, source_type, "
        "entry_source, creator_user_id, kind FROM entry_lifecycle "
        "ORDER BY time, entry_id, event_type"
    )


def totals(store: Store) -> tuple[int, float]:
    delta, duration = store.engine.query(
        "SELECT coalesce(sum(delta), 0), coalesce(sum(duration), 0) FROM entry_lifecycle"
    )[0]
    return int(delta), float(duration)


def live_totals(store: Store) -> tuple[int, float]:
    """What the lifecycle must sum to: live entries and their durations."""
    count, duration = store.engine.query(
        "SELECT count(*), coalesce(sum(coalesce(duration, 0)), 0) FROM entries "
        "WHERE status <> 'deleted'"
    )[0]
    return int(count), float(duration)


def at(seconds: int) -> dt.datetime:
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds)


def test_new_entries_are_added_at_their_creation_else_at_the_write(
    store: Store, partner: Partner, clock: Clock
) -> None:
    put(
        store,
        video("1_a", created_at=AUG_1, duration=90, admin_tags=["Lecture", " KalturaCapture "]),
        video("1_b", kind=EntryKind.ROOM, media_type=None, source_type=None,
              admin_tags=["kalturameeting"], status=EntryStatus.PENDING),
    )  # fmt: skip
    assert rows(store) == [
        ("1_a", at(AUG_1), "physicalAdd", 1, 90.0, 1, 1, "Kaltura Capture", "alice", "video"),
        ("1_b", WRITE_1, "physicalAdd", 1, 0.0, None, None, "Kaltura Meeting", "alice", "room"),
    ]


def test_upserts_that_change_no_status_or_duration_add_no_rows(
    store: Store, partner: Partner, clock: Clock
) -> None:
    put(store, video("1_a", duration=90), video("1_b"))
    before = rows(store)
    clock.now = WRITE_2
    put(store, video("1_a", duration=90), video("1_b"))  # the same again
    put(store, video("1_a", duration=90, name="Renamed", tags=["x"], source_type=2))
    put(store, video("1_b", duration=0))  # no duration and 0 are the same length
    put(store, video("1_b", status=EntryStatus.PENDING))  # pending and ready are both live
    assert rows(store) == before and len(before) == 2


def test_a_delete_removes_the_stored_duration_with_the_entry_as_it_was(
    store: Store, partner: Partner, clock: Clock
) -> None:
    put(store, video("1_a", created_at=AUG_1, duration=300, admin_tags=["zoomentry"]))
    clock.now = WRITE_2
    # Deleted in the same write that changes its length and tags: the delete takes away what
    # was counted (300 s, "Zoom"), so the sums come back to nothing.
    put(store, video("1_a", duration=320, status=EntryStatus.DELETED, source_type=2))
    assert rows(store)[1:] == [
        ("1_a", WRITE_2, "physicalDelete", -1, -300.0, 1, 1, "Zoom", "alice", "video"),
    ]
    assert totals(store) == (0, 0.0) == live_totals(store)
    clock.now = WRITE_3
    put(store, video("1_a", duration=999, status=EntryStatus.DELETED))  # still deleted
    assert len(rows(store)) == 2


def test_a_deleted_entry_made_live_again_is_added_again_at_the_write(
    store: Store, partner: Partner, clock: Clock
) -> None:
    put(store, video("1_a", created_at=AUG_1, duration=60))
    clock.now = WRITE_2
    put(store, video("1_a", created_at=AUG_1, duration=60, status=EntryStatus.DELETED))
    clock.now = WRITE_3
    put(store, video("1_a", created_at=AUG_1, duration=75, source_type=2))
    assert [(r[1], r[2], r[3], r[4], r[7]) for r in rows(store)] == [
        (at(AUG_1), "physicalAdd", 1, 60.0, "Upload"),
        (WRITE_2, "physicalDelete", -1, -60.0, "Upload"),
        (WRITE_3, "physicalAdd", 1, 75.0, "Webcam"),  # not back at createdAt
    ]
    assert totals(store) == (1, 75.0) == live_totals(store)


def test_a_duration_change_is_recorded_as_the_difference(
    store: Store, partner: Partner, clock: Clock
) -> None:
    put(store, video("1_a", duration=100))
    clock.now = WRITE_2
    put(store, video("1_a", duration=160))
    clock.now = WRITE_3
    put(store, video("1_a"))  # the duration is gone: back to 0
    assert [(r[1], r[2], r[3], r[4]) for r in rows(store)] == [
        (WRITE_1, "physicalAdd", 1, 100.0),
        (WRITE_2, "durationChange", 0, 60.0),
        (WRITE_3, "durationChange", 0, -160.0),
    ]
    assert totals(store) == (1, 0.0) == live_totals(store)


def test_an_entry_first_stored_deleted_is_added_and_deleted(
    store: Store, partner: Partner, clock: Clock
) -> None:
    put(store, video("1_old", created_at=AUG_1, duration=40, status=EntryStatus.DELETED))
    assert [(r[1], r[2], r[3], r[4]) for r in rows(store)] == [
        (at(AUG_1), "physicalAdd", 1, 40.0),
        (WRITE_1, "physicalDelete", -1, -40.0),
    ]
    assert totals(store) == (0, 0.0) == live_totals(store)


def test_a_batch_of_many_entries_is_counted_right(
    store: Store, partner: Partner, clock: Clock
) -> None:
    first = [
        video(f"e{i:04}", duration=i, source_type=1 if i % 2 == 0 else 2, created_at=AUG_1 + i)
        for i in range(1000)
    ]
    put(store, *first)
    by_source = store.engine.query(
        "SELECT entry_source, count(*), sum(duration) FROM entry_lifecycle GROUP BY ALL ORDER BY 1"
    )
    # Σ of even i < 1000 is 249,500; of odd i 250,000.
    assert by_source == [("Upload", 500, 249_500.0), ("Webcam", 500, 250_000.0)]
    assert totals(store) == (1000, 499_500.0)

    clock.now = WRITE_2
    second: list[Entry] = []
    for i, e in enumerate(first):
        if i % 4 == 0:
            second.append(video(e.id, duration=i, status=EntryStatus.DELETED))
        elif i % 4 == 1:
            second.append(video(e.id, duration=i + 10))
        else:
            second.append(e)
    second += [video(f"n{i:04}", duration=1) for i in range(500)]
    put(store, *second)
    counts = store.engine.query(
        "SELECT event_type, count(*), sum(delta), sum(duration) FROM entry_lifecycle "
        "WHERE time = ? GROUP BY ALL ORDER BY 1",
        (WRITE_2,),
    )
    # Deleted: i = 0, 4, …, 996, Σ i = 4 · (0 + … + 249) = 124,500.
    assert counts == [
        ("durationChange", 250, 0, 2_500.0),
        ("physicalAdd", 500, 500, 500.0),
        ("physicalDelete", 250, -250, -124_500.0),
    ]
    assert totals(store) == (1250, 378_000.0) == live_totals(store)

    clock.now = WRITE_3
    put(store, *(video(f"e{i:04}", duration=i) for i in range(0, 1000, 4)))
    assert totals(store) == (1500, 502_500.0) == live_totals(store)
    assert len(rows(store)) == 1000 + 1000 + 250


def test_other_kinds_and_failed_writes_leave_the_lifecycle_alone(
    store: Store, partner: Partner, clock: Clock
) -> None:
    store.writer.submit(
        lambda tx: repository.upsert(tx, KINDS["users"], repository.decode_items(
            KINDS["users"], b'{"partnerId":101,"id":"alice"}'))
    ).result()  # fmt: skip
    with pytest.raises(repository.EntityError):
        put(store, video("1_a"), video("1_a"))  # refused whole
    assert rows(store) == []


def delete(store: Store, partner_id: int, ids: Sequence[str]) -> tuple[int, int]:
    return store.writer.submit(lambda tx: repository.delete_entries(tx, partner_id, ids)).result()


def test_delete_entries_marks_them_deleted_and_records_it_once(
    store: Store, partner: Partner, clock: Clock
) -> None:
    put(store, video("1_a", created_at=AUG_1, duration=30), video("1_b", duration=5))
    clock.now = WRITE_2
    assert delete(store, 101, ["1_a", "1_nobody"]) == (1, 1)
    obj = repository.get(store.engine, ENTRIES, [101, "1_a"])
    assert obj is not None and obj["status"] == "deleted" and obj["name"] == "1_a"
    assert obj["updatedAt"] == int((WRITE_2 - dt.datetime(1970, 1, 1)).total_seconds())
    clock.now = WRITE_3
    assert delete(store, 101, ["1_a"]) == (1, 0)  # already deleted: nothing more
    assert delete(store, 102, ["1_b"]) == (0, 0)  # another partner's id space
    assert [r[:5] for r in rows(store)] == [
        ("1_a", at(AUG_1), "physicalAdd", 1, 30.0),
        ("1_b", WRITE_1, "physicalAdd", 1, 5.0),
        ("1_a", WRITE_2, "physicalDelete", -1, -30.0),
    ]
    assert totals(store) == (1, 5.0) == live_totals(store)


def sizes(store: Store) -> list[tuple[Any, ...]]:
    """(entry, time, event, delta, duration, size) in time order."""
    return store.engine.query(
        "SELECT entry_id, time, event_type, delta, duration, size FROM entry_lifecycle "
        "ORDER BY time, entry_id, event_type"
    )


def test_sizes_are_added_deleted_and_changed_like_durations(
    store: Store, partner: Partner, clock: Clock
) -> None:
    put(store, video("1_a", created_at=AUG_1, duration=100, size=5_000), video("1_b"))
    clock.now = WRITE_2
    # one write: 1_a grows and gets longer (two rows), 1_b gets a size (from none: 0)
    put(store, video("1_a", created_at=AUG_1, duration=120, size=7_000), video("1_b", size=300))
    clock.now = WRITE_3
    assert delete(store, 101, ["1_a"]) == (1, 1)
    put(store, video("1_b", size=100))  # shrinks
    assert sizes(store) == [
        ("1_a", at(AUG_1), "physicalAdd", 1, 100.0, 5_000.0),
        ("1_b", WRITE_1, "physicalAdd", 1, 0.0, 0.0),
        ("1_a", WRITE_2, "durationChange", 0, 20.0, 0.0),
        ("1_a", WRITE_2, "sizeChange", 0, 0.0, 2_000.0),
        ("1_b", WRITE_2, "sizeChange", 0, 0.0, 300.0),
        ("1_a", WRITE_3, "physicalDelete", -1, -120.0, -7_000.0),
        ("1_b", WRITE_3, "sizeChange", 0, 0.0, -200.0),
    ]
    live = store.engine.query("SELECT sum(size) FROM entries WHERE status <> 'deleted'")[0][0]
    assert store.engine.query("SELECT sum(size) FROM entry_lifecycle")[0][0] == live == 100


def test_an_entry_first_stored_deleted_adds_and_deletes_its_size(
    store: Store, partner: Partner, clock: Clock
) -> None:
    put(store, video("1_old", created_at=AUG_1, size=64, status=EntryStatus.DELETED))
    assert [(r[2], r[5]) for r in sizes(store)] == [
        ("physicalAdd", 64.0),
        ("physicalDelete", -64.0),
    ]
