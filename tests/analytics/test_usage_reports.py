"""Usage reports (17 USER_USAGE, 60 SELF_SERVE_USAGE, 201 PARTNER_USAGE and their twins 20004,
20023, 20021) and getBaseTotal, worked by hand. Days are UTC (no time zone offset); MB are
Kaltura's (1,048,576 bytes).

Partner 101's library (with partner 102 its child):

* Tom's ``1_old``: created 20 Feb, 1 MB, 100 s; deleted on 3 Mar.
* Tom's ``1_a``: recorded in a Kaltura meeting, created 1 Mar, 2 MB, 60 s; on 3 Mar it grows to
  3 MB and 90 s.
* Sue's ``1_b``: an interactive video, created 2 Mar, 4 MB, 30 s.
* Kim's ``2_c`` of the child partner: created 1 Mar, 8 MB.

Running storage of 101, each day (a deletion still counts on its day, as in Kaltura): before
1 Mar 1 MB; 1 Mar 3; 2 Mar 7; 3 Mar 7 + 1 grown = 8 (1_old still counted); 4 Mar 7. Entries:
1 Mar 2, 2 Mar 3, 3 Mar 3, 4 Mar 2.

On 2 Mar, Ann plays 1_a for 10 s at 800 kbit/s (1,000,000 bytes delivered), watches 10 s of a
live stream (one playManifest) and spends 30 s in a room; on 1 Mar Kim's viewer plays 2_c for
10 s at 1,600 kbit/s (2,000,000 bytes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyarrow as pa
import pytest

from vantage.analytics import query as kq
from vantage.analytics.report_types import REPORTS
from vantage.entities import partners, repository
from vantage.entities.model import KINDS, Entry, User
from vantage.events.columns import ARROW_SCHEMA
from vantage.ingest.store import Store
from vantage.kaltura import report_values as shown
from vantage.player import writes
from vantage.player.arrow import Received, to_arrow
from vantage.player.decode import decode_beacon
from vantage.store import lifecycle

MB = 1_048_576
UTC = dt.UTC


def day(d: int, month: int = 3, hour: int = 9) -> dt.datetime:
    return dt.datetime(2025, month, d, hour, tzinfo=UTC)


def _naive(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(UTC).replace(tzinfo=None)


def _entry(id_: str, owner: str, created: dt.datetime, mb: int, seconds: int, **kw: Any) -> Entry:
    return Entry(
        partner_id=int(kw.pop("partner_id", 101)),
        id=id_,
        name=id_,
        kind="video",
        media_type=1,
        source_type=1,
        creator_user_id=owner,
        created_at=created,
        duration=seconds,
        size=mb * MB,
        **kw,
    )


def _beacon(store: Store, at: dt.datetime, partner: int, **fields: Any) -> None:
    wire = {k: str(v) for k, v in {"partnerId": partner, "eventIndex": 1, **fields}.items()}
    table = to_arrow([decode_beacon(wire)], Received(int(at.timestamp()) * 1_000_000, None, None))
    store.writer.append_events(table, target=writes.TARGET).result()


@pytest.fixture
def library(store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    now = {"at": _naive(day(20, 2))}
    monkeypatch.setattr(lifecycle, "write_time", lambda: now["at"])
    meeting = _entry("1_a", "tom", day(1), 2, 60, admin_tags=["KalturaMeeting"])

    def setup(tx: Any) -> None:
        partners.create(tx, "Parent", partner_id=101)
        partners.create(tx, "Child", partner_id=102, parent_partner_id=101)
        users = [
            User(partner_id=101, id="tom", first_name="Tom", last_name="Lee"),
            User(partner_id=101, id="sue", first_name="Sue"),
            User(partner_id=102, id="kim", first_name="Kim"),
        ]
        repository.upsert(tx, KINDS["users"], users)
        entries = [
            _entry("1_old", "tom", day(20, 2), 1, 100),
            meeting,
            _entry("1_b", "sue", day(2), 4, 30, admin_tags=["raptentry"]),
        ]
        repository.upsert(tx, KINDS["entries"], entries)
        repository.upsert(
            tx, KINDS["entries"], [_entry("2_c", "kim", day(1, hour=8), 8, 0, partner_id=102)]
        )

    store.writer.submit(setup).result()
    now["at"] = _naive(day(3, hour=12))

    def changes(tx: Any) -> None:
        repository.delete_entries(tx, 101, ["1_old"])
        grown = _entry("1_a", "tom", day(1), 3, 90, admin_tags=["KalturaMeeting"])
        repository.upsert(tx, KINDS["entries"], [grown])

    store.writer.submit(changes).result()

    vod = {"entryId": "1_a", "sessionId": "s1", "userId": "ann", "playbackType": "vod"}
    _beacon(store, day(2, hour=10), 101, eventType=3, **vod)
    _beacon(
        store,
        day(2, hour=10),
        101,
        eventType=99,
        eventIndex=2,
        playTimeSum=10,
        position=10,
        averageBitrate=800,
        **vod,
    )
    live = {"entryId": "1_live", "sessionId": "s2", "userId": "ann", "playbackType": "live"}
    _beacon(store, day(2, hour=11), 101, eventType=100, **live)
    _beacon(store, day(2, hour=11), 101, eventType=99, eventIndex=2, playTimeSum=10, **live)
    kim = {"entryId": "2_c", "sessionId": "s3", "playbackType": "vod"}
    _beacon(store, day(1, hour=10), 102, eventType=99, playTimeSum=10, averageBitrate=1600, **kim)

    at = _naive(day(2, hour=12))
    period = {"event_type": "viewPeriod", "partner_id": 101, "entry_id": "1_room"}
    period |= {"user_id": "ann", "time": at, "view_time": 30.0, "tab_focused": True}
    rows = pa.Table.from_pylist([{**period, "received_at": at}], schema=ARROW_SCHEMA)
    store.ingest.room_events(rows).result()  # with its presence facts
    return store


def _query(
    report_id: int,
    first: str = "20250301",
    last: str = "20250304",
    objects: str | None = None,
    partners: frozenset[int] = frozenset({101}),
    **values: Any,
) -> kq.ReportQuery:
    report = REPORTS[report_id]
    return kq.build(report, partners, {"fromDay": first, "toDay": last, **values}, objects, {})


def _graphs(store: Store, q: kq.ReportQuery) -> dict[str, list[Any]]:
    return {g.id: [v for _, v in g.points] for g in shown.graphs(store.engine, q)}


BANDWIDTH = 1_000_000 / MB  # Ann's 10 s at 800 kbit/s
CHILD_BANDWIDTH = 2_000_000 / MB


# --- 201 PARTNER_USAGE -----------------------------------------------------------------------


def test_partner_usage_day_by_day(library: Store) -> None:
    both = frozenset({101, 102})
    table = shown.table(library.engine, _query(201, partners=both), None, 10, 1)
    assert table.headers == (
        "date_id",
        "bandwidth_consumption",
        "average_storage",
        "peak_storage",
        "added_storage",
        "deleted_storage",
        "combined_bandwidth_storage",
        "transcoding_consumption",
    )
    assert table.rows == [  # without objectIds: the caller's own usage
        ("20250301", 0, 3.0, 3.0, 2.0, 0, 3.0, ""),
        ("20250302", BANDWIDTH, 7.0, 7.0, 4.0, 0, BANDWIDTH + 7, ""),
        ("20250303", 0, 8.0, 8.0, 1.0, 1.0, 8.0, ""),  # 1_a grew 1 MB, 1_old went
        ("20250304", 0, 7.0, 7.0, 0, 0, 7.0, ""),
    ]
    assert table.total_count == 4
    total = shown.total(library.engine, _query(201, partners=both))
    average = (3 + 7 + 8 + 7) / 4
    assert total.values == (
        BANDWIDTH,
        average,
        8.0,
        7.0,
        1.0,
        BANDWIDTH + average,
        "",
        average,  # one month: its mean
        BANDWIDTH + average,
    )
    by_storage = shown.table(library.engine, _query(201, partners=both), "-peak_storage", 2, 1)
    assert [row[0] for row in by_storage.rows] == ["20250303", "20250302"]


def test_partner_usage_takes_the_callers_children_as_object_ids(library: Store) -> None:
    both = frozenset({101, 102})

    def storage(objects: str | None, partners: frozenset[int] = both) -> list[Any]:
        q = _query(201, objects=objects, partners=partners)
        return _graphs(library, q)["average_storage"]

    assert storage(None) == [3.0, 7.0, 8.0, 7.0]
    assert storage("102") == [8.0] * 4
    assert storage("101,102") == [11.0, 15.0, 16.0, 15.0]
    assert storage("999") == [0] * 4  # not the caller's: nothing
    assert storage("102", frozenset({101})) == [0] * 4  # the child's own caller sees no parent
    child = shown.total(library.engine, _query(201, objects="102", partners=both))
    assert child.values is not None and child.values[0] == CHILD_BANDWIDTH
    # the multi-account twin: the caller and its children unless objectIds say otherwise
    twin = shown.total(library.engine, _query(20021, partners=both))
    assert twin.values is not None
    assert twin.values[:3] == (BANDWIDTH + CHILD_BANDWIDTH, 8 + (3 + 7 + 8 + 7) / 4, 16.0)


def test_partner_usage_rolls_days_up_by_month(library: Store) -> None:
    # 27 Feb – 2 Mar: storage 1, 1 | 3, 7
    q = _query(201, "20250227", "20250302", interval="months")
    table = shown.table(library.engine, q, None, 10, 1)
    assert table.headers[0] == "month_id"
    assert table.rows == [
        ("202502", 0, 1.0, 1.0, 0, 0, 1.0, ""),
        ("202503", BANDWIDTH, 5.0, 7.0, 6.0, 0, BANDWIDTH + 5, ""),
    ]
    total = shown.total(library.engine, q)
    assert total.values == (
        BANDWIDTH,
        3.0,  # the mean of the four days
        7.0,
        6.0,
        0,
        BANDWIDTH + 3,
        "",
        1.0 + 5.0,  # the months' means, summed
        BANDWIDTH + 6,
    )
    by_year = _query(201, "20250227", "20250302", interval="years")
    years = shown.table(library.engine, by_year, None, 10, 1)
    assert years.headers[0] == "year_id"
    assert years.rows == [("2025", BANDWIDTH, 3.0, 7.0, 6.0, 0, BANDWIDTH + 3, "")]
    graphs = _graphs(library, q)
    assert list(graphs) == list(REPORTS[201].graphs or ())
    assert graphs["peak_storage"] == [1.0, 7.0]


def test_a_time_zone_moves_the_days(library: Store) -> None:
    # UTC+10: 1_a's add (1 Mar 09:00 UTC) is on 1 Mar 19:00 local, 1_b's on 2 Mar 19:00;
    # the delete and the growth (3 Mar 12:00 UTC) are on 3 Mar 22:00
    q = _query(201, "20250301", "20250302", timeZoneOffset=-600)
    assert _graphs(library, q)["peak_storage"] == [3.0, 7.0]
    # UTC−12: 1 Mar 09:00 UTC is 28 Feb 21:00 local
    q = _query(201, "20250227", "20250228", timeZoneOffset=720)
    assert _graphs(library, q)["peak_storage"] == [1.0, 3.0]
    assert _graphs(library, _query(201, "20250227", "20250228"))["peak_storage"] == [1.0, 1.0]


# --- 60 SELF_SERVE_USAGE ---------------------------------------------------------------------


def test_self_serve_usage(library: Store) -> None:
    q = _query(60)
    table = shown.table(library.engine, q, None, 10, 1)
    assert table.headers == (
        "date_id",
        "unique_known_users",
        "total_entries",
        "video_streams",
        "transcoding_consumption",
        "bandwidth_consumption",
        "peak_storage",
        "total_interactive_video_entries",
        "live_view_time",
        "total_credits",
        "total_jobs_completed",
        "average_storage",
        "transcoding_duration",
        "added_meeting_recording_hours",
        "meeting_view_time",
    )
    live = (10 + 30) / 60  # the live stream's 10 s and the room's 30 s, in minutes
    assert table.rows == [
        ("20250301", "", 2, 0, "", 0, 3.0, 0, 0, "", "", 3.0, "", 60 / 3600, 0),
        ("20250302", "", 3, 1, "", BANDWIDTH, 7.0, 1, live, "", "", 7.0, "", 0, 0.5),
        ("20250303", "", 3, 0, "", 0, 8.0, 1, 0, "", "", 8.0, "", 0, 0),
        ("20250304", "", 2, 0, "", 0, 7.0, 1, 0, "", "", 7.0, "", 0, 0),
    ]
    total = shown.total(library.engine, q)
    # entries and interactive videos: the last day's; storage: the largest and the mean
    assert total.values == ("", 2, 1, "", BANDWIDTH, 8.0, 1, live, "", "", 6.25, "", 1 / 60, 0.5)
    graphs = _graphs(library, q)
    assert graphs["total_entries"] == [2, 3, 3, 2]
    assert graphs["unique_known_users"] == ["", "", "", ""]
    months = shown.table(library.engine, _query(60, interval="months"), None, 10, 1)
    assert months.rows == [
        ("202503", "", 2, 1, "", BANDWIDTH, 8.0, 1, live, "", "", 6.25, "", 1 / 60, 0.5)
    ]


def test_self_serve_usage_is_the_callers_and_its_twin_the_childrens_too(library: Store) -> None:
    both = frozenset({101, 102})
    assert shown.total(library.engine, _query(60, objects="102")).values == (
        "", 0, 0, "", 0, 0, 0, 0, "", "", 0, "", 0, 0,
    )  # fmt: skip
    twin = shown.total(library.engine, _query(20023, partners=both))
    assert twin.values is not None
    assert twin.values[1] == 3 and twin.values[5] == 16.0  # entries 2 + 1, storage 8 + 8
    child = shown.total(library.engine, _query(20023, objects="102", partners=both))
    assert child.values is not None and child.values[1:6] == (1, 0, "", CHILD_BANDWIDTH, 8.0)


# --- 17 USER_USAGE, 20004 and getBaseTotal ---------------------------------------------------


def test_user_usage_counts_each_users_entries_storage_and_length(library: Store) -> None:
    table = shown.table(library.engine, _query(17), None, 10, 1)
    assert table.headers == (
        "kuser_id",
        "name",
        "full_name",
        "added_entries",
        "deleted_entries",
        "total_entries",
        "added_storage_mb",
        "deleted_storage_mb",
        "total_storage_mb",
        "added_msecs",
        "deleted_msecs",
        "total_msecs",
    )
    assert table.rows == [
        # one add each (ties by id); totals from the beginning to the end of the range
        ("sue", "sue", "Sue", 1, 0, 1, 4.0, 0, 4.0, 30_000.0, 0, 30_000.0),
        ("tom", "tom", "Tom Lee", 1, 1, 1, 3.0, 1.0, 3.0, 60_000.0, 100_000.0, 90_000.0),
    ]
    total = shown.total(library.engine, _query(17))
    assert total.values == (2, 1, 2, 7.0, 1.0, 7.0, 90_000.0, 100_000.0, 120_000.0)
    tom = shown.table(library.engine, _query(17, objects="tom"), "-total_msecs", 10, 1)
    assert [row[0] for row in tom.rows] == ["tom"]
    # before the range nothing happened in it: Tom's old video is still in his totals
    early = shown.total(library.engine, _query(17, "20250225", "20250226"))
    assert early.values == (0, 0, 1, 0, 0, 1.0, 0, 0, 100_000.0)


def test_user_usage_graphs_are_day_by_day_with_running_totals(library: Store) -> None:
    graphs = _graphs(library, _query(17))
    assert graphs == {
        "added_storage_mb": [2.0, 4.0, 1.0, 0],
        "deleted_storage_mb": [0, 0, 1.0, 0],
        "added_entries": [1, 1, 0, 0],
        "deleted_entries": [0, 0, 1, 0],
        "added_msecs": [60_000.0, 30_000.0, 0, 0],
        "deleted_msecs": [0, 0, 100_000.0, 0],
        "total_entries": [2, 3, 3, 2],
        "total_storage_mb": [3.0, 7.0, 8.0, 7.0],
        "total_msecs": [160_000.0, 190_000.0, 220_000.0, 120_000.0],
    }
    months = _graphs(library, _query(17, "20250220", "20250304", interval="months"))
    assert months["total_storage_mb"] == [1.0, 7.0]  # the last day of each month
    assert months["added_entries"] == [1, 2]


def test_the_multi_account_twin_names_the_partner(library: Store) -> None:
    q = _query(20004, partners=frozenset({101, 102}))
    table = shown.table(library.engine, q, "+added_storage_mb", 10, 1)
    assert table.headers[:4] == ("kuser_id", "name", "full_name", "partner_id")
    assert [row[:4] + row[9:10] for row in table.rows] == [  # 3, 4 and 8 MB added
        ("tom", "tom", "Tom Lee", 101, 3.0),
        ("sue", "sue", "Sue", 101, 4.0),
        ("kim", "kim", "Kim", 102, 8.0),
    ]


def test_base_totals_are_the_totals_before_the_range(library: Store) -> None:
    assert shown.base_total(library.engine, _query(17)) == [
        ("total_storage_mb", 1.0),
        ("total_entries", 1),
        ("total_msecs", 100_000.0),
    ]
    after = shown.base_total(library.engine, _query(17, "20250305", "20250306"))
    assert after == [("total_storage_mb", 7.0), ("total_entries", 2), ("total_msecs", 120_000.0)]
    sue = shown.base_total(library.engine, _query(17, "20250305", "20250306", objects="sue"))
    assert sue == [("total_storage_mb", 4.0), ("total_entries", 1), ("total_msecs", 30_000.0)]
    for other in (20004, 60, 201):
        with pytest.raises(kq.QueryError):
            shown.base_total(library.engine, _query(other))
