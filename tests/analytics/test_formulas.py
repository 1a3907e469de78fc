"""KAVA metric formulas on small hand-built beacon sets (kaltura-report-service §3, §4, §7, §10).

Every expected number is worked out by hand in the comments next to it, from the beacons the
test sends and Kaltura's formula, never by running the report SQL another way. Beacons go
through the real store path (derived columns and hourly facts in the writer's transaction).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

import pytest

from vantage.analytics import query as kq
from vantage.analytics.report_types import REPORTS
from vantage.entities import repository
from vantage.entities.model import KINDS, Entry
from vantage.ingest.store import Store
from vantage.kaltura import report_values as shown
from vantage.player import writes
from vantage.player.arrow import Received, to_arrow
from vantage.player.decode import decode_beacon
from vantage.player.enrich import Agent, Place

P = 101  # the partner of every beacon unless a test says otherwise
IMPRESSION, PLAY, Q25, Q50, Q75, Q100, SEEK, VIEW = 1, 3, 11, 12, 13, 14, 35, 99


def utc(*args: int) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())  # type: ignore[misc]


T = utc(2026, 8, 3, 10)  # Monday 3 August 2026, 10:00 UTC
DAY = 86_400
FROM, TO = utc(2026, 8, 1), utc(2026, 8, 6) - 1  # 1–5 August, toDate at 23:59:59

_index = itertools.count(1)


def add_entries(store: Store, *entries: Entry) -> None:
    store.writer.submit(lambda tx: repository.upsert(tx, KINDS["entries"], list(entries))).result()


def video(id: str, duration: int = 100, partner: int = P, categories: Iterable[int] = ()) -> Entry:
    return Entry(
        partner_id=partner,
        id=id,
        name=f"Video {id}",
        kind="video",
        duration=duration,
        category_ids=list(categories),
    )


def beacon(
    event: int,
    session: str,
    entry: str = "1_a",
    user: str | None = None,
    partner: int = P,
    playback: str = "vod",
    **fields: object,
) -> dict[str, str]:
    params = {
        "eventType": str(event),
        "partnerId": str(partner),
        "entryId": entry,
        "sessionId": session,
        "eventIndex": str(next(_index)),  # every beacon its own: none is a resent copy
        "playbackType": playback,
        **{k: str(v) for k, v in fields.items()},
    }
    if user:
        params["userId"] = user
    return params


def send(
    store: Store,
    at: int,
    *beacons: dict[str, str],
    device: str | None = None,
    os: str | None = None,
    country: str | None = None,
    code: str | None = None,
) -> None:
    received = Received(
        at * 1_000_000,
        None,
        None,
        Place(country_code=code, country=country),
        Agent(device=device, os=os),
    )
    table = to_arrow([decode_beacon(b) for b in beacons], received)
    store.writer.append_events(table, target=writes.TARGET).result()


def watch(
    store: Store, at: int, session: str, entry: str, user: str, positions: Iterable[int]
) -> None:
    """Views 10 s apart, each standing for 10 s of playback (playTimeSum 10, 20, …)."""
    for i, position in enumerate(positions, 1):
        view = beacon(VIEW, session, entry, user, position=position, playTimeSum=10 * i)
        send(store, at + 10 * i, view)


def query(
    report: int,
    partners: Iterable[int] = (P,),
    object_ids: str | None = None,
    options: dict[str, Any] | None = None,
    **filters: Any,
) -> kq.ReportQuery:
    values = {"fromDate": FROM, "toDate": TO, **filters}
    return kq.build(REPORTS[report], frozenset(partners), values, object_ids, options or {})


def table(
    store: Store, q: kq.ReportQuery, order: str | None = None, size: int = 50, index: int = 1
) -> list[dict[str, Any]]:
    found = shown.table(store.engine, q, order, size, index)
    return [dict(zip(found.headers, row, strict=True)) for row in found.rows]


def total(store: Store, q: kq.ReportQuery) -> dict[str, Any]:
    found = shown.total(store.engine, q)
    assert found.values is not None
    return dict(zip(found.headers, found.values, strict=True))


def graphs(store: Store, q: kq.ReportQuery) -> dict[str, list[tuple[str, Any]]]:
    return {g.id: g.points for g in shown.graphs(store.engine, q)}


def pick(rows: list[dict[str, Any]], *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(row[c] for c in columns) for row in rows]


# 1. plays and loads ---------------------------------------------------------------------------


def _loads_and_plays(store: Store) -> None:
    add_entries(store, video("1_a"), video("1_b"))
    send(store, T, beacon(IMPRESSION, "s1", "1_a", "ann"), beacon(PLAY, "s1", "1_a", "ann"))
    send(store, T, beacon(IMPRESSION, "s2", "1_a", "bob"), beacon(PLAY, "s2", "1_a", "bob"))
    send(store, T, beacon(IMPRESSION, "s3", "1_a"))  # an anonymous load, never played
    send(store, T, beacon(IMPRESSION, "s4", "1_b", "ann"), beacon(PLAY, "s4", "1_b", "ann"))
    send(store, T, beacon(IMPRESSION, "s5", "1_b", "cat"))
    # a live play of 1_a: not in any number unless playbackTypeIn asks for live
    live = {"playback": "live"}
    send(
        store,
        T,
        beacon(IMPRESSION, "s6", "1_a", "dan", **live),
        beacon(PLAY, "s6", "1_a", "dan", **live),
    )


def test_plays_loads_and_their_ratio_count_vod_only_by_default(store: Store) -> None:
    _loads_and_plays(store)
    rows = table(store, query(1))
    columns = ("object_id", "entry_name", "count_plays", "count_loads", "load_play_ratio")
    # 1_a: plays s1, s2 = 2; loads s1, s2, s3 = 3; load_play_ratio = plays ÷ loads = 2/3
    # 1_b: plays s4 = 1; loads s4, s5 = 2; 1/2. Ordered by -count_plays.
    assert pick(rows, *columns) == [
        ("1_a", "Video 1_a", 2, 3, pytest.approx(2 / 3)),
        ("1_b", "Video 1_b", 1, 2, 0.5),
    ]
    # users over the events the metrics pull in (loads too): 1_a ann, bob (s3 has no user);
    # 1_b ann, cat (cat only loaded)
    assert pick(rows, "unique_known_users") == [(2,), (2,)]
    # nothing watched: no time, no quartiles, no completion
    for row in rows:
        for name in (
            "sum_time_viewed",
            "avg_time_viewed",
            "avg_view_drop_off",
            "sum_view_period",
            "avg_view_period_time",
            "avg_completion_rate",
        ):
            assert row[name] == 0
    # total: plays 2 + 1 = 3, loads 3 + 2 = 5, 3/5; users ann, bob, cat
    assert total(store, query(1)) == {
        "count_plays": 3,
        "sum_time_viewed": 0,
        "avg_time_viewed": 0,
        "count_loads": 5,
        "load_play_ratio": pytest.approx(0.6),
        "avg_view_drop_off": 0,
        "unique_known_users": 3,
        "sum_view_period": 0,
        "avg_view_period_time": 0,
        "avg_completion_rate": 0,
    }


def test_live_plays_count_when_playback_type_in_asks(store: Store) -> None:
    _loads_and_plays(store)
    live = table(store, query(1, playbackTypeIn="live"))
    # only s6: 1 play, 1 load, ratio 1, user dan
    assert pick(live, "object_id", "count_plays", "count_loads", "load_play_ratio") == [
        ("1_a", 1, 1, 1.0)
    ]
    assert live[0]["unique_known_users"] == 1
    both = table(store, query(1, playbackTypeIn="vod,live"))
    # 1_a: plays s1, s2, s6 = 3; loads s1, s2, s3, s6 = 4; users ann, bob, dan
    assert pick(both, "object_id", "count_plays", "count_loads", "unique_known_users") == [
        ("1_a", 3, 4, 3),
        ("1_b", 1, 2, 2),
    ]


# 2. quartiles and drop-off --------------------------------------------------------------------


def _quartiles(store: Store) -> None:
    add_entries(store, video("1_a", duration=100), video("1_b", duration=200))
    # 1_a: four plays reaching 100 %, 50 %, 25 % and nothing; a fifth session only loads
    reached = {"s1": (Q25, Q50, Q75, Q100), "s2": (Q25, Q50), "s3": (Q25,), "s4": ()}
    for session, quartiles in reached.items():
        send(
            store,
            T,
            beacon(IMPRESSION, session),
            beacon(PLAY, session),
            *(beacon(q, session) for q in quartiles),
        )
    send(store, T, beacon(IMPRESSION, "s5"))
    # 1_b: two plays, both reaching 25 %
    for session in ("s6", "s7"):
        send(store, T, beacon(PLAY, session, "1_b"), beacon(Q25, session, "1_b"))


def test_quartile_counts_and_play_through_ratio(store: Store) -> None:
    _quartiles(store)
    rows = table(store, query(2))
    assert [tuple(row) for row in rows] == [
        (
            "object_id",
            "entry_name",
            "count_plays",
            "count_plays_25",
            "count_plays_50",
            "count_plays_75",
            "count_plays_100",
            "play_through_ratio",
            "count_loads",
        )
    ] * 2
    # 1_a: plays 4; 25 % s1, s2, s3 = 3; 50 % s1, s2 = 2; 75 % s1 = 1; 100 % s1 = 1;
    # play_through_ratio = 100 % ÷ plays = 1/4; loads 5
    # 1_b: plays 2; 25 % 2; nothing further: ratio 0; no loads
    assert [tuple(row.values())[2:] for row in rows] == [
        (4, 3, 2, 1, 1, 0.25, 5),
        (2, 2, 0, 0, 0, 0, 0),
    ]
    # total: plays 6; 25 % 5; 50 % 2; 75 % 1; 100 % 1; 1/6
    assert total(store, query(2)) == {
        "count_plays": 6,
        "count_plays_25": 5,
        "count_plays_50": 2,
        "count_plays_75": 1,
        "count_plays_100": 1,
        "play_through_ratio": pytest.approx(1 / 6),
        "count_loads": 5,
    }


def test_content_dropoff_is_one_graph_whose_points_are_metrics(store: Store) -> None:
    _quartiles(store)
    # the same numbers as the total, as (metric, value) points of the one graph
    assert graphs(store, query(2)) == {
        "content_dropoff": [
            ("count_plays", 6),
            ("count_plays_25", 5),
            ("count_plays_50", 2),
            ("count_plays_75", 1),
            ("count_plays_100", 1),
            ("play_through_ratio", pytest.approx(1 / 6)),
        ]
    }
    # one entry: 1_a alone
    assert graphs(store, query(2, entryIdIn="1_a"))["content_dropoff"] == [
        ("count_plays", 4),
        ("count_plays_25", 3),
        ("count_plays_50", 2),
        ("count_plays_75", 1),
        ("count_plays_100", 1),
        ("play_through_ratio", 0.25),
    ]


def test_avg_view_drop_off_is_a_quarter_of_all_quartiles_per_play(store: Store) -> None:
    _quartiles(store)
    rows = table(store, query(1))
    # 1_a: (3 + 2 + 1 + 1) quartile beacons ÷ 4 = 1.75, ÷ 4 plays = 0.4375
    # 1_b: (2 + 0 + 0 + 0) ÷ 4 = 0.5, ÷ 2 plays = 0.25
    assert pick(rows, "object_id", "avg_view_drop_off") == [("1_a", 0.4375), ("1_b", 0.25)]
    # all: (5 + 2 + 1 + 1) ÷ 4 = 2.25, ÷ 6 plays = 0.375
    assert total(store, query(1))["avg_view_drop_off"] == 0.375
    # quartile time: a quarter of the duration per quartile beacon.
    # 1_a: 7 beacons × 25 s = 175 s = 175/60 min; per play ÷ 4
    # 1_b: 2 beacons × 50 s = 100 s = 100/60 min; per play ÷ 2
    assert pick(rows, "sum_time_viewed", "avg_time_viewed") == [
        (pytest.approx(175 / 60), pytest.approx(175 / 60 / 4)),
        (pytest.approx(100 / 60), pytest.approx(100 / 60 / 2)),
    ]


# 3. view time and completion ------------------------------------------------------------------


def _viewing(store: Store) -> None:
    add_entries(store, video("1_a", duration=100), video("1_b", duration=200))
    # With 100 s, percentile k of 1_a is second k; a view at position p that stands for
    # 10 s covers percentiles floor(p - 10) … floor(p) of the entry (both ends included).
    # ann, 1_a, s1: views at positions 10, 20, 30 → percentiles 0–10, 10–20, 20–30:
    # 31 distinct (0–30); 30 s of view time; one 25 % beacon (25 s of quartile time)
    send(store, T, beacon(PLAY, "s1", "1_a", "ann"))
    watch(store, T, "s1", "1_a", "ann", (10, 20, 30))
    send(store, T + 35, beacon(Q25, "s1", "1_a", "ann"))
    # ann, 1_a, s2 (another play of the same entry): position 10 → 0–10, 11 percentiles, 10 s
    send(store, T + 100, beacon(PLAY, "s2", "1_a", "ann"))
    watch(store, T + 100, "s2", "1_a", "ann", (10,))
    # ann, 1_b (200 s: a percentile is 2 s), s3: a view at 100 after a seek stands for
    # 90–100 s → percentiles 45–50, 6 of them; 10 s
    send(store, T + 200, beacon(PLAY, "s3", "1_b", "ann"))
    watch(store, T + 200, "s3", "1_b", "ann", (100,))
    # bob, 1_a, s4: the whole video, views at 10 … 100 → percentiles 0–100, 101 of them;
    # 100 s; all four quartiles (4 × 25 s = 100 s)
    send(store, T + 300, beacon(PLAY, "s4", "1_a", "bob"))
    watch(store, T + 300, "s4", "1_a", "bob", range(10, 101, 10))
    send(store, T + 410, *(beacon(q, "s4", "1_a", "bob") for q in (Q25, Q50, Q75, Q100)))
    # cat only loads 1_a
    send(store, T + 500, beacon(IMPRESSION, "s5", "1_a", "cat"))


def test_view_time_and_completion_per_user(store: Store) -> None:
    _viewing(store)
    rows = {row["name"]: row for row in table(store, query(13))}
    assert list(rows) == ["ann", "bob", "cat"]  # by plays: 3, 1, 0
    # ann: plays s1, s2, s3 = 3 on 1_a and 1_b
    assert rows["ann"] == {
        "name": "ann",
        "full_name": "",
        "unique_videos": 2,
        "count_plays": 3,
        "sum_time_viewed": pytest.approx(25 / 60),  # one quartile beacon of 1_a: 25 s
        "avg_time_viewed": pytest.approx(25 / 60 / 3),
        "avg_view_drop_off": pytest.approx(1 / 4 / 3),  # 1 quartile ÷ 4 ÷ 3 plays
        "count_loads": 0,
        "load_play_ratio": 0,  # 3 plays ÷ 0 loads: 0, as Druid answers a division by 0
        "avg_completion_rate": 16.0,  # (31 + 11 + 6) percentiles ÷ 3 plays
        "count_viral": 0,
        # distinct percentiles over all ann's views: 0–30 (s1 ∪ s2) and 45–50 (1_b): 37
        "total_completion_rate": 37,
        "sum_view_period": pytest.approx(50 / 60),  # 30 + 10 + 10 s
        "avg_view_period_time": pytest.approx(50 / 60 / 3),
    }
    assert rows["bob"] == {
        "name": "bob",
        "full_name": "",
        "unique_videos": 1,
        "count_plays": 1,
        "sum_time_viewed": pytest.approx(100 / 60),
        "avg_time_viewed": pytest.approx(100 / 60),
        "avg_view_drop_off": 1.0,  # 4 quartiles ÷ 4 ÷ 1 play
        "count_loads": 0,
        "load_play_ratio": 0,
        "avg_completion_rate": 100.0,  # 101 percentiles ÷ 1 play, capped at 100
        "count_viral": 0,
        "total_completion_rate": 100,  # 101, capped at 100
        "sum_view_period": pytest.approx(100 / 60),
        "avg_view_period_time": pytest.approx(100 / 60),
    }
    # cat: a load of 1_a and nothing else
    assert rows["cat"]["unique_videos"] == 1
    assert rows["cat"]["count_loads"] == 1
    assert rows["cat"]["count_plays"] == 0
    assert rows["cat"]["load_play_ratio"] == 0  # 0 plays ÷ 1 load


@pytest.mark.parametrize(
    "read",
    [
        {},  # whole hours: the hourly facts
        {"timeZoneOffset": -330},  # UTC+5:30: the beacons, by quarter hours
        {"fromDate": T - 3601, "toDate": T + 600},  # ends inside 10:00–11:00: the beacons
    ],
)
def test_view_time_and_completion_totals(store: Store, read: dict[str, int]) -> None:
    _viewing(store)  # all beacons between 10:00:00 and 10:08:20
    assert total(store, query(13, **read)) == {
        "unique_known_users": 3,  # ann, bob and cat (who only loaded)
        "unique_videos": 2,
        "count_plays": 4,
        "sum_time_viewed": pytest.approx(125 / 60),  # 25 + 100 s of quartiles
        "avg_time_viewed": pytest.approx(125 / 60 / 4),
        "avg_view_drop_off": pytest.approx(5 / 4 / 4),  # 5 quartile beacons ÷ 4 ÷ 4 plays
        "count_loads": 1,
        "load_play_ratio": 4.0,  # 4 plays ÷ 1 load
        "avg_completion_rate": pytest.approx(149 / 4),  # (31 + 11 + 6 + 101) ÷ 4 plays
        "count_viral": 0,
        "unique_viewers": 2,  # ann and bob played
        "sum_view_period": pytest.approx(150 / 60),  # 30 + 10 + 10 + 100 s
        "avg_view_period_time": pytest.approx(150 / 60 / 4),
    }


def test_completion_per_entry_and_engagement_ranking(store: Store) -> None:
    _viewing(store)
    rows = table(store, query(38))
    # 1_a: plays s1, s2, s4 = 3; percentiles 31 + 11 + 101 = 143 → 143/3 %;
    #      distinct percentiles 0–100 = 101 → 100; users ann, bob, cat; viewers ann, bob
    # 1_b: play s3; 6 percentiles → 6 %; distinct 6; user and viewer ann
    columns = (
        "object_id",
        "count_plays",
        "avg_completion_rate",
        "total_completion_rate",
        "unique_known_users",
        "unique_viewers",
        "engagement_ranking",
    )
    assert pick(rows, *columns) == [
        # ranking: 5 × 3/3 plays + 2.5 × 3/3 users + min(2.5, 0.025 × 143/3)
        ("1_a", 3, pytest.approx(143 / 3), 100, 3, 2, pytest.approx(7.5 + 0.025 * 143 / 3)),
        # 5 × 1/3 + 2.5 × 1/3 + 0.025 × 6
        ("1_b", 1, 6.0, 6, 1, 1, pytest.approx(5 / 3 + 2.5 / 3 + 0.15)),
    ]
    sums = total(store, query(38))
    assert sums["avg_completion_rate"] == pytest.approx(149 / 4)
    # distinct percentiles of all vod views: 0–100 of 1_a (45–50 of 1_b are among them): 100
    assert sums["total_completion_rate"] == 100
    # one entry: 1_b alone
    assert total(store, query(38, entryIdIn="1_b"))["total_completion_rate"] == 6


# 4. unique users ------------------------------------------------------------------------------


def _audience(store: Store) -> None:
    add_entries(store, video("1_a"))
    nl = {"country": "Netherlands", "code": "NL"}
    # 3 August: ann plays; bob only loads; dan only seeks; eve plays twice
    send(store, T, beacon(PLAY, "s1", user="ann"), **nl)
    send(store, T, beacon(IMPRESSION, "s2", user="bob"), **nl)
    send(store, T, beacon(SEEK, "s3", user="dan", position=5), **nl)
    send(store, T, beacon(PLAY, "s4", user="eve"), beacon(PLAY, "s5", user="eve"), **nl)
    # 4 August: ann plays again; fay plays
    send(store, T + DAY, beacon(PLAY, "s6", user="ann"), beacon(PLAY, "s7", user="fay"), **nl)


def test_unique_known_users_count_users_of_the_events_other_metrics_read(store: Store) -> None:
    _audience(store)
    rows = table(store, query(1))
    # plays: ann, eve, eve, ann, fay = 5; users of plays, loads, quartiles and views:
    # ann, bob, eve, fay = 4 (dan's seek is none of them)
    assert pick(rows, "object_id", "count_plays", "unique_known_users") == [("1_a", 5, 4)]
    sums = total(store, query(13))
    assert (sums["unique_known_users"], sums["unique_viewers"]) == (4, 3)  # viewers: ann, eve, fay


def test_unique_users_play_counts_users_who_played_per_day(store: Store) -> None:
    _audience(store)
    # 3 August: ann, eve; 4 August: ann, fay; the whole range: ann, eve, fay
    assert pick(table(store, query(35)), "date_id", "unique_known_users") == [
        ("20260803", 2),
        ("20260804", 2),
    ]
    assert total(store, query(35)) == {"unique_known_users": 3}
    assert graphs(store, query(35)) == {"unique_known_users": [("20260803", 2), ("20260804", 2)]}


def test_map_reports_unique_known_users_column_is_unique_viewers(store: Store) -> None:
    _audience(store)
    rows = table(store, query(36))
    # one country; its "unique_known_users" are the users who played: ann, eve, fay (not bob)
    assert pick(rows, "object_id", "country", "coordinates", "count_plays", "count_loads") == [
        ("NL", "Netherlands", "", 5, 1)
    ]
    assert rows[0]["unique_known_users"] == 3
    assert total(store, query(36))["unique_known_users"] == 3


# 5. time zones and interval labels ------------------------------------------------------------


def _near_midnight(store: Store) -> None:
    add_entries(store, video("1_a"))
    plays = [
        utc(2026, 7, 31, 23, 30),  # p0
        utc(2026, 8, 3, 18, 15),  # p1
        utc(2026, 8, 3, 18, 45),  # p2: the same UTC hour as p1
        utc(2026, 8, 3, 23, 30),  # p3
        utc(2026, 8, 4, 0, 30),  # p4
        utc(2026, 8, 4, 4, 30),  # p5
    ]
    for i, at in enumerate(plays):
        send(store, at, beacon(PLAY, f"p{i}", user=f"u{i}"))


AUGUST = {"fromDate": utc(2026, 8, 2), "toDate": utc(2026, 8, 6) - 1}  # p1 … p5


def _plays_by_label(store: Store, **filters: Any) -> list[tuple[str, Any]]:
    return graphs(store, query(34, **filters))["count_plays"]


def test_day_labels_follow_the_time_zone(store: Store) -> None:
    _near_midnight(store)
    # UTC: p1, p2, p3 on the 3rd; p4, p5 on the 4th
    assert _plays_by_label(store, **AUGUST) == [("20260803", 3), ("20260804", 2)]
    # UTC−5 (300): p1 13:15, p2 13:45, p3 18:30, p4 19:30, p5 23:30, all on the 3rd
    assert _plays_by_label(store, timeZoneOffset=300, **AUGUST) == [("20260803", 5)]
    # UTC+5:30 (−330): p1 23:45 on the 3rd; p2 00:15, p3 05:00, p4 06:00, p5 10:00 on the
    # 4th (p1 and p2 share a UTC hour: only the beacons themselves can tell them apart)
    assert _plays_by_label(store, timeZoneOffset=-330, **AUGUST) == [
        ("20260803", 1),
        ("20260804", 4),
    ]
    rows = table(store, query(34, timeZoneOffset=-330, **AUGUST))
    assert pick(rows, "date_id", "count_plays", "unique_known_users") == [
        ("20260803", 1, 1),
        ("20260804", 4, 4),
    ]


def test_local_days_select_the_range_in_the_time_zone(store: Store) -> None:
    _near_midnight(store)
    # the local 4th of UTC+5:30 is 3 Aug 18:30 … 4 Aug 18:30 UTC: p2, p3, p4, p5 (not p1)
    days = {"fromDay": "20260804", "toDay": "20260804"}
    assert _plays_by_label(store, timeZoneOffset=-330, **days) == [("20260804", 4)]
    # the local 3rd of UTC−5 is 3 Aug 05:00 … 4 Aug 05:00 UTC: p1 … p5
    days = {"fromDay": "20260803", "toDay": "20260803"}
    assert _plays_by_label(store, timeZoneOffset=300, **days) == [("20260803", 5)]
    # the UTC 4th: p4, p5
    days = {"fromDay": "20260804", "toDay": "20260804"}
    assert total(store, query(34, **days))["count_plays"] == 2


def test_month_and_hour_labels(store: Store) -> None:
    _near_midnight(store)
    summer = {"fromDate": utc(2026, 7, 1), "toDate": utc(2026, 9, 1) - 1}
    # months: p0 in July, p1 … p5 in August (UTC and UTC−5: p0 is 18:30 on 31 July)
    rows = table(store, query(34, interval="months", **summer))
    assert pick(rows, "month_id", "count_plays") == [("202607", 1), ("202608", 5)]
    assert list(rows[0])[0] == "month_id"
    assert _plays_by_label(store, interval="months", timeZoneOffset=300, **summer) == [
        ("202607", 1),
        ("202608", 5),
    ]
    # UTC+5:30: p0 is 05:00 on 1 August
    assert _plays_by_label(store, interval="months", timeZoneOffset=-330, **summer) == [
        ("202608", 6)
    ]
    # hours, UTC: p1 and p2 at 18, p3 at 23, p4 at 00, p5 at 04
    assert _plays_by_label(store, interval="hours", **AUGUST) == [
        ("2026080318", 2),
        ("2026080323", 1),
        ("2026080400", 1),
        ("2026080404", 1),
    ]
    # hours, UTC+5:30: 23:45, 00:15, 05:00, 06:00, 10:00
    assert _plays_by_label(store, interval="hours", timeZoneOffset=-330, **AUGUST) == [
        ("2026080323", 1),
        ("2026080400", 1),
        ("2026080405", 1),
        ("2026080406", 1),
        ("2026080410", 1),
    ]


def test_skip_empty_dates_false_fills_every_day_of_the_range(store: Store) -> None:
    _near_midnight(store)
    keep = {"skipEmptyDates": False}
    # 2 … 5 August in UTC: nothing on the 2nd and the 5th
    assert graphs(store, query(34, options=keep, **AUGUST))["count_plays"] == [
        ("20260802", 0),
        ("20260803", 3),
        ("20260804", 2),
        ("20260805", 0),
    ]
    rows = table(store, query(34, options=keep, **AUGUST))
    assert pick(rows, "date_id", "count_plays", "sum_view_period") == [
        ("20260802", 0, 0),
        ("20260803", 3, 0),
        ("20260804", 2, 0),
        ("20260805", 0, 0),
    ]
    # UTC+5:30, local days 4 … 5 August: p2 … p5 on the 4th, nothing on the 5th
    days = {"fromDay": "20260804", "toDay": "20260805", "timeZoneOffset": -330}
    assert graphs(store, query(34, options=keep, **days))["count_plays"] == [
        ("20260804", 4),
        ("20260805", 0),
    ]


def test_a_range_inside_hours_counts_exactly_the_beacons_inside_it(store: Store) -> None:
    add_entries(store, video("1_a"))
    start, end = utc(2026, 8, 3, 18, 15), utc(2026, 8, 4, 0, 30)
    for i, at in enumerate((start - 1, start, utc(2026, 8, 3, 20), end, end + 1)):
        send(store, at, beacon(PLAY, f"s{i}", user=f"u{i}"))
    # fromDate is included, toDate's own second too; one second before and after are not:
    # start, 20:00 and end = 3 plays (start − 1 shares start's hour, end + 1 end's)
    rows = table(store, query(34, fromDate=start, toDate=end))
    assert pick(rows, "date_id", "count_plays") == [("20260803", 2), ("20260804", 1)]
    assert total(store, query(34, fromDate=start, toDate=end))["count_plays"] == 3
    # within one hour: 18:15:00 … 18:15:00 is the one beacon at start
    assert total(store, query(34, fromDate=start, toDate=start))["count_plays"] == 1
    # ending one second before start: only start − 1
    assert total(store, query(34, fromDate=start - 60, toDate=start - 1))["count_plays"] == 1


def test_minute_intervals_keep_their_rows_when_empty_dates_are_not_skipped(store: Store) -> None:
    _near_midnight(store)
    hour = {"fromDate": utc(2026, 8, 3, 18), "toDate": utc(2026, 8, 3, 19) - 1}
    for options in ({}, {"skipEmptyDates": False}):
        points = graphs(store, query(34, options=options, interval="minutes", **hour))
        # p1 at 18:15 and p2 at 18:45, labelled with Druid's ISO timestamps
        assert [(label, n) for label, n in points["count_plays"] if n] == [
            ("2026-08-03T18:15:00.000Z", 1),
            ("2026-08-03T18:45:00.000Z", 1),
        ]


# 6. multi-account -----------------------------------------------------------------------------

PARENT, CHILD = 201, 202


def test_multi_account_reports_see_the_children_and_name_their_partner(store: Store) -> None:
    add_entries(store, video("1_p", partner=PARENT), video("2_c", partner=CHILD))
    send(
        store,
        T,
        beacon(PLAY, "s1", "1_p", partner=PARENT),
        beacon(PLAY, "s2", "1_p", partner=PARENT),
        beacon(Q25, "s2", "1_p", partner=PARENT),
        beacon(PLAY, "s3", "2_c", partner=CHILD),
        beacon(Q100, "s3", "2_c", partner=CHILD),
    )
    both = query(20001, partners=(PARENT, CHILD))
    rows = table(store, both)
    # parent: 1_p 2 plays, one at 25 %; child: 2_c 1 play, at 100 % (ratio 1)
    assert pick(
        rows, "object_id", "entry_name", "partner_id", "count_plays", "play_through_ratio"
    ) == [("1_p", "Video 1_p", PARENT, 2, 0), ("2_c", "Video 2_c", CHILD, 1, 1.0)]
    assert list(rows[0])[:3] == ["object_id", "entry_name", "partner_id"]
    assert total(store, both)["count_plays"] == 3
    # graph: 3 plays, one at 25 % and one at 100 %: ratio 1/3
    assert graphs(store, both)["content_dropoff"][:2] == [("count_plays", 3), ("count_plays_25", 1)]
    # the base report over the parent alone
    parent = table(store, query(2, partners=(PARENT,)))
    assert pick(parent, "object_id", "count_plays") == [("1_p", 2)]
    assert "partner_id" not in parent[0]


# 7. platforms ---------------------------------------------------------------------------------


def _platforms(store: Store) -> None:
    add_entries(store, video("1_a"))
    windows = {"device": "Computer", "os": "Windows 10"}
    ios = {"device": "Mobile", "os": "iOS 17"}
    android = {"device": "Mobile", "os": "Android 14"}
    # 3 August: 2 plays on computers, 1 on an iPhone; 4 August: an iPhone and an Android phone
    send(store, T, beacon(PLAY, "s1", user="ann"), beacon(PLAY, "s2", user="bob"), **windows)
    send(store, T, beacon(PLAY, "s3", user="ann"), **ios)
    send(store, T + DAY, beacon(PLAY, "s4", user="cat"), **ios)
    send(store, T + DAY, beacon(PLAY, "s5", user="dan"), beacon(IMPRESSION, "s5"), **android)


def test_platforms_graph_packs_devices_per_date(store: Store) -> None:
    _platforms(store)
    found = graphs(store, query(21))
    assert found["count_plays"] == [
        ("20260803", [("Computer", 2), ("Mobile", 1)]),
        ("20260804", [("Mobile", 2)]),
    ]
    # viewers per device and day: Computer ann, bob; Mobile ann; then Mobile cat, dan
    assert found["unique_viewers"] == [
        ("20260803", [("Computer", 2), ("Mobile", 1)]),
        ("20260804", [("Mobile", 2)]),
    ]
    # Mobile: 1 + 2 = 3 plays, one load; Computer: 2 plays
    rows = table(store, query(21))
    assert pick(rows, "device", "count_plays", "count_loads", "unique_viewers") == [
        ("Mobile", 3, 1, 3),
        ("Computer", 2, 0, 2),
    ]


def test_platforms_with_devices_drill_down_to_operating_systems(store: Store) -> None:
    _platforms(store)
    rows = table(store, query(21, object_ids="Mobile"))
    # the Mobile plays by OS: iOS 17 s3, s4; Android 14 s5
    assert pick(rows, "os", "count_plays") == [("iOS 17", 2), ("Android 14", 1)]
    assert "device" not in rows[0]
    assert graphs(store, query(21, object_ids="Mobile"))["count_plays"] == [
        ("iOS 17", 2),
        ("Android 14", 1),
    ]


# 8. filters, order and paging -----------------------------------------------------------------


def _catalogue(store: Store) -> None:
    add_entries(
        store,
        video("1_a", categories=[10]),
        video("1_b", categories=[20]),
        video("1_c", categories=[10, 30]),
    )
    # 1_a: 3 plays, 1 load, computers in the Netherlands
    nl_computer = {"device": "Computer", "country": "Netherlands", "code": "NL"}
    send(store, T, *(beacon(PLAY, f"a{i}", "1_a") for i in range(3)), **nl_computer)
    send(store, T, beacon(IMPRESSION, "a0", "1_a"), **nl_computer)
    # 1_b: 1 play, 4 loads, phones in the United States
    us_mobile = {"device": "Mobile", "country": "United States", "code": "US"}
    send(store, T, beacon(PLAY, "b0", "1_b"), **us_mobile)
    send(store, T, *(beacon(IMPRESSION, f"b{i}", "1_b") for i in range(4)), **us_mobile)
    # 1_c: 2 plays, 2 loads, phones in the Netherlands
    nl_mobile = {"device": "Mobile", "country": "Netherlands", "code": "NL"}
    send(store, T, *(beacon(PLAY, f"c{i}", "1_c") for i in range(2)), **nl_mobile)
    send(store, T, *(beacon(IMPRESSION, f"c{i}", "1_c") for i in range(2)), **nl_mobile)


def _entries(store: Store, q: kq.ReportQuery, order: str | None = None) -> list[tuple[Any, ...]]:
    return pick(table(store, q, order), "object_id", "count_plays", "count_loads")


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"entryIdIn": "1_a,1_b"}, ["1_a", "1_b"]),
        ({"deviceIn": "Mobile"}, ["1_c", "1_b"]),
        ({"countryIn": "Netherlands"}, ["1_a", "1_c"]),
        ({"countryIn": "nl"}, ["1_a", "1_c"]),
        ({"countryIn": "United States,FR"}, ["1_b"]),
        ({"categoriesIdsIn": "10"}, ["1_a", "1_c"]),
        ({"categoriesIdsIn": "30,20"}, ["1_c", "1_b"]),
        ({"deviceIn": "Mobile", "countryIn": "NL"}, ["1_c"]),
        ({"categoriesIdsIn": "99"}, []),
    ],
)
def test_filters_keep_their_entries(
    store: Store, filters: dict[str, str], expected: list[str]
) -> None:
    _catalogue(store)
    # by plays: 1_a 3, 1_c 2, 1_b 1
    assert [row[0] for row in _entries(store, query(1, **filters))] == expected


def test_a_delimiter_splits_filter_values(store: Store) -> None:
    _catalogue(store)
    q = query(1, options={"delimiter": ";"}, entryIdIn="1_b;1_c")
    assert _entries(store, q) == [("1_c", 2, 2), ("1_b", 1, 4)]


def test_order_paging_and_total_count(store: Store) -> None:
    _catalogue(store)
    q = query(1)
    assert _entries(store, q, "-count_loads") == [("1_b", 1, 4), ("1_c", 2, 2), ("1_a", 3, 1)]
    assert _entries(store, q, "+count_plays") == [("1_b", 1, 4), ("1_c", 2, 2), ("1_a", 3, 1)]
    assert _entries(store, q, "+count_loads") == [("1_a", 3, 1), ("1_c", 2, 2), ("1_b", 1, 4)]
    # an order the report does not have: the default, -count_plays
    assert _entries(store, q, "-no_such_metric") == [
        ("1_a", 3, 1),
        ("1_c", 2, 2),
        ("1_b", 1, 4),
    ]
    # page 2 of pages of 1, by -count_plays: 1_c; every page counts all 3 rows
    page = shown.table(store.engine, q, None, 1, 2)
    assert (page.total_count, [row[0] for row in page.rows]) == (3, ["1_c"])
    page = shown.table(store.engine, q, "-count_loads", 1, 2)
    assert (page.total_count, [row[0] for row in page.rows]) == (3, ["1_c"])
    # past the last page: no rows, the count still 3
    page = shown.table(store.engine, q, None, 2, 3)
    assert (page.total_count, page.rows) == (3, [])
    # a filter counts its own rows
    page = shown.table(store.engine, query(1, deviceIn="Mobile"), None, 1, 1)
    assert (page.total_count, [row[0] for row in page.rows]) == (2, ["1_c"])


def test_date_table_order_and_paging(store: Store) -> None:
    _audience(store)
    # report 34 over two days: 3 plays on the 3rd (ann, eve, eve), 2 on the 4th (ann, fay)
    q = query(34)
    found = shown.table(store.engine, q, "+count_plays", 1, 1)
    assert (found.total_count, found.rows[0][:2]) == (2, ("20260804", 2))
    found = shown.table(store.engine, q, "-count_plays", 1, 2)
    assert (found.total_count, found.rows[0][:2]) == (2, ("20260804", 2))
