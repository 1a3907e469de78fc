"""Reports on who added what (39 TOP_CONTENT_CONTRIBUTORS, 41 TOP_SOURCES), worked by hand.

Tom added a 60 s video recorded in a Kaltura meeting and a 30 s audio upload; Sue added a
120 s video upload and an image from her webcam (no duration). Tom's video was played 3
times, Sue's once.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import T0
from vantage.analytics import query as kq
from vantage.analytics.report_types import REPORTS
from vantage.entities import repository
from vantage.entities.model import KINDS, Entry, User
from vantage.ingest.store import Store
from vantage.kaltura import report_values as shown
from vantage.player import writes
from vantage.player.arrow import Received, to_arrow
from vantage.player.decode import decode_beacon

AT = dt.datetime.fromtimestamp(T0, dt.UTC)
JOINED = dt.datetime(2025, 1, 2, tzinfo=dt.UTC)


@pytest.fixture
def library(store: Store) -> Store:
    def entry(id_: str, owner: str, media: int, duration: int | None, **kw: object) -> Entry:
        kind = {1: "video", 2: "video", 5: "audio"}[media]
        return Entry(
            partner_id=101,
            id=id_,
            name=id_,
            kind=kind,
            creator_user_id=owner,
            created_at=AT,
            duration=duration,
            media_type=media,
            **kw,  # type: ignore[arg-type]
        )

    entries = [
        entry("1_a", "tom", 1, 60, admin_tags=["KalturaMeeting"], source_type=1),
        entry("1_b", "tom", 5, 30, source_type=1),
        entry("1_c", "sue", 1, 120, source_type=1),
        entry("1_d", "sue", 2, None, source_type=2),
    ]
    users = [
        User(partner_id=101, id="tom", first_name="Tom", last_name="Lee", created_at=JOINED),
        User(partner_id=101, id="sue", first_name="Sue", created_at=JOINED),
    ]

    def write(tx: object) -> None:
        repository.upsert(tx, KINDS["entries"], entries)  # type: ignore[arg-type]
        repository.upsert(tx, KINDS["users"], users)  # type: ignore[arg-type]

    store.writer.submit(write).result()
    plays = [("1_a", "s1"), ("1_a", "s2"), ("1_a", "s3"), ("1_c", "s4")]
    for entry_id, session in plays:
        wire = {
            "eventType": "3",
            "partnerId": "101",
            "entryId": entry_id,
            "sessionId": session,
            "eventIndex": "1",
            "playbackType": "vod",
        }
        table = to_arrow([decode_beacon(wire)], Received(T0 * 1_000_000, None, None))
        store.writer.append_events(table, target=writes.TARGET).result()
    return store


def _query(report_id: int) -> kq.ReportQuery:
    values = {"fromDate": T0 - 3600, "toDate": T0 + 3600}
    return kq.build(REPORTS[report_id], frozenset({101}), values, None, {})


def test_top_sources_count_entries_added_by_source(library: Store) -> None:
    table = shown.table(library.engine, _query(41), None, 10, 1)
    assert table.headers == ("source", "added_entries", "added_msecs", "unique_contributors")
    assert table.rows == [
        ("Upload", 2, 150_000.0, 2),
        ("Kaltura Meeting", 1, 60_000.0, 1),  # its admin tag names the application
        ("Webcam", 1, 0, 1),
    ]
    assert shown.total(library.engine, _query(41)).values == (4, 210_000.0, 2)


def test_top_contributors_rank_plays_and_additions(library: Store) -> None:
    table = shown.table(library.engine, _query(39), None, 10, 1)
    joined = int(JOINED.timestamp())
    assert table.rows == [
        # ranking: 5·plays/3 + 2.5·entries/2 + 2.5·msecs/120,000 (the image does not count)
        ("tom", "Tom Lee", joined, 3, 2, 90_000.0, 5 + 2.5 + 2.5 * 90 / 120),
        ("sue", "Sue", joined, 1, 1, 120_000.0, pytest.approx(5 / 3 + 1.25 + 2.5)),
    ]
    total = shown.total(library.engine, _query(39))
    assert total.values == (4, 3, 210_000.0, 2)
    by_entries = shown.table(library.engine, _query(39), "-added_msecs", 10, 1)
    assert [row[0] for row in by_entries.rows] == ["sue", "tom"]


def test_a_player_filter_leaves_the_lifecycle_rows_alone(library: Store) -> None:
    values = {"fromDate": T0 - 3600, "toDate": T0 + 3600, "deviceIn": "Nothing"}
    q = kq.build(REPORTS[39], frozenset({101}), values, None, {})
    # no play matches the device, the entries added still count (Kaltura drops the filter
    # for the lifecycle source, which has no devices)
    assert shown.total(library.engine, q).values == (0, 3, 210_000.0, 2)
